// The states that call nothing: Pass, Choice, Wait, Succeed, Fail (ASL specification "Pass State",
// "Choice State", "Wait State", "Succeed State", "Fail State"; Developer Guide pages of the same names:
// a Choice Variable that matches nothing is a States.Runtime error, a comparison of mismatched types is
// false, no matching rule and no Default is States.NoChoiceMatched).
#include "asl/interpreter_internal.h"
#include "asl/intrinsics.h"
#include "asl/payload.h"
#include "asl/validate_internal.h"

namespace xacct::asl::detail {

namespace {

const json::value kNoContext;

StepResult Failed(Failure failure) {
  StepResult r;
  r.flow = Flow::kFailed;
  r.failure = std::move(failure);
  return r;
}

// OutputPath over the effective input (moved when it is the state's input itself).
Result<json::value> OutputOf(const State& s, json::value& input, const json::value* effective, json::value& holder,
                             const json::value& context) {
  if (s.output_path.absent()) return effective == &input ? std::move(input) : std::move(holder);
  if (s.output_path.kind == PathField::Kind::kNull) return json::value(json::object());
  return SelectFrom(*s.output_path.path, *effective, context);
}

int Compare(std::string_view a, std::string_view b) { return a < b ? -1 : (a == b ? 0 : 1); }

template <typename T>
int Compare(T a, T b) {
  return a < b ? -1 : (a == b ? 0 : 1);
}

bool Holds(ChoiceRule::Op op, int c) {
  using Op = ChoiceRule::Op;
  switch (op) {
    case Op::kStringEquals:
    case Op::kNumericEquals:
    case Op::kTimestampEquals:
    case Op::kBooleanEquals:
      return c == 0;
    case Op::kStringLessThan:
    case Op::kNumericLessThan:
    case Op::kTimestampLessThan:
      return c < 0;
    case Op::kStringGreaterThan:
    case Op::kNumericGreaterThan:
    case Op::kTimestampGreaterThan:
      return c > 0;
    case Op::kStringLessThanEquals:
    case Op::kNumericLessThanEquals:
    case Op::kTimestampLessThanEquals:
      return c <= 0;
    case Op::kStringGreaterThanEquals:
    case Op::kNumericGreaterThanEquals:
    case Op::kTimestampGreaterThanEquals:
      return c >= 0;
    default:
      return false;
  }
}

std::string InvalidValue(const JsonPath& path) {
  return "Invalid path '" + path.text() + "': The choice state's condition path references an invalid value.";
}

}  // namespace

bool StringMatches(std::string_view text, std::string_view pattern) {
  // Tokens: a literal character, or a wildcard (an unescaped '*').
  std::vector<std::pair<char, bool>> tokens;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
      tokens.emplace_back(pattern[++i], false);
    } else {
      tokens.emplace_back(pattern[i], pattern[i] == '*');
    }
  }
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < tokens.size() && !tokens[p].second && tokens[p].first == text[t]) {
      ++t;
      ++p;
    } else if (p < tokens.size() && tokens[p].second) {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p].second) ++p;
  return p == tokens.size();
}

