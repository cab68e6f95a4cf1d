// JSONPath for the Amazon States Language (ASL specification "Paths", "Reference Paths"; Developer Guide "Using
// JSONPath paths"). AWS evaluates paths with Jayway JsonPath over Jackson, so a miss is explained in Jayway's
// words (its exceptions reach the Cause of a States.Runtime failure) and an index past the end of an array
// reads as null. The path is compiled once; selecting with a reference path is a plain walk.
#include "asl/json_path.h"

#include <charconv>
#include <regex>

#include "asl/paths_internal.h"

namespace xacct::asl {
namespace detail {

struct Operand {
  enum class Kind : uint8_t { kLiteral, kCurrent, kRoot };
  Kind kind = Kind::kLiteral;
  json::value literal;
  PathProgram path;
};

struct FilterNode {
  enum class Op : uint8_t { kOr, kAnd, kNot, kExists, kEq, kNe, kLt, kLe, kGt, kGe, kMatch };
  Op op = Op::kExists;
  std::shared_ptr<const FilterNode> a, b;
  Operand lhs, rhs;
  std::shared_ptr<const std::regex> re;
};

namespace {

constexpr std::string_view kProvider = "com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool Path(PathProgram& out, bool relative) {
    if (relative) {
      ++pos_;  // '@'
    } else {
      if (!Eat('$')) return Fail("a path must start with '$'");
      if (!relative && pos_ < s_.size() && s_[pos_] == '$') {
        out.context = true;
        ++pos_;
      }
    }
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '.') {
        Step step;
        ++pos_;
        if (Eat('.')) step.descend = true;
        if (pos_ < s_.size() && s_[pos_] == '[') {
          if (!step.descend) return Fail("unexpected '[' after '.'");
          if (!Bracket(step)) return false;
        } else if (Eat('*')) {
          step.kind = StepKind::kWildcard;
        } else if (!DotName(step)) {
          return false;
        }
        Push(out, std::move(step));
      } else if (c == '[') {
        Step step;
        if (!Bracket(step)) return false;
        Push(out, std::move(step));
      } else if (in_filter_) {
        return true;  // the operand ends here; the filter parser decides what follows
      } else {
        return Fail(std::string("unexpected character '") + c + "'");
      }
    }
    return true;
  }

  bool AtEnd() const { return pos_ == s_.size(); }
  const std::string& error() const { return error_; }

 private:
  static void Push(PathProgram& out, Step step) {
    if (step.descend || (step.kind != StepKind::kName && step.kind != StepKind::kIndex)) out.reference = false;
    out.steps.push_back(std::move(step));
  }

  bool Fail(std::string what) {
    if (error_.empty()) error_ = std::move(what) + " at position " + std::to_string(pos_);
    return false;
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  bool DotName(Step& step) {
    size_t begin = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '.' || c == '[') break;
      if (in_filter_ && (c == '=' || c == '<' || c == '>' || c == '!' || c == '&' || c == '|')) break;
      if (IsSpace(c) || c == ']' || c == '(' || c == ')' || c == '\'' || c == '"' || c == ',') {
        if (in_filter_) break;
        return Fail(std::string("unexpected character '") + c + "' in a property name");
      }
      ++pos_;
    }
    if (pos_ == begin) return Fail("empty property name");
    step.kind = StepKind::kName;
    step.name = std::string(s_.substr(begin, pos_ - begin));
    return true;
  }

  bool Quoted(std::string& out) {
    char quote = s_[pos_++];
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      out += s_[pos_++];
    }
    if (!Eat(quote)) return Fail("unterminated quoted name");
    return true;
  }

  bool Integer(int64_t& out) {
    size_t begin = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    auto [p, ec] = std::from_chars(s_.data() + begin, s_.data() + pos_, out);
    if (ec != std::errc() || p != s_.data() + pos_) return Fail("expected an array index");
    return true;
  }

  bool Bracket(Step& step) {
    ++pos_;  // '['
    SkipSpace();
    if (pos_ >= s_.size()) return Fail("unterminated '['");
    char c = s_[pos_];
    if (c == '*') {
      ++pos_;
      step.kind = StepKind::kWildcard;
    } else if (c == '\'' || c == '"') {
      for (;;) {
        std::string name;
        if (!Quoted(name)) return false;
        step.names.push_back(std::move(name));
        SkipSpace();
        if (!Eat(',')) break;
        SkipSpace();
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) return Fail("expected a quoted name");
      }
      step.kind = step.names.size() == 1 ? StepKind::kName : StepKind::kNames;
      if (step.names.size() == 1) step.name = std::move(step.names[0]);
    } else if (c == '?') {
      ++pos_;
      SkipSpace();
      if (!Eat('(')) return Fail("expected '(' after '?'");
      bool outer = in_filter_;
      in_filter_ = true;
      auto node = Or();
      in_filter_ = outer;
      if (!node) return false;
      SkipSpace();
      if (!Eat(')')) return Fail("expected ')' closing the filter");
      step.kind = StepKind::kFilter;
      step.filter = std::move(node);
    } else if (c == ':' || c == '-' || (c >= '0' && c <= '9')) {
      if (!IndexOrSlice(step)) return false;
    } else {
      return Fail(std::string("unexpected character '") + c + "' after '['");
    }
    SkipSpace();
    if (!Eat(']')) return Fail("expected ']'");
    return true;
  }

  bool IndexOrSlice(Step& step) {
    if (s_[pos_] != ':') {
      int64_t first = 0;
      if (!Integer(first)) return false;
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] != ':') {
        step.indexes.push_back(first);
        while (SkipSpace(), Eat(',')) {
          SkipSpace();
          int64_t next = 0;
          if (!Integer(next)) return false;
          step.indexes.push_back(next);
        }
        step.kind = step.indexes.size() == 1 ? StepKind::kIndex : StepKind::kIndexes;
        step.index = first;
        return true;
      }
      step.has_start = true;
      step.start = first;
    }
    if (!Eat(':')) return Fail("expected ':'");
    SkipSpace();
    step.kind = StepKind::kSlice;
    if (pos_ < s_.size() && s_[pos_] != ']') {
      step.has_end = true;
      if (!Integer(step.end)) return false;
    }
    return true;
  }

  // Filter expressions: || over && over ! / ( ) / comparison.
  std::shared_ptr<FilterNode> Or() {
    auto left = And();
    while (left) {
      SkipSpace();
      if (s_.substr(pos_, 2) != "||") break;
      pos_ += 2;
      auto node = std::make_shared<FilterNode>();
      node->op = FilterNode::Op::kOr;
      node->a = std::move(left);
      node->b = And();
      if (!node->b) return nullptr;
      left = std::move(node);
    }
    return left;
  }
  std::shared_ptr<FilterNode> And() {
    auto left = Unary();
    while (left) {
      SkipSpace();
      if (s_.substr(pos_, 2) != "&&") break;
      pos_ += 2;
      auto node = std::make_shared<FilterNode>();
      node->op = FilterNode::Op::kAnd;
      node->a = std::move(left);
      node->b = Unary();
      if (!node->b) return nullptr;
      left = std::move(node);
    }
    return left;
  }
  std::shared_ptr<FilterNode> Unary() {
    SkipSpace();
    if (Eat('!')) {
      auto node = std::make_shared<FilterNode>();
      node->op = FilterNode::Op::kNot;
      node->a = Unary();
      return node->a ? node : nullptr;
    }
    if (Eat('(')) {
      auto inner = Or();
      SkipSpace();
      if (!inner || !Eat(')')) return Fail("expected ')'"), nullptr;
      return inner;
    }
    return Comparison();
  }
  std::shared_ptr<FilterNode> Comparison() {
    auto node = std::make_shared<FilterNode>();
    if (!OperandAt(node->lhs)) return nullptr;
    SkipSpace();
    static constexpr std::pair<std::string_view, FilterNode::Op> kOps[] = {
        {"==", FilterNode::Op::kEq}, {"!=", FilterNode::Op::kNe},    {"<=", FilterNode::Op::kLe},
        {">=", FilterNode::Op::kGe}, {"=~", FilterNode::Op::kMatch}, {"<", FilterNode::Op::kLt},
        {">", FilterNode::Op::kGt}};
    for (const auto& [text, op] : kOps) {
      if (s_.substr(pos_, text.size()) != text) continue;
      pos_ += text.size();
      node->op = op;
      SkipSpace();
      if (op == FilterNode::Op::kMatch) return Regex(std::move(node));
      if (!OperandAt(node->rhs)) return nullptr;
      return node;
    }
    node->op = FilterNode::Op::kExists;
    if (node->lhs.kind == Operand::Kind::kLiteral) return Fail("expected a comparison"), nullptr;
    return node;
  }
  std::shared_ptr<FilterNode> Regex(std::shared_ptr<FilterNode> node) {
    if (!Eat('/')) return Fail("expected '/' starting a regular expression"), nullptr;
    std::string pattern;
    while (pos_ < s_.size() && s_[pos_] != '/') {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) pattern += s_[pos_++];
      pattern += s_[pos_++];
    }
    if (!Eat('/')) return Fail("unterminated regular expression"), nullptr;
    auto flags = std::regex::ECMAScript;
    if (Eat('i')) flags |= std::regex::icase;
    try {
      node->re = std::make_shared<const std::regex>(pattern, flags);
    } catch (const std::regex_error&) {
      return Fail("invalid regular expression"), nullptr;
    }
    return node;
  }
  bool OperandAt(Operand& out) {
    SkipSpace();
    if (pos_ >= s_.size()) return Fail("expected an operand");
    char c = s_[pos_];
    if (c == '@' || c == '$') {
      out.kind = c == '@' ? Operand::Kind::kCurrent : Operand::Kind::kRoot;
      if (!Path(out.path, c == '@')) return false;
      if (!out.path.reference) return Fail("a filter operand must be a reference path");
      return true;
    }
    out.kind = Operand::Kind::kLiteral;
    if (c == '\'' || c == '"') {
      std::string text;
      if (!Quoted(text)) return false;
      out.literal = json::string(text);
      return true;
    }
    size_t begin = pos_;
    while (pos_ < s_.size() && !IsSpace(s_[pos_]) && s_[pos_] != ')' && s_[pos_] != '&' && s_[pos_] != '|' &&
           s_[pos_] != '=' && s_[pos_] != '!' && s_[pos_] != '<' && s_[pos_] != '>') {
      ++pos_;
    }
    std::string_view word = s_.substr(begin, pos_ - begin);
    json::error_code ec;
    out.literal = json::parse(word, ec);
    if (ec || out.literal.is_structured()) return Fail("expected a literal");
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool in_filter_ = false;
  std::string error_;
};

