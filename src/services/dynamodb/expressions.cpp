// Expression attribute names and values, condition (and filter) evaluation, projections and key conditions, per
// the Amazon DynamoDB Developer Guide ("Expression attribute names", "Expression attribute values", "Condition
// and filter expressions, operators, and functions", "Projection expressions", "Key condition expressions for
// the Query operation") and the ValidationException wording DynamoDB returns (paritysuite/dynamodb-conformance,
// tests/tier3/error-messages/queryKeyConditionOperands.test.ts and updateItem.test.ts).
#include <algorithm>
#include <map>

#include "services/dynamodb/expression_internal.h"

namespace xacct::services::dynamodb {

// ---- ExpressionInputs ----

Result<std::string> ExpressionInputs::Name(std::string_view placeholder) {
  const json::value* v = names_ ? names_->if_contains(placeholder) : nullptr;
  if (!v) {
    return ValidationException(
        "An expression attribute name used in the document path is not defined; attribute name: " +
        std::string(placeholder));
  }
  used_names_.insert(std::string(placeholder));
  return std::string(JsonString(*v));
}

Result<json::value> ExpressionInputs::Value(std::string_view placeholder) {
  const json::value* v = values_ ? values_->if_contains(placeholder) : nullptr;
  if (!v) {
    return ValidationException("An expression attribute value used in expression is not defined; attribute value: " +
                               std::string(placeholder));
  }
  used_values_.insert(std::string(placeholder));
  json::value copy = *v;
  if (auto s = NormalizeValue(copy); !s.ok()) {
    if (s.error().code != "ValidationException") return s.error();
    return ValidationException("ExpressionAttributeValues contains invalid value: " + s.error().message + " for key " +
                               std::string(placeholder));
  }
  return copy;
}

Status ExpressionInputs::CheckAllUsed() const {
  for (const auto& [map, what, sigil] :
       {std::tuple{names_, "ExpressionAttributeNames", '#'}, std::tuple{values_, "ExpressionAttributeValues", ':'}}) {
    if (!map) continue;
    if (map->empty()) return ValidationException(std::string(what) + " must not be empty");
    for (const auto& [key, v] : *map) {
      const bool valid =
          key.size() > 1 && key[0] == sigil && std::all_of(key.begin() + 1, key.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
          });
      if (!valid) {
        return ValidationException(std::string(what) + " contains invalid key: Syntax error; key: \"" +
                                   std::string(key) + "\"");
      }
    }
  }
  for (const auto& [map, used, what] : {std::tuple{names_, &used_names_, "ExpressionAttributeNames"},
                                        std::tuple{values_, &used_values_, "ExpressionAttributeValues"}}) {
    if (!map) continue;
    std::vector<std::string> unused;
    for (const auto& [key, v] : *map) {
      if (!used->count(key)) unused.emplace_back(key);
    }
    if (unused.empty()) continue;
    std::sort(unused.begin(), unused.end());
    std::string keys;
    for (const std::string& k : unused) keys += (keys.empty() ? "" : ", ") + k;
    return ValidationException("Value provided in " + std::string(what) + " unused in expressions: keys: {" + keys +
                               "}");
  }
  return Ok{};
}

// ---- evaluation ----

const json::value* Lookup(const Item& item, const Path& path) {
  const json::value* v = item.if_contains(path[0].name);
  for (size_t i = 1; v && i < path.size(); ++i) {
    const std::string_view type = TypeOf(*v);
    const json::value& inner = v->as_object().begin()->value();
    if (path[i].IsIndex()) {
      v = type == "L" && static_cast<size_t>(path[i].index) < inner.as_array().size()
              ? &inner.as_array()[static_cast<size_t>(path[i].index)]
              : nullptr;
    } else {
      v = type == "M" ? inner.as_object().if_contains(path[i].name) : nullptr;
    }
  }
  return v;
}