Result<bool> EvaluateRule(const ChoiceRule& rule, const json::value& input, const json::value& context) {
  using Op = ChoiceRule::Op;
  switch (rule.op) {
    case Op::kAnd:
      for (const auto& child : rule.children) {
        auto r = EvaluateRule(child, input, context);
        if (!r || !*r) return r;
      }
      return true;
    case Op::kOr:
      for (const auto& child : rule.children) {
        auto r = EvaluateRule(child, input, context);
        if (!r || *r) return r;
      }
      return false;
    case Op::kNot: {
      auto r = EvaluateRule(rule.children.at(0), input, context);
      if (!r) return r;
      return !*r;
    }
    default:
      break;
  }
  auto selected = SelectFrom(*rule.variable, input, context);
  const bool flag = rule.operand.is_bool() && rule.operand.get_bool();
  if (rule.op == Op::kIsPresent) {
    const bool present =
        selected.ok() && !(selected->is_array() && selected->get_array().empty() && !rule.variable->IsReferencePath());
    return present == flag;
  }
  if (!selected) return AwsError::Client("States.Runtime", InvalidValue(*rule.variable));
  const json::value& v = *selected;
  switch (rule.op) {
    case Op::kIsNull:
      return v.is_null() == flag;
    case Op::kIsNumeric:
      return v.is_number() == flag;
    case Op::kIsString:
      return v.is_string() == flag;
    case Op::kIsBoolean:
      return v.is_bool() == flag;
    case Op::kIsTimestamp:
      return (v.is_string() && ParseTimestamp(std::string_view(v.get_string())).has_value()) == flag;
    default:
      break;
  }
  json::value operand_holder;
  const json::value* operand = &rule.operand;
  if (rule.operand_path) {
    auto o = SelectFrom(*rule.operand_path, input, context);
    if (!o) return AwsError::Client("States.Runtime", InvalidValue(*rule.operand_path));
    operand_holder = std::move(*o);
    operand = &operand_holder;
  }
  switch (rule.op) {
    case Op::kStringMatches:
      return v.is_string() && operand->is_string() &&
             StringMatches(std::string_view(v.get_string()), std::string_view(operand->get_string()));
    case Op::kStringEquals:
    case Op::kStringLessThan:
    case Op::kStringGreaterThan:
    case Op::kStringLessThanEquals:
    case Op::kStringGreaterThanEquals:
      if (!v.is_string() || !operand->is_string()) return false;
      return Holds(rule.op, Compare(std::string_view(v.get_string()), std::string_view(operand->get_string())));
    case Op::kNumericEquals:
    case Op::kNumericLessThan:
    case Op::kNumericGreaterThan:
    case Op::kNumericLessThanEquals:
    case Op::kNumericGreaterThanEquals:
      if (!v.is_number() || !operand->is_number()) return false;
      if (v.is_int64() && operand->is_int64()) return Holds(rule.op, Compare(v.get_int64(), operand->get_int64()));
      return Holds(rule.op, Compare(v.to_number<double>(), operand->to_number<double>()));
    case Op::kBooleanEquals:
      return v.is_bool() && operand->is_bool() && v.get_bool() == operand->get_bool();
    case Op::kTimestampEquals:
    case Op::kTimestampLessThan:
    case Op::kTimestampGreaterThan:
    case Op::kTimestampLessThanEquals:
    case Op::kTimestampGreaterThanEquals: {
      if (!v.is_string()) return false;
      const auto left = ParseTimestamp(std::string_view(v.get_string()));
      std::optional<int64_t> right = rule.operand_path ? std::nullopt : rule.timestamp_nanos;
      if (rule.operand_path && operand->is_string()) right = ParseTimestamp(std::string_view(operand->get_string()));
      if (!left || !right) return false;
      return Holds(rule.op, Compare(*left, *right));
    }
    default:
      return false;
  }
}

StepResult Runner::RunPass(const State& s, json::value& input, Frame& f) {
  const json::value& ctx = s.uses_context ? Context(s, f, 0) : kNoContext;
  json::value holder;
  auto effective = SelectInput(s.input_path, input, ctx, holder);
  if (!effective) return Failed(FromError(s, f, effective.error()));
  Inspect(f, "afterInputPath", **effective);
  json::value result;
  if (s.result) {
    result = *s.result;
  } else if (s.parameters.present) {
    auto r = ApplyTemplate(s.parameters.compiled, **effective, ctx);
    if (!r) return Failed(FromError(s, f, r.error()));
    result = std::move(*r);
  } else if (*effective != &input) {
    result = std::move(holder);
  } else if (s.result_path.absent()) {
    result = std::move(input);  // the common Pass: the input is the output
  } else {
    result = input;
  }
  if (s.parameters.present) Inspect(f, "afterParameters", result);
  Inspect(f, "result", result);
  auto out = FinishOutput(s, input, std::move(result), ctx);
  if (!out) return Failed(FromError(s, f, out.error()));
  Inspect(f, "afterResultPath", *out);
  StepResult r;
  r.next = s.next_index;
  r.output = std::move(*out);
  return r;
}

StepResult Runner::RunChoice(const State& s, json::value& input, Frame& f) {
  const json::value& ctx = s.uses_context ? Context(s, f, 0) : kNoContext;
  json::value holder;
  auto effective = SelectInput(s.input_path, input, ctx, holder);
  if (!effective) return Failed(FromError(s, f, effective.error()));
  int next = -1;
  for (const auto& rule : s.choices) {
    auto matched = EvaluateRule(rule, **effective, ctx);
    if (!matched) return Failed(FromError(s, f, matched.error()));
    if (*matched) {
      next = rule.next_index;
      break;
    }
  }
  if (next < 0) next = s.default_index;
  if (next < 0) return Failed(Failure{"States.NoChoiceMatched", "No Matches!"});
  auto out = OutputOf(s, input, *effective, holder, ctx);
  if (!out) return Failed(FromError(s, f, out.error()));
  StepResult r;
  r.next = next;
  r.output = std::move(*out);
  return r;
}

