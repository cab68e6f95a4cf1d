// The tokenizer and recursive-descent parser for DynamoDB's expression languages, per the Amazon DynamoDB
// Developer Guide ("Using expressions in DynamoDB": document paths, comparison operator and function
// reference with its precedence = <> < <= > >=, IN, BETWEEN, functions, parentheses, NOT, AND, OR; "Update
// expressions"; "Projection expressions"). The syntax is checked first (a syntax error names the token and
// the text around it, as DynamoDB's "Syntax error; token: \"x\", near: \"a x b\""), then the semantic checks
// in DynamoDB's order: redundant parentheses, unknown or misused functions, reserved words, then placeholders
// and operand types in the order they are written. DynamoDB's limits ("Quotas": 4 KB of text, 300 operators or
// functions, document paths of 32 levels) end a parse when exceeded, as does xacct's own bound on nested
// parentheses and function calls (expression_internal.h), so no expression recurses deeply.
#include <algorithm>

#include "services/dynamodb/expression_internal.h"

namespace xacct::services::dynamodb {

namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNamePart(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'a' && x <= 'z' ? x - 32 : x) == (y >= 'a' && y <= 'z' ? y - 32 : y);
         });
}

// Words of the grammar that can never start a document path.
bool IsConditionKeyword(std::string_view word) {
  for (std::string_view k : {"AND", "OR", "NOT", "BETWEEN", "IN"}) {
    if (EqualsIgnoreCase(word, k)) return true;
  }
  return false;
}
bool IsUpdateKeyword(std::string_view word) {
  for (std::string_view k : {"SET", "REMOVE", "ADD", "DELETE"}) {
    if (EqualsIgnoreCase(word, k)) return true;
  }
  return false;
}

bool IsConditionFunction(std::string_view name) {
  for (std::string_view f :
       {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"}) {
    if (name == f) return true;
  }
  return false;
}

// An AND or OR node over two conditions, moved in (an initializer list would copy both subtrees, which made a
// chain of n ANDs cost n^2).
CondNode Combine(CondNode::Kind kind, CondNode left, CondNode right) {
  CondNode n;
  n.kind = kind;
  n.children.reserve(2);
  n.children.push_back(std::move(left));
  n.children.push_back(std::move(right));
  return n;
}

}  // namespace

std::string PathString(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out += ", ";
    out += path[i].IsIndex() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    if (IsNameStart(c)) {
      t.kind = Token::Kind::kName;
      while (i < text.size() && IsNamePart(text[i])) ++i;
    } else if ((c == '#' || c == ':') && i + 1 < text.size() && IsNamePart(text[i + 1])) {
      t.kind = c == '#' ? Token::Kind::kNamePlaceholder : Token::Kind::kValuePlaceholder;
      ++i;
      while (i < text.size() && IsNamePart(text[i])) ++i;
    } else if (IsDigit(c)) {
      t.kind = Token::Kind::kNumber;
      while (i < text.size() && IsDigit(text[i])) ++i;
    } else {
      t.kind = Token::Kind::kSymbol;
      const std::string_view two = text.substr(i, 2);
      if (two == "<>" || two == "<=" || two == ">=") {
        i += 2;
      } else {
        // One character; a multi-byte UTF-8 character stays whole.
        ++i;
        if (static_cast<unsigned char>(c) >= 0xC0) {
          while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
        }
      }
    }
    t.end = i;
    t.text = std::string(text.substr(t.begin, t.end - t.begin));
    tokens.push_back(std::move(t));
  }
  Token end;
  end.begin = end.end = text.size();
  tokens.push_back(end);
  return tokens;
}

Parser::Parser(std::string_view text, std::string_view what, ExpressionInputs& inputs)
    : text_(text),
      what_(what),
      inputs_(inputs),
      tokens_(Tokenize(text.size() <= kMaxExpressionBytes ? text : std::string_view())) {}

AwsError Parser::Error(std::string_view message) const {
  return ValidationException("Invalid " + what_ + ": " + std::string(message));
}

const Token& Parser::Peek(size_t ahead) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }

bool Parser::AtKeyword(std::string_view word) const {
  return Peek().kind == Token::Kind::kName && EqualsIgnoreCase(Peek().text, word);
}

bool Parser::AtSymbol(std::string_view symbol) const {
  return Peek().kind == Token::Kind::kSymbol && Peek().text == symbol;
}

AwsError Parser::SyntaxError() const {
  const Token& t = Peek();
  const size_t begin = pos_ > 0 ? tokens_[pos_ - 1].begin : t.begin;
  const Token& next = Peek(1);
  const size_t end = t.kind != Token::Kind::kEnd && next.kind != Token::Kind::kEnd ? next.end : text_.size();
  const std::string token = t.kind == Token::Kind::kEnd ? "<EOF>" : t.text;
  error_pos_ = pos_;
  return Error("Syntax error; token: \"" + token + "\", near: \"" + std::string(text_.substr(begin, end - begin)) +
               "\"");
}

