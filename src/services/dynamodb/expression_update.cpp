// Applying an UpdateExpression to an item, per the Amazon DynamoDB Developer Guide ("Update expressions": SET
// with + and -, if_not_exists and list_append, and a list index past the end appending; REMOVE of attributes
// and list elements; ADD of numbers and set members, creating a missing attribute; DELETE of set members,
// removing a set left empty) and the runtime ValidationException wording DynamoDB returns. Every operand is
// read from the item as it was before the update.
#include <algorithm>

#include "services/dynamodb/expression_internal.h"

namespace xacct::services::dynamodb {

namespace {

constexpr std::string_view kInvalidPath = "The document path provided in the update expression is invalid for update";
constexpr std::string_view kIncorrectType = "An operand in the update expression has an incorrect data type";
constexpr std::string_view kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";

json::value& Inner(json::value& v) { return v.as_object().begin()->value(); }
const json::value& Inner(const json::value& v) { return v.as_object().begin()->value(); }

bool IsSet(std::string_view type) { return type == "SS" || type == "NS" || type == "BS"; }

Result<json::value> Evaluate(const Operand& o, const Item& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const json::value* v = Lookup(item, o.path);
      if (!v) return ValidationException(std::string(kMissingAttribute));
      return *v;
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      auto a = Evaluate(o.args[0], item);
      if (!a.ok()) return a;
      auto b = Evaluate(o.args[1], item);
      if (!b.ok()) return b;
      if (TypeOf(*a) != "N" || TypeOf(*b) != "N") return ValidationException(std::string(kIncorrectType));
      const std::string_view x = JsonString(Inner(*a)), y = JsonString(Inner(*b));
      auto sum = o.kind == Operand::Kind::kPlus ? AddNumbers(x, y) : SubtractNumbers(x, y);
      if (!sum.ok()) return sum.error();
      return json::value{{"N", *sum}};
    }
    case Operand::Kind::kFunction:
      break;
  }
  if (o.function == "if_not_exists") {
    if (const json::value* v = Lookup(item, o.args[0].path)) return *v;
    return Evaluate(o.args[1], item);
  }
  // list_append
  auto a = Evaluate(o.args[0], item);
  if (!a.ok()) return a;
  auto b = Evaluate(o.args[1], item);
  if (!b.ok()) return b;
  if (TypeOf(*a) != "L" || TypeOf(*b) != "L") return ValidationException(std::string(kIncorrectType));
  json::array joined = Inner(*a).as_array();
  for (const json::value& e : Inner(*b).as_array()) joined.push_back(e);
  return json::value{{"L", std::move(joined)}};
}