const json::value& Null() {
  static const json::value kNull;
  return kNull;
}

std::string JavaClass(const json::value* v) {
  if (v == nullptr || v->is_null()) return "null";
  switch (v->kind()) {
    case json::kind::string:
      return "java.lang.String";
    case json::kind::bool_:
      return "java.lang.Boolean";
    case json::kind::double_:
      return "java.lang.Double";
    case json::kind::int64:
      return v->get_int64() >= INT32_MIN && v->get_int64() <= INT32_MAX ? "java.lang.Integer" : "java.lang.Long";
    case json::kind::uint64:
      return v->get_uint64() <= INT32_MAX ? "java.lang.Integer" : "java.lang.Long";
    case json::kind::array:
      return "com.fasterxml.jackson.databind.node.ArrayNode";
    default:
      return "com.fasterxml.jackson.databind.node.ObjectNode";
  }
}

// Object.toString() of the Java value Jackson unwraps a node into.
std::string JavaText(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return CompactJson(v);
}

std::string StepText(const Step& step) {
  std::string out;
  switch (step.kind) {
    case StepKind::kName:
      return "['" + step.name + "']";
    case StepKind::kIndex:
      return "[" + std::to_string(step.index) + "]";
    case StepKind::kWildcard:
      return "[*]";
    case StepKind::kFilter:
      return "[?]";
    case StepKind::kSlice:
      out = "[";
      if (step.has_start) out += std::to_string(step.start);
      out += ":";
      if (step.has_end) out += std::to_string(step.end);
      return out + "]";
    case StepKind::kNames:
      for (const auto& n : step.names) out += (out.empty() ? "['" : ",'") + n + "'";
      return out + "]";
    case StepKind::kIndexes:
      for (int64_t i : step.indexes) out += (out.empty() ? "[" : ",") + std::to_string(i);
      return out + "]";
  }
  return out;
}