Status Parser::ExpectSymbol(std::string_view symbol) {
  if (!AtSymbol(symbol)) return SyntaxError();
  ++pos_;
  return Ok{};
}

Status Parser::CheckNotEmpty() const {
  if (Peek().kind == Token::Kind::kEnd) return Error("The expression can not be empty;");
  return Ok{};
}

Status Parser::CheckSize() const {
  if (text_.size() <= kMaxExpressionBytes) return Ok{};
  return Error("Expression size has exceeded the maximum allowed size; expression size: " +
               std::to_string(text_.size()));
}

AwsError Parser::LimitError(std::string message) {
  if (!limit_error_) limit_error_ = Error(message);
  return *limit_error_;
}

Status Parser::CountOperator() {
  if (++operators_ <= kMaxOperators) return Ok{};
  return LimitError("The expression contains too many operators; operator count: " + std::to_string(operators_));
}

Status Parser::Enter() {
  if (++nesting_ <= kMaxNesting) return Ok{};
  return LimitError("The expression has too many nesting levels; nesting levels: " + std::to_string(nesting_));
}

void Parser::Defer(int rank, std::string message) { deferred_.emplace_back(rank, std::move(message)); }

Status Parser::DeferredError() const {
  const std::pair<int, std::string>* first = nullptr;
  for (const auto& d : deferred_) {
    if (!first || d.first < first->first) first = &d;
  }
  if (first) return Error(first->second);
  return Ok{};
}

void Parser::NoteReserved(const Path& path) {
  for (const PathElement& e : path) {
    if (!e.IsIndex() && e.raw[0] != '#' && IsReservedWord(e.raw)) {
      Defer(kReserved, "Attribute name is a reserved keyword; reserved keyword: " + e.raw);
    }
  }
}

Result<Path> Parser::ParsePath() {
  Path path;
  const auto name = [&]() -> Status {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kName && t.kind != Token::Kind::kNamePlaceholder) return SyntaxError();
    path.push_back(PathElement{t.text, t.text, -1});
    ++pos_;
    return Ok{};
  };
  if (auto s = name(); !s.ok()) return s.error();
  for (;;) {
    if (AtSymbol(".")) {
      ++pos_;
      if (auto s = name(); !s.ok()) return s.error();
    } else if (AtSymbol("[")) {
      ++pos_;
      if (Peek().kind != Token::Kind::kNumber) return SyntaxError();
      const std::string& digits = Peek().text;
      const int64_t index = digits.size() > 12 ? int64_t{1} << 40 : std::stoll(digits);
      path.push_back(PathElement{"", digits, index});
      ++pos_;
      if (auto s = ExpectSymbol("]"); !s.ok()) return s.error();
    } else {
      break;
    }
  }
  if (path.size() > kMaxPathLevels) {
    return LimitError("The document path has too many nesting levels; nesting levels: " + std::to_string(path.size()));
  }
  NoteReserved(path);
  return path;
}

Result<Operand> Parser::ParseOperand(bool update) {
  Operand o;
  o.token = pos_;
  const Token& t = Peek();
  if (t.kind == Token::Kind::kValuePlaceholder) {
    o.kind = Operand::Kind::kValue;
    o.placeholder = t.text;
    ++pos_;
    return o;
  }
  if (AtSymbol("(")) {
    if (auto s = Enter(); !s.ok()) return s.error();
    ++pos_;
    auto inner = update ? ParseSetValue() : ParseOperand(false);
    if (!inner.ok()) return inner;
    if (auto s = ExpectSymbol(")"); !s.ok()) return s.error();
    Leave();
    return inner;
  }
  const bool keyword = t.kind == Token::Kind::kName && (update ? IsUpdateKeyword(t.text) : IsConditionKeyword(t.text));
  if (keyword) return SyntaxError();
  if (t.kind == Token::Kind::kName && Peek(1).kind == Token::Kind::kSymbol && Peek(1).text == "(") {
    o.kind = Operand::Kind::kFunction;
    o.function = t.text;
    if (auto s = CountOperator(); !s.ok()) return s.error();
    if (auto s = Enter(); !s.ok()) return s.error();
    pos_ += 2;
    for (;;) {
      auto arg = ParseOperand(update);
      if (!arg.ok()) return arg;
      o.args.push_back(std::move(*arg));
      if (!AtSymbol(",")) break;
      ++pos_;
    }
    if (auto s = ExpectSymbol(")"); !s.ok()) return s.error();
    Leave();
    const bool known =
        update ? (o.function == "if_not_exists" || o.function == "list_append") : IsConditionFunction(o.function);
    if (!known) Defer(kUnknownFunction, "Invalid function name; function: " + o.function);
    return o;
  }
  auto path = ParsePath();
  if (!path.ok()) return path.error();
  o.kind = Operand::Kind::kPath;
  o.path = std::move(*path);
  return o;
}

