// Choice rules (ASL specification "Choice Rules"; Developer Guide "Choice workflow state"): a comparison
// names a Variable and exactly one operator; And/Or take a non-empty list, Not one rule; only the top-level
// rules carry Next.
#include <algorithm>

#include "asl/validate_internal.h"

namespace xacct::asl::detail {

namespace {

enum class Operand : uint8_t { kString, kNumber, kBoolean, kTimestamp, kPath, kFlag };

struct OperatorSpec {
  std::string_view name;
  ChoiceRule::Op op;
  Operand operand;
};

using Op = ChoiceRule::Op;

constexpr OperatorSpec kOperators[] = {
    {"StringEquals", Op::kStringEquals, Operand::kString},
    {"StringEqualsPath", Op::kStringEquals, Operand::kPath},
    {"StringLessThan", Op::kStringLessThan, Operand::kString},
    {"StringLessThanPath", Op::kStringLessThan, Operand::kPath},
    {"StringGreaterThan", Op::kStringGreaterThan, Operand::kString},
    {"StringGreaterThanPath", Op::kStringGreaterThan, Operand::kPath},
    {"StringLessThanEquals", Op::kStringLessThanEquals, Operand::kString},
    {"StringLessThanEqualsPath", Op::kStringLessThanEquals, Operand::kPath},
    {"StringGreaterThanEquals", Op::kStringGreaterThanEquals, Operand::kString},
    {"StringGreaterThanEqualsPath", Op::kStringGreaterThanEquals, Operand::kPath},
    {"StringMatches", Op::kStringMatches, Operand::kString},
    {"NumericEquals", Op::kNumericEquals, Operand::kNumber},
    {"NumericEqualsPath", Op::kNumericEquals, Operand::kPath},
    {"NumericLessThan", Op::kNumericLessThan, Operand::kNumber},
    {"NumericLessThanPath", Op::kNumericLessThan, Operand::kPath},
    {"NumericGreaterThan", Op::kNumericGreaterThan, Operand::kNumber},
    {"NumericGreaterThanPath", Op::kNumericGreaterThan, Operand::kPath},
    {"NumericLessThanEquals", Op::kNumericLessThanEquals, Operand::kNumber},
    {"NumericLessThanEqualsPath", Op::kNumericLessThanEquals, Operand::kPath},
    {"NumericGreaterThanEquals", Op::kNumericGreaterThanEquals, Operand::kNumber},
    {"NumericGreaterThanEqualsPath", Op::kNumericGreaterThanEquals, Operand::kPath},
    {"BooleanEquals", Op::kBooleanEquals, Operand::kBoolean},
    {"BooleanEqualsPath", Op::kBooleanEquals, Operand::kPath},
    {"TimestampEquals", Op::kTimestampEquals, Operand::kTimestamp},
    {"TimestampEqualsPath", Op::kTimestampEquals, Operand::kPath},
    {"TimestampLessThan", Op::kTimestampLessThan, Operand::kTimestamp},
    {"TimestampLessThanPath", Op::kTimestampLessThan, Operand::kPath},
    {"TimestampGreaterThan", Op::kTimestampGreaterThan, Operand::kTimestamp},
    {"TimestampGreaterThanPath", Op::kTimestampGreaterThan, Operand::kPath},
    {"TimestampLessThanEquals", Op::kTimestampLessThanEquals, Operand::kTimestamp},
    {"TimestampLessThanEqualsPath", Op::kTimestampLessThanEquals, Operand::kPath},
    {"TimestampGreaterThanEquals", Op::kTimestampGreaterThanEquals, Operand::kTimestamp},
    {"TimestampGreaterThanEqualsPath", Op::kTimestampGreaterThanEquals, Operand::kPath},
    {"IsNull", Op::kIsNull, Operand::kFlag},
    {"IsPresent", Op::kIsPresent, Operand::kFlag},
    {"IsNumeric", Op::kIsNumeric, Operand::kFlag},
    {"IsString", Op::kIsString, Operand::kFlag},
    {"IsBoolean", Op::kIsBoolean, Operand::kFlag},
    {"IsTimestamp", Op::kIsTimestamp, Operand::kFlag},
};

const OperatorSpec* FindOperator(std::string_view key) {
  for (const auto& spec : kOperators) {
    if (spec.name == key) return &spec;
  }
  return nullptr;
}

}  // namespace

bool ParseChoiceRule(Checker& c, const json::value& v, const std::string& at, bool top, ChoiceRule& rule,
                     bool& uses_context) {
  if (!v.is_object()) {
    c.Schema("The value must be an OBJECT", at);
    return false;
  }
  const json::object& o = v.as_object();
  const size_t errors_before = c.diagnostics().size();
  // Which operator this rule uses, and which fields are foreign to a rule.
  std::vector<std::string> operators;
  for (const auto& member : o) {
    const std::string key(member.key());
    if (key == "And" || key == "Or" || key == "Not" || FindOperator(key) != nullptr) {
      operators.push_back(key);
    } else if (key == "Variable" || key == "Comment" || (top && key == "Next")) {
      continue;
    } else if (key == "Assign" || key == "Condition" || key == "Output") {
      c.Schema("Field '" + key + "' (JSONata or workflow variables) is not supported yet by xacct", At(at, key));
    } else {
      c.Schema("Field '" + key + "' is not supported", at);
    }
  }
  if (top) {
    c.Require(o, {"Next"}, at);
    if (auto next = c.String(o, "Next", at)) rule.next = *next;
  }
  (void)c.String(o, "Comment", at);
  if (operators.size() != 1) {
    c.Schema(operators.empty() ? "A Choice Rule must have a comparison operator, And, Or or Not"
                               : "A Choice Rule must have only one comparison operator, And, Or or Not",
             at);
    return false;
  }
  const std::string& key = operators[0];
  const json::value& operand = o.at(key);
  if (key == "And" || key == "Or" || key == "Not") {
    rule.op = key == "And" ? Op::kAnd : key == "Or" ? Op::kOr : Op::kNot;
    if (o.contains("Variable")) c.Schema("Field 'Variable' is not supported with '" + key + "'", At(at, "Variable"));
    if (rule.op == Op::kNot) {
      ChoiceRule child;
      if (ParseChoiceRule(c, operand, At(at, "Not"), false, child, uses_context)) {
        rule.children.push_back(std::move(child));
      }
    } else if (!operand.is_array() || operand.as_array().empty()) {
      c.Schema("The value for the field '" + key + "' must be a non-empty ARRAY", At(at, key));
    } else {
      const auto& list = operand.as_array();
      for (size_t i = 0; i < list.size(); ++i) {
        ChoiceRule child;
        if (ParseChoiceRule(c, list[i], At(at, key) + "/" + std::to_string(i), false, child, uses_context)) {
          rule.children.push_back(std::move(child));
        }
      }
    }
    return c.diagnostics().size() == errors_before;
  }
  const OperatorSpec& spec = *FindOperator(key);
  rule.op = spec.op;
  if (!c.Require(o, {"Variable"}, at)) return false;
  const PathField variable = c.Path(o, "Variable", at, false, false, true);
  if (variable.path) {
    if (variable.path->IsContextPath()) uses_context = true;
    rule.variable = variable.path;
  }
  const std::string where = At(at, key);
  switch (spec.operand) {
    case Operand::kString:
      if (!operand.is_string()) c.Schema("The value for the field '" + key + "' must be a STRING", where);
      rule.operand = operand;
      break;
    case Operand::kNumber:
      if (!operand.is_number()) c.Schema("The value for the field '" + key + "' must be a NUMBER", where);
      rule.operand = operand;
      break;
    case Operand::kBoolean:
    case Operand::kFlag:
      if (!operand.is_bool()) c.Schema("The value for the field '" + key + "' must be a BOOLEAN", where);
      rule.operand = operand;
      break;
    case Operand::kTimestamp: {
      const auto nanos = operand.is_string() ? ParseTimestamp(std::string_view(operand.get_string())) : std::nullopt;
      if (!nanos) {
        c.Schema("The value for the field '" + key + "' must be a valid ISO-8601 timestamp", where);
      }
      rule.timestamp_nanos = nanos;
      rule.operand = operand;
      break;
    }
    case Operand::kPath: {
      const PathField path = c.Path(o, key, at, true, false, true);
      if (path.path) {
        if (path.path->IsContextPath()) uses_context = true;
        rule.operand_path = path.path;
      }
      break;
    }
  }
  return c.diagnostics().size() == errors_before;
}

}  // namespace xacct::asl::detail