// The map or list holding the last step of `path`, or nullptr when a step before it is missing or of another type.
json::value* Parent(Item& item, const Path& path) {
  json::value* v = item.if_contains(path[0].name);
  for (size_t i = 1; v && i + 1 < path.size(); ++i) {
    const std::string_view type = TypeOf(*v);
    json::value& inner = Inner(*v);
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

Status Put(Item& item, const Path& path, json::value value) {
  if (path.size() == 1) {
    item[path[0].name] = std::move(value);
    return Ok{};
  }
  json::value* parent = Parent(item, path);
  const PathElement& last = path.back();
  if (!parent || TypeOf(*parent) != (last.IsIndex() ? "L" : "M")) return ValidationException(std::string(kInvalidPath));
  if (!last.IsIndex()) {
    Inner(*parent).as_object()[last.name] = std::move(value);
    return Ok{};
  }
  json::array& list = Inner(*parent).as_array();
  if (static_cast<size_t>(last.index) < list.size()) {
    list[static_cast<size_t>(last.index)] = std::move(value);
  } else {
    list.push_back(std::move(value));  // past the end appends, with no padding
  }
  return Ok{};
}

Status Remove(Item& item, const Path& path) {
  if (path.size() == 1) {
    item.erase(path[0].name);
    return Ok{};
  }
  json::value* parent = Parent(item, path);
  const PathElement& last = path.back();
  if (!parent || TypeOf(*parent) != (last.IsIndex() ? "L" : "M")) return ValidationException(std::string(kInvalidPath));
  if (!last.IsIndex()) {
    Inner(*parent).as_object().erase(last.name);
    return Ok{};
  }
  json::array& list = Inner(*parent).as_array();
  if (static_cast<size_t>(last.index) < list.size()) list.erase(list.begin() + last.index);
  return Ok{};
}

// Set members sorted as SortSet orders them, searched by that order: ADD and DELETE cost n log n, not n * m.
class SortedMembers {
 public:
  SortedMembers(std::string_view type, json::array members) : type_(type), members_(std::move(members)) {
    SortSet(type_, members_);
  }
  bool Has(const json::value& m) const {
    return std::binary_search(members_.begin(), members_.end(), m,
                              [&](const json::value& a, const json::value& b) { return Less(a, b); });
  }

 private:
  bool Less(const json::value& a, const json::value& b) const {
    const std::string_view x = JsonString(a), y = JsonString(b);
    if (type_ == "NS") return CompareNumbers(x, y) < 0;
    if (type_ == "BS") return DecodedBytes(x) < DecodedBytes(y);
    return x < y;
  }
  std::string_view type_;
  json::array members_;
};

Status Add(Item& item, const Path& path, const json::value& value) {
  const json::value* current = Lookup(item, path);
  if (!current) return Put(item, path, value);
  const std::string_view type = TypeOf(*current);
  if (type != TypeOf(value)) return ValidationException(std::string(kIncorrectType));
  if (type == "N") {
    auto sum = AddNumbers(JsonString(Inner(*current)), JsonString(Inner(value)));
    if (!sum.ok()) return sum.error();
    return Put(item, path, json::value{{"N", *sum}});
  }
  json::array members = Inner(*current).as_array();
  const SortedMembers present(type, members);
  for (const json::value& m : Inner(value).as_array()) {
    if (!present.Has(m)) members.push_back(m);
  }
  SortSet(type, members);
  return Put(item, path, json::value{{type, std::move(members)}});
}

Status Delete(Item& item, const Path& path, const json::value& value) {
  const json::value* current = Lookup(item, path);
  if (!current) return Ok{};
  const std::string_view type = TypeOf(*current);
  if (type != TypeOf(value) || !IsSet(type)) return ValidationException(std::string(kIncorrectType));
  json::array members;
  const SortedMembers removed(type, Inner(value).as_array());
  for (const json::value& m : Inner(*current).as_array()) {
    if (!removed.Has(m)) members.push_back(m);
  }
  if (members.empty()) return Remove(item, path);
  return Put(item, path, json::value{{type, std::move(members)}});
}

// REMOVE order: list elements from the highest index down, so that each index names an element of the list as
// it was before the update.
bool RemoveFirst(const Path& a, const Path& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].IsIndex() && b[i].IsIndex() && a[i].index != b[i].index) return a[i].index > b[i].index;
    if (a[i].name != b[i].name) return a[i].name < b[i].name;
  }
  return a.size() > b.size();
}

}  // namespace

Result<Update> Update::Parse(std::string_view text, ExpressionInputs& inputs) {
  Parser parser(text, "UpdateExpression", inputs);
  auto actions = parser.ParseUpdate();
  if (!actions.ok()) return actions.error();
  Update u;
  auto node = std::make_shared<Node>();
  node->actions = std::move(*actions);
  u.root_ = std::move(node);
  return u;
}

Status Update::Apply(Item& item) const {
  if (!root_) return Ok{};
  const Item before = item;
  // SET values first, all read from the item as it was.
  std::vector<json::value> values;
  for (const UpdateAction& a : root_->actions) {
    if (a.kind != UpdateAction::Kind::kSet) continue;
    auto v = Evaluate(a.value, before);
    if (!v.ok()) return v.error();
    values.push_back(std::move(*v));
  }
  size_t next_value = 0;
  std::vector<const Path*> removals;
  for (const UpdateAction& a : root_->actions) {
    Status s = Ok{};
    switch (a.kind) {
      case UpdateAction::Kind::kSet:
        s = Put(item, a.path, std::move(values[next_value++]));
        break;
      case UpdateAction::Kind::kRemove:
        removals.push_back(&a.path);
        break;
      case UpdateAction::Kind::kAdd:
        s = Add(item, a.path, a.value.value);
        break;
      case UpdateAction::Kind::kDelete:
        s = Delete(item, a.path, a.value.value);
        break;
    }
    if (!s.ok()) return s;
  }
  std::sort(removals.begin(), removals.end(), [](const Path* a, const Path* b) { return RemoveFirst(*a, *b); });
  for (const Path* p : removals) {
    if (auto s = Remove(item, *p); !s.ok()) return s;
  }
  return Ok{};
}

std::vector<std::string> Update::TouchedTopLevel() const {
  std::vector<std::string> names;
  if (!root_) return names;
  for (const UpdateAction& a : root_->actions) {
    if (std::find(names.begin(), names.end(), a.path[0].name) == names.end()) names.push_back(a.path[0].name);
  }
  return names;
}

}  // namespace xacct::services::dynamodb