Result<Operand> Parser::ParseSetValue() {
  auto left = ParseOperand(true);
  if (!left.ok()) return left;
  if (!AtSymbol("+") && !AtSymbol("-")) return left;
  Operand o;
  o.kind = AtSymbol("+") ? Operand::Kind::kPlus : Operand::Kind::kMinus;
  o.token = left->token;
  if (auto s = CountOperator(); !s.ok()) return s.error();
  ++pos_;
  auto right = ParseOperand(true);
  if (!right.ok()) return right;
  o.args.push_back(std::move(*left));
  o.args.push_back(std::move(*right));
  return o;
}

// ---- conditions ----

Result<CondNode> Parser::ParseCondition() {
  if (auto s = CheckSize(); !s.ok()) return s.error();
  if (auto s = CheckNotEmpty(); !s.ok()) return s.error();
  auto root = ParseOr();
  if (!root.ok()) return root;
  if (Peek().kind != Token::Kind::kEnd) return SyntaxError();
  if (auto s = DeferredError(); !s.ok()) return s.error();
  if (auto s = CheckCondition(*root); !s.ok()) return s.error();
  return root;
}

Result<CondNode> Parser::ParseOr() {
  auto left = ParseAnd();
  if (!left.ok()) return left;
  while (AtKeyword("OR")) {
    if (auto s = CountOperator(); !s.ok()) return s.error();
    ++pos_;
    auto right = ParseAnd();
    if (!right.ok()) return right;
    left = Combine(CondNode::Kind::kOr, std::move(*left), std::move(*right));
  }
  return left;
}

Result<CondNode> Parser::ParseAnd() {
  auto left = ParseNot();
  if (!left.ok()) return left;
  while (AtKeyword("AND")) {
    if (auto s = CountOperator(); !s.ok()) return s.error();
    ++pos_;
    auto right = ParseNot();
    if (!right.ok()) return right;
    left = Combine(CondNode::Kind::kAnd, std::move(*left), std::move(*right));
  }
  return left;
}

Result<CondNode> Parser::ParseNot() {
  if (!AtKeyword("NOT")) return ParsePrimary();
  if (auto s = CountOperator(); !s.ok()) return s.error();
  ++pos_;
  auto child = ParseNot();
  if (!child.ok()) return child;
  CondNode n;
  n.kind = CondNode::Kind::kNot;
  n.children.push_back(std::move(*child));
  return n;
}

Result<CondNode> Parser::ParsePrimary() {
  if (!AtSymbol("(")) return ParseComparison();
  // "(" starts either a parenthesized condition or a parenthesized operand ("(a) = :v"): try the condition
  // first and keep whichever alternative got further.
  const size_t start = pos_;
  const size_t deferred = deferred_.size();
  const int operators = operators_, nesting = nesting_;
  if (auto s = Enter(); !s.ok()) return s.error();
  ++pos_;
  auto inner = ParseOr();
  if (limit_error_) return *limit_error_;
  Leave();
  if (inner.ok() && AtSymbol(")")) {
    ++pos_;
    const bool operand_follows = AtSymbol("=") || AtSymbol("<>") || AtSymbol("<") || AtSymbol("<=") || AtSymbol(">") ||
                                 AtSymbol(">=") || AtKeyword("BETWEEN") || AtKeyword("IN");
    if (!operand_follows) {
      if (inner->parenthesized) Defer(kRedundantParens, "The expression has redundant parentheses;");
      inner->parenthesized = true;
      return inner;
    }
  }
  AwsError first = inner.ok() ? SyntaxError() : inner.error();
  const size_t first_pos = error_pos_;
  pos_ = start;
  deferred_.resize(deferred);
  operators_ = operators;
  nesting_ = nesting;  // a failed attempt may have left calls open
  auto comparison = ParseComparison();
  if (comparison.ok() || limit_error_) return comparison;
  return error_pos_ >= first_pos ? comparison.error() : first;
}