namespace {

// The members of a value (S text, set members, list elements), by type.
const json::value& Inner(const json::value& v) { return v.as_object().begin()->value(); }

std::optional<json::value> Size(const json::value& v) {
  const std::string_view type = TypeOf(v);
  const json::value& inner = Inner(v);
  size_t n = 0;
  if (type == "S") {
    n = JsonString(inner).size();
  } else if (type == "B") {
    n = DecodedBytes(JsonString(inner)).size();
  } else if (type == "SS" || type == "NS" || type == "BS" || type == "L") {
    n = inner.as_array().size();
  } else if (type == "M") {
    n = inner.as_object().size();
  } else {
    return std::nullopt;  // N, BOOL and NULL have no size: the condition is false
  }
  return json::value{{"N", std::to_string(n)}};
}

std::optional<json::value> Evaluate(const Operand& o, const Item& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const json::value* v = Lookup(item, o.path);
      return v ? std::optional<json::value>(*v) : std::nullopt;
    }
    default: {  // size(), the only function that is an operand in a condition
      auto arg = Evaluate(o.args[0], item);
      return arg ? Size(*arg) : std::nullopt;
    }
  }
}

bool BeginsWith(const json::value& value, const json::value& prefix) {
  const std::string_view type = TypeOf(value);
  if (type != TypeOf(prefix) || (type != "S" && type != "B")) return false;
  const std::string x = type == "B" ? DecodedBytes(JsonString(Inner(value))) : std::string(JsonString(Inner(value)));
  const std::string p = type == "B" ? DecodedBytes(JsonString(Inner(prefix))) : std::string(JsonString(Inner(prefix)));
  return x.compare(0, p.size(), p) == 0 && x.size() >= p.size();
}

bool Contains(const json::value& container, const json::value& operand) {
  const std::string_view type = TypeOf(container);
  const json::value& inner = Inner(container);
  if (type == "S") {
    return TypeOf(operand) == "S" && JsonString(inner).find(JsonString(Inner(operand))) != std::string_view::npos;
  }
  if (type == "SS" || type == "NS" || type == "BS") {
    const std::string_view element = type.substr(0, 1);
    if (TypeOf(operand) != element) return false;
    return std::any_of(inner.as_array().begin(), inner.as_array().end(), [&](const json::value& m) {
      return ValuesEqual(json::value{{element, m}}, operand);
    });
  }
  if (type == "L") {
    return std::any_of(inner.as_array().begin(), inner.as_array().end(),
                       [&](const json::value& e) { return ValuesEqual(e, operand); });
  }
  return false;
}

bool Compare(std::string_view op, const std::optional<json::value>& a, const std::optional<json::value>& b) {
  if (op == "<>") return !a || !b || !ValuesEqual(*a, *b);  // a missing attribute or another type differs
  if (!a || !b) return false;
  if (op == "=") return ValuesEqual(*a, *b);
  const std::optional<int> c = CompareValues(*a, *b);  // only S, N and B of one type are ordered
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == "<=") return *c <= 0;
  if (op == ">") return *c > 0;
  return *c >= 0;
}

bool Holds(const CondNode& n, const Item& item) {
  switch (n.kind) {
    case CondNode::Kind::kOr:
      return Holds(n.children[0], item) || Holds(n.children[1], item);
    case CondNode::Kind::kAnd:
      return Holds(n.children[0], item) && Holds(n.children[1], item);
    case CondNode::Kind::kNot:
      return !Holds(n.children[0], item);
    case CondNode::Kind::kCompare:
      return Compare(n.op, Evaluate(n.operands[0], item), Evaluate(n.operands[1], item));
    case CondNode::Kind::kBetween: {
      const auto v = Evaluate(n.operands[0], item);
      return Compare(">=", v, Evaluate(n.operands[1], item)) && Compare("<=", v, Evaluate(n.operands[2], item));
    }
    case CondNode::Kind::kIn: {
      const auto v = Evaluate(n.operands[0], item);
      for (size_t i = 1; i < n.operands.size(); ++i) {
        if (Compare("=", v, Evaluate(n.operands[i], item))) return true;
      }
      return false;
    }
    case CondNode::Kind::kFunction:
      break;
  }
  if (n.op == "attribute_exists") return Lookup(item, n.operands[0].path) != nullptr;
  if (n.op == "attribute_not_exists") return Lookup(item, n.operands[0].path) == nullptr;
  const auto a = Evaluate(n.operands[0], item);
  const auto b = Evaluate(n.operands[1], item);
  if (!a || !b) return false;
  if (n.op == "attribute_type") return TypeOf(*a) == JsonString(Inner(*b));
  if (n.op == "begins_with") return BeginsWith(*a, *b);
  return Contains(*a, *b);  // contains
}

}  // namespace