bool Number(const json::value& v, double& out) {
  if (v.is_int64())
    out = static_cast<double>(v.get_int64());
  else if (v.is_uint64())
    out = static_cast<double>(v.get_uint64());
  else if (v.is_double())
    out = v.get_double();
  else
    return false;
  return true;
}

const json::value* Resolve(const Operand& op, const json::value& item, const json::value& root) {
  if (op.kind == Operand::Kind::kLiteral) return &op.literal;
  Found f = FindReference(op.path, op.kind == Operand::Kind::kCurrent ? item : root);
  return f.past_end ? nullptr : f.node;
}

bool Test(const FilterNode& n, const json::value& item, const json::value& root) {
  using Op = FilterNode::Op;
  switch (n.op) {
    case Op::kOr:
      return Test(*n.a, item, root) || Test(*n.b, item, root);
    case Op::kAnd:
      return Test(*n.a, item, root) && Test(*n.b, item, root);
    case Op::kNot:
      return !Test(*n.a, item, root);
    case Op::kExists:
      return Resolve(n.lhs, item, root) != nullptr;
    default:
      break;
  }
  const json::value* l = Resolve(n.lhs, item, root);
  if (l == nullptr) return false;
  if (n.op == Op::kMatch) {
    return l->is_string() && std::regex_match(l->get_string().begin(), l->get_string().end(), *n.re);
  }
  const json::value* r = Resolve(n.rhs, item, root);
  if (r == nullptr) return false;
  double a = 0, b = 0;
  int cmp = 0;
  if (Number(*l, a) && Number(*r, b)) {
    cmp = a < b ? -1 : (a > b ? 1 : 0);
  } else if (l->is_string() && r->is_string()) {
    int c = l->get_string().compare(r->get_string());
    cmp = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else if (n.op == Op::kEq || n.op == Op::kNe) {
    return (*l == *r) == (n.op == Op::kEq);
  } else {
    return false;
  }
  switch (n.op) {
    case Op::kEq:
      return cmp == 0;
    case Op::kNe:
      return cmp != 0;
    case Op::kLt:
      return cmp < 0;
    case Op::kLe:
      return cmp <= 0;
    case Op::kGt:
      return cmp > 0;
    default:
      return cmp >= 0;
  }
}

int64_t Clamp(int64_t i, int64_t size) {
  if (i < 0) i += size;
  return i < 0 ? 0 : (i > size ? size : i);
}

// Calls `next` for each child `step` selects from `node` (missing children are skipped).
template <typename Next>
void ApplyStep(const Step& step, const json::value& node, const json::value& root, Next&& next) {
  switch (step.kind) {
    case StepKind::kName:
      if (const auto* o = node.if_object()) {
        if (const auto* v = o->if_contains(step.name)) next(*v);
      }
      return;
    case StepKind::kNames:
      if (const auto* o = node.if_object()) {
        for (const auto& name : step.names) {
          if (const auto* v = o->if_contains(name)) next(*v);
        }
      }
      return;
    case StepKind::kIndex:
    case StepKind::kIndexes:
      if (const auto* a = node.if_array()) {
        auto size = static_cast<int64_t>(a->size());
        auto one = [&](int64_t i) {
          if (i < 0) i += size;
          if (i >= 0 && i < size) next((*a)[static_cast<size_t>(i)]);
        };
        if (step.kind == StepKind::kIndex) {
          one(step.index);
        } else {
          for (int64_t i : step.indexes) one(i);
        }
      }
      return;
    case StepKind::kWildcard:
      if (const auto* o = node.if_object()) {
        for (const auto& kv : *o) next(kv.value());
      } else if (const auto* a = node.if_array()) {
        for (const auto& v : *a) next(v);
      }
      return;
    case StepKind::kSlice:
      if (const auto* a = node.if_array()) {
        auto size = static_cast<int64_t>(a->size());
        int64_t from = step.has_start ? Clamp(step.start, size) : 0;
        int64_t to = step.has_end ? Clamp(step.end, size) : size;
        for (int64_t i = from; i < to; ++i) next((*a)[static_cast<size_t>(i)]);
      }
      return;
    case StepKind::kFilter:
      if (const auto* a = node.if_array()) {
        for (const auto& v : *a) {
          if (Test(*step.filter, v, root)) next(v);
        }
      } else if (node.is_object() && Test(*step.filter, node, root)) {
        next(node);
      }
      return;
  }
}

void Collect(const std::vector<Step>& steps, size_t i, const json::value& node, const json::value& root,
             json::array& out);

void Descend(const std::vector<Step>& steps, size_t i, const json::value& node, const json::value& root,
             json::array& out) {
  ApplyStep(steps[i], node, root, [&](const json::value& child) { Collect(steps, i + 1, child, root, out); });
  if (const auto* o = node.if_object()) {
    for (const auto& kv : *o) Descend(steps, i, kv.value(), root, out);
  } else if (const auto* a = node.if_array()) {
    for (const auto& v : *a) Descend(steps, i, v, root, out);
  }
}

void Collect(const std::vector<Step>& steps, size_t i, const json::value& node, const json::value& root,
             json::array& out) {
  if (i == steps.size()) {
    out.push_back(node);
    return;
  }
  if (steps[i].descend) {
    Descend(steps, i, node, root, out);
    return;
  }
  ApplyStep(steps[i], node, root, [&](const json::value& child) { Collect(steps, i + 1, child, root, out); });
}

}  // namespace