Result<CondNode> Parser::ParseComparison() {
  auto left = ParseOperand(false);
  if (!left.ok()) return left.error();
  CondNode n;
  const Token& t = Peek();
  if (t.kind == Token::Kind::kSymbol &&
      (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=")) {
    n.kind = CondNode::Kind::kCompare;
    n.op = t.text;
    if (auto s = CountOperator(); !s.ok()) return s.error();
    ++pos_;
    auto right = ParseOperand(false);
    if (!right.ok()) return right.error();
    n.operands.push_back(std::move(*left));
    n.operands.push_back(std::move(*right));
  } else if (AtKeyword("BETWEEN")) {
    n.kind = CondNode::Kind::kBetween;
    n.op = "BETWEEN";
    if (auto s = CountOperator(); !s.ok()) return s.error();
    ++pos_;
    auto low = ParseOperand(false);
    if (!low.ok()) return low.error();
    if (!AtKeyword("AND")) return SyntaxError();
    ++pos_;
    auto high = ParseOperand(false);
    if (!high.ok()) return high.error();
    n.operands.push_back(std::move(*left));
    n.operands.push_back(std::move(*low));
    n.operands.push_back(std::move(*high));
  } else if (AtKeyword("IN")) {
    n.kind = CondNode::Kind::kIn;
    n.op = "IN";
    if (auto s = CountOperator(); !s.ok()) return s.error();
    ++pos_;
    if (auto s = ExpectSymbol("("); !s.ok()) return s.error();
    n.operands.push_back(std::move(*left));
    for (;;) {
      auto item = ParseOperand(false);
      if (!item.ok()) return item.error();
      n.operands.push_back(std::move(*item));
      if (!AtSymbol(",")) break;
      ++pos_;
    }
    if (auto s = ExpectSymbol(")"); !s.ok()) return s.error();
  } else if (left->kind == Operand::Kind::kFunction) {
    if (left->function == "size") {
      Defer(kMisusedFunction, "The function is not allowed to be used this way in an expression; function: size");
    }
    n.kind = CondNode::Kind::kFunction;
    n.op = left->function;
    n.operands = std::move(left->args);
    return n;
  } else {
    return SyntaxError();
  }
  for (const Operand& o : n.operands) {
    if (o.kind == Operand::Kind::kFunction && o.function != "size" && IsConditionFunction(o.function)) {
      Defer(kMisusedFunction,
            "The function is not allowed to be used this way in an expression; function: " + o.function);
    }
  }
  return n;
}

// ---- update expressions ----

Result<std::vector<UpdateAction>> Parser::ParseUpdate() {
  if (auto s = CheckSize(); !s.ok()) return s.error();
  if (auto s = CheckNotEmpty(); !s.ok()) return s.error();
  std::vector<UpdateAction> actions;
  std::vector<std::string> sections;
  while (Peek().kind != Token::Kind::kEnd) {
    UpdateAction::Kind kind;
    std::string section;
    for (std::string_view s : {"SET", "REMOVE", "ADD", "DELETE"}) {
      if (AtKeyword(s)) section = s;
    }
    if (section.empty()) return SyntaxError();
    kind = section == "SET"      ? UpdateAction::Kind::kSet
           : section == "REMOVE" ? UpdateAction::Kind::kRemove
           : section == "ADD"    ? UpdateAction::Kind::kAdd
                                 : UpdateAction::Kind::kDelete;
    if (std::find(sections.begin(), sections.end(), section) != sections.end()) {
      Defer(kSection, "The \"" + section + "\" section can only be used once in an update expression;");
    }
    sections.push_back(section);
    ++pos_;
    for (;;) {
      if (Peek().kind == Token::Kind::kName && IsUpdateKeyword(Peek().text)) return SyntaxError();
      auto path = ParsePath();
      if (!path.ok()) return path.error();
      UpdateAction action;
      action.kind = kind;
      action.path = std::move(*path);
      if (kind == UpdateAction::Kind::kSet) {
        if (auto s = ExpectSymbol("="); !s.ok()) return s.error();
        auto value = ParseSetValue();
        if (!value.ok()) return value.error();
        action.value = std::move(*value);
      } else if (kind != UpdateAction::Kind::kRemove) {
        if (Peek().kind != Token::Kind::kValuePlaceholder) return SyntaxError();
        action.value.kind = Operand::Kind::kValue;
        action.value.placeholder = Peek().text;
        action.value.token = pos_++;
      }
      actions.push_back(std::move(action));
      if (!AtSymbol(",")) break;
      ++pos_;
    }
  }
  if (auto s = CheckUpdate(actions); !s.ok()) return s.error();
  return actions;
}

// ---- projections ----

Result<std::vector<Path>> Parser::ParseProjection() {
  if (auto s = CheckSize(); !s.ok()) return s.error();
  if (auto s = CheckNotEmpty(); !s.ok()) return s.error();
  std::vector<Path> paths;
  for (;;) {
    auto path = ParsePath();
    if (!path.ok()) return path.error();
    paths.push_back(std::move(*path));
    if (!AtSymbol(",")) break;
    ++pos_;
  }
  if (Peek().kind != Token::Kind::kEnd) return SyntaxError();
  if (auto s = CheckProjection(paths); !s.ok()) return s.error();
  return paths;
}

}  // namespace xacct::services::dynamodb