// ---- Condition ----

Result<Condition> Condition::Parse(std::string_view text, std::string_view what, ExpressionInputs& inputs) {
  Parser parser(text, what, inputs);
  auto root = parser.ParseCondition();
  if (!root.ok()) return root.error();
  Condition c;
  auto node = std::make_shared<Node>();
  node->condition = std::move(*root);
  c.root_ = std::move(node);
  return c;
}

Result<bool> Condition::Evaluate(const Item& item) const {
  if (!root_) return true;
  return Holds(root_->condition, item);
}

// ---- Projection ----

namespace {

// The requested parts of a value: all of it, or some members of a map, or some elements of a list.
struct Wanted {
  bool whole = false;
  std::map<std::string, Wanted> members;
  std::map<int64_t, Wanted> elements;
};

std::optional<json::value> Project(const json::value& value, const Wanted& wanted) {
  if (wanted.whole) return value;
  const std::string_view type = TypeOf(value);
  if (type == "M" && !wanted.members.empty()) {
    json::object out;
    for (const auto& [name, w] : wanted.members) {
      const json::value* member = Inner(value).as_object().if_contains(name);
      if (!member) continue;
      if (auto p = Project(*member, w)) out[name] = std::move(*p);
    }
    if (out.empty()) return std::nullopt;
    return json::value{{"M", std::move(out)}};
  }
  if (type == "L" && !wanted.elements.empty()) {
    // The requested elements, in index order and without gaps, as DynamoDB returns them.
    json::array out;
    const json::array& list = Inner(value).as_array();
    for (const auto& [index, w] : wanted.elements) {
      if (static_cast<size_t>(index) >= list.size()) continue;
      if (auto p = Project(list[static_cast<size_t>(index)], w)) out.push_back(std::move(*p));
    }
    if (out.empty()) return std::nullopt;
    return json::value{{"L", std::move(out)}};
  }
  return std::nullopt;
}

}  // namespace

Result<Projection> Projection::Parse(std::string_view text, ExpressionInputs& inputs) {
  Parser parser(text, "ProjectionExpression", inputs);
  auto paths = parser.ParseProjection();
  if (!paths.ok()) return paths.error();
  Projection p;
  auto node = std::make_shared<Node>();
  node->paths = std::move(*paths);
  p.root_ = std::move(node);
  return p;
}

Projection Projection::OfNames(const std::vector<std::string>& names) {
  Projection p;
  auto node = std::make_shared<Node>();
  for (const std::string& n : names) node->paths.push_back(Path{PathElement{n, n, -1}});
  p.root_ = std::move(node);
  return p;
}

Item Projection::Apply(const Item& item) const {
  if (!root_) return item;
  std::map<std::string, Wanted> top;
  for (const Path& path : root_->paths) {
    Wanted* w = &top[path[0].name];
    for (size_t i = 1; i < path.size(); ++i) {
      w = path[i].IsIndex() ? &w->elements[path[i].index] : &w->members[path[i].name];
    }
    w->whole = true;
  }
  Item out;
  for (const auto& [name, w] : top) {
    const json::value* v = item.if_contains(name);
    if (!v) continue;
    if (auto p = Project(*v, w)) out[name] = std::move(*p);
  }
  return out;
}