Result<PathProgram> CompilePath(std::string_view text) {
  PathProgram out;
  out.text = std::string(text);
  Parser parser(text);
  if (!parser.Path(out, false) || !parser.AtEnd()) {
    std::string why = parser.error().empty() ? "unexpected text" : parser.error();
    return AwsError::Client("InvalidPath", "Invalid JSONPath '" + std::string(text) + "': " + why);
  }
  return out;
}

std::string CanonicalPath(const PathProgram& path, size_t count) {
  std::string out = "$";
  for (size_t i = 0; i < count && i < path.steps.size(); ++i) {
    if (path.steps[i].descend) out += "..";
    out += StepText(path.steps[i]);
  }
  return out;
}

Found FindReference(const PathProgram& path, const json::value& root) {
  Found f;
  const json::value* cur = &root;
  bool beyond = false;  // `cur` is the null Jackson reads past an array's end
  const size_t n = path.steps.size();
  for (size_t i = 0; i < n; ++i) {
    const Step& step = path.steps[i];
    const bool leaf = i + 1 == n;
    if (step.kind == StepKind::kName) {
      const auto* o = beyond ? nullptr : cur->if_object();
      if (o == nullptr) {
        f.miss = "Expected to find an object with property ['" + step.name + "'] in path " + CanonicalPath(path, i) +
                 " but found '" + JavaClass(cur) + "'. This is not a json object according to the JsonProvider: '" +
                 std::string(kProvider) + "'.";
        return f;
      }
      const json::value* next = o->if_contains(step.name);
      if (next == nullptr) {
        f.miss = leaf ? "No results for path: " + CanonicalPath(path, n)
                      : "Missing property in path " + CanonicalPath(path, i + 1);
        return f;
      }
      cur = next;
      continue;
    }
    // An index.
    if (beyond || cur->is_null()) {
      f.miss = "The path " + CanonicalPath(path, i) + " is null";
      return f;
    }
    const auto* a = cur->if_array();
    if (a == nullptr) {
      f.not_array = true;
      f.miss = "Filter: " + StepText(step) + " can only be applied to arrays. Current context is: " + JavaText(*cur);
      return f;
    }
    auto size = static_cast<int64_t>(a->size());
    int64_t idx = step.index < 0 ? step.index + size : step.index;
    if (idx < 0 || idx >= size) {
      beyond = true;
      cur = &Null();
      if (leaf) f.past_end = true;
      continue;
    }
    cur = &(*a)[static_cast<size_t>(idx)];
  }
  f.node = cur;
  return f;
}