StepResult Runner::RunWait(const State& s, json::value& input, Frame& f) {
  const json::value& ctx = s.uses_context ? Context(s, f, 0) : kNoContext;
  json::value holder;
  auto effective = SelectInput(s.input_path, input, ctx, holder);
  if (!effective) return Failed(FromError(s, f, effective.error()));
  int64_t until = clock_.NowMillis();
  if (s.seconds) {
    until += *s.seconds * 1000;
  } else if (s.timestamp_ms) {
    until = *s.timestamp_ms;
  } else if (s.seconds_path) {
    auto v = SelectFrom(*s.seconds_path, **effective, ctx);
    if (!v) return Failed(FromError(s, f, v.error()));
    const bool in_range = v->is_number() && v->to_number<double>() >= 0 && v->to_number<double>() <= 99999999;
    const bool integral =  // range first: casting a double outside int64's range is undefined
        v->is_int64() || v->is_uint64() ||
        (v->is_double() && in_range && v->get_double() == static_cast<double>(static_cast<int64_t>(v->get_double())));
    if (!integral || !in_range) {
      return Failed(Runtime(s, f, "The SecondsPath parameter does not reference a valid integer value: " + ToText(*v)));
    }
    until += static_cast<int64_t>(v->to_number<double>()) * 1000;
  } else if (s.timestamp_path) {
    auto v = SelectFrom(*s.timestamp_path, **effective, ctx);
    if (!v) return Failed(FromError(s, f, v.error()));
    const auto nanos = v->is_string() ? ParseTimestamp(std::string_view(v->get_string())) : std::nullopt;
    if (!nanos) {
      return Failed(Runtime(s, f,
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
                            "date-time format string: " +
                                ToText(*v)));
    }
    until = *nanos / 1000000;
  }
  if (!Sleep(until, f)) {
    StepResult r;
    r.flow = Flow::kAborted;
    return r;
  }
  auto out = OutputOf(s, input, *effective, holder, ctx);
  if (!out) return Failed(FromError(s, f, out.error()));
  StepResult r;
  r.next = s.next_index;
  r.output = std::move(*out);
  return r;
}

StepResult Runner::RunSucceed(const State& s, json::value& input, Frame& f) {
  const json::value& ctx = s.uses_context ? Context(s, f, 0) : kNoContext;
  json::value holder;
  auto effective = SelectInput(s.input_path, input, ctx, holder);
  if (!effective) return Failed(FromError(s, f, effective.error()));
  auto out = OutputOf(s, input, *effective, holder, ctx);
  if (!out) return Failed(FromError(s, f, out.error()));
  StepResult r;
  r.flow = Flow::kEnd;
  r.output = std::move(*out);
  return r;
}

StepResult Runner::RunFail(const State& s, json::value& input, Frame& f) {
  const json::value& ctx = s.uses_context ? Context(s, f, 0) : kNoContext;
  Failure failure;
  // ErrorPath / CausePath: a reference path or an intrinsic function over the state's input.
  auto dynamic = [&](const std::string& text, const char* field, std::string& out) -> std::optional<Failure> {
    Result<json::value> v = IsIntrinsicCall(text) ? EvaluateIntrinsic(text, input, ctx) : [&]() -> Result<json::value> {
      auto path = JsonPath::Parse(text);
      if (!path) return path.error();
      return SelectFrom(*path, input, ctx);
    }();
    if (!v) return FromError(s, f, v.error());
    if (!v->is_string()) {
      return Runtime(s, f, std::string("The value of the field '") + field + "' must be a string: " + ToText(*v));
    }
    out = std::string(v->get_string());
    return std::nullopt;
  };
  if (s.error) failure.error = *s.error;
  if (s.cause) failure.cause = *s.cause;
  if (s.error_path) {
    if (auto bad = dynamic(*s.error_path, "ErrorPath", failure.error)) return Failed(std::move(*bad));
  }
  if (s.cause_path) {
    if (auto bad = dynamic(*s.cause_path, "CausePath", failure.cause)) return Failed(std::move(*bad));
  }
  return Failed(std::move(failure));
}

}  // namespace xacct::asl::detail