// ---- KeyCondition ----

Result<KeyCondition> KeyCondition::Parse(std::string_view text, ExpressionInputs& inputs, std::string_view hash_key,
                                         std::string_view range_key) {
  Parser parser(text, "KeyConditionExpression", inputs);
  auto root = parser.ParseCondition();
  if (!root.ok()) return root.error();
  struct Clause {
    std::string attribute, op;
    std::vector<json::value> values;
  };
  std::vector<Clause> clauses;
  std::vector<const CondNode*> pending = {&*root};
  while (!pending.empty()) {
    const CondNode* n = pending.front();
    pending.erase(pending.begin());
    if (n->kind == CondNode::Kind::kAnd) {
      pending.insert(pending.begin(), {&n->children[0], &n->children[1]});
      continue;
    }
    const std::string op = n->kind == CondNode::Kind::kOr ? "OR" : n->kind == CondNode::Kind::kNot ? "NOT" : n->op;
    const bool supported =
        op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "BETWEEN" || op == "begins_with";
    if (!supported) return ValidationException("Invalid operator used in KeyConditionExpression: " + op);
    // One side names a key attribute, the others are values; "value < key" reads as "key > value".
    Clause c;
    c.op = op;
    std::vector<Operand> operands = n->operands;
    if (op != "BETWEEN" && op != "begins_with" && operands[0].kind == Operand::Kind::kValue) {
      std::swap(operands[0], operands[1]);
      c.op = op == "<" ? ">" : op == ">" ? "<" : op == "<=" ? ">=" : op == ">=" ? "<=" : op;
    }
    for (size_t i = 0; i < operands.size(); ++i) {
      const bool want_path = i == 0;
      if ((operands[i].kind == Operand::Kind::kPath) != want_path) {
        return parser.Error("Invalid condition in KeyConditionExpression: " +
                            std::string(want_path ? "the first operand must name a key attribute"
                                                  : "only the first operand may name an attribute"));
      }
    }
    c.attribute = operands[0].path[0].name;
    for (size_t i = 1; i < operands.size(); ++i) c.values.push_back(operands[i].value);
    clauses.push_back(std::move(c));
  }
  for (size_t i = 0; i < clauses.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (clauses[i].attribute == clauses[j].attribute) {
        return parser.Error("KeyConditionExpressions must only contain one condition per key");
      }
    }
  }
  const size_t key_count = range_key.empty() ? 1 : 2;
  if (clauses.size() > key_count) {
    return ValidationException("The number of query conditions (" + std::to_string(clauses.size()) +
                               ") exceeds the number of key attributes defined in the schema (" +
                               std::to_string(key_count) + ")");
  }
  const auto hash =
      std::find_if(clauses.begin(), clauses.end(), [&](const Clause& c) { return c.attribute == hash_key; });
  if (hash == clauses.end()) {
    return ValidationException("Query condition missed key schema element: " + std::string(hash_key));
  }
  if (hash->op != "=") return ValidationException("Query key condition not supported");
  KeyCondition out;
  out.hash_value = std::move(hash->values[0]);
  for (Clause& c : clauses) {
    if (c.attribute == hash_key) continue;
    if (c.attribute != range_key) {
      return ValidationException("Query condition missed key schema element: " + std::string(range_key));
    }
    out.range_op = c.op;
    out.range_low = std::move(c.values[0]);
    if (c.values.size() > 1) out.range_high = std::move(c.values[1]);
  }
  return out;
}

bool KeyCondition::RangeMatches(const json::value& range_value) const {
  if (range_op.empty()) return true;
  if (range_op == "begins_with") return BeginsWith(range_value, range_low);
  if (range_op == "BETWEEN") return Compare(">=", range_value, range_low) && Compare("<=", range_value, range_high);
  return Compare(range_op, range_value, range_low);
}

}  // namespace xacct::services::dynamodb