void CollectAll(const PathProgram& path, const json::value& root, json::array& out) {
  Collect(path.steps, 0, root, root, out);
}

}  // namespace detail

struct JsonPath::Impl {
  detail::PathProgram program;
};

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  auto program = detail::CompilePath(text);
  if (!program.ok()) return program.error();
  JsonPath path;
  auto impl = std::make_shared<Impl>();
  impl->program = std::move(program).value();
  path.impl_ = std::move(impl);
  return path;
}

const std::string& JsonPath::text() const { return impl_->program.text; }
bool JsonPath::IsContextPath() const { return impl_->program.context; }
bool JsonPath::IsReferencePath() const { return impl_->program.reference; }

Result<json::value> JsonPath::Select(const json::value& root) const {
  const auto& program = impl_->program;
  if (!program.reference) {
    json::array out;
    detail::CollectAll(program, root, out);
    return json::value(std::move(out));
  }
  detail::Found found = detail::FindReference(program, root);
  if (found.node == nullptr) {
    return AwsError::Client("States.Runtime", "Invalid path '" + program.text + "' : " + found.miss);
  }
  return *found.node;
}

Status JsonPath::Place(json::value& target, json::value value) const {
  const auto& program = impl_->program;
  if (!program.reference) {
    return AwsError::Client("States.Runtime",
                            "Invalid path '" + program.text + "' : a ResultPath must be a reference path");
  }
  json::value* cur = &target;
  const size_t n = program.steps.size();
  for (size_t i = 0; i < n; ++i) {
    const auto& step = program.steps[i];
    const bool leaf = i + 1 == n;
    // AWS's words for a step that cannot be applied (error States.ReferencePathConflict).
    auto conflict = [&](const std::string& name) {
      return AwsError::Client("States.ReferencePathConflict",
                              "Unable to apply step \"" + name + "\" to input " + detail::CompactJson(*cur));
    };
    if (step.kind == detail::StepKind::kName) {
      auto* o = cur->if_object();
      if (o == nullptr) return conflict(step.name);
      if (leaf) {
        (*o)[step.name] = std::move(value);
        return Ok{};
      }
      auto it = o->find(step.name);
      if (it == o->end()) it = o->emplace(step.name, json::object()).first;
      cur = &it->value();
      continue;
    }
    auto* a = cur->if_array();
    auto size = a == nullptr ? 0 : static_cast<int64_t>(a->size());
    int64_t idx = step.index < 0 ? step.index + size : step.index;
    if (a == nullptr || idx < 0 || idx >= size) return conflict(std::to_string(step.index));
    cur = &(*a)[static_cast<size_t>(idx)];
    if (leaf) {
      *cur = std::move(value);
      return Ok{};
    }
  }
  target = std::move(value);  // `$` (or `$$`): the value replaces the target
  return Ok{};
}

}  // namespace xacct::asl
