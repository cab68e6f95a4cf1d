#include "services/glue/glue_expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace xacct::services::glue {

namespace {

AwsError Invalid(const std::string& message) { return AwsError::Client("InvalidInputException", message, 400); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> Number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

enum class Tok { kIdent, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  Tok type;
  std::string text;  //!< identifiers as written (quotes removed), operators, literal values
  bool quoted = false;
};

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : Tok::kComma, std::string(1, c)});
      ++i;
    } else if (c == '\'') {
      std::string text;
      ++i;
      for (;;) {
        if (i >= s.size()) return Invalid("Unterminated string literal in expression: " + std::string(s));
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text += s[i++];
      }
      out.push_back({Tok::kString, std::move(text)});
    } else if (c == '`' || c == '"') {
      const size_t end = s.find(c, i + 1);
      if (end == std::string_view::npos) return Invalid("Unterminated identifier in expression: " + std::string(s));
      out.push_back({Tok::kIdent, std::string(s.substr(i + 1, end - i - 1)), true});
      i = end + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               ((c == '-' || c == '.') && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i + 1;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      out.push_back({Tok::kNumber, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Tok::kIdent, std::string(s.substr(i, j - i))});
      i = j;
    } else if (c == '<' || c == '>' || c == '=' || c == '!') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op += s[i + 1];
      if (op == "!") return Invalid("Unexpected character '!' in expression: " + std::string(s));
      out.push_back({Tok::kOp, op});
      i += op.size();
    } else {
      return Invalid("Unexpected character '" + std::string(1, c) + "' in expression: " + std::string(s));
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

struct Operand {
  bool is_key = false;
  size_t key = 0;
  std::string text;
};

}  // namespace

struct PartitionPredicate::Node {
  enum class Kind { kAnd, kOr, kNot, kCompare, kIn, kBetween, kLike, kIsNull };
  Kind kind = Kind::kCompare;
  std::string op;
  bool negated = false;
  std::vector<std::shared_ptr<const Node>> children;
  std::vector<Operand> operands;
};

namespace {

using Node = PartitionPredicate::Node;
using NodePtr = std::shared_ptr<const Node>;

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<PartitionKey>& keys, std::string_view text)
      : tokens_(std::move(tokens)), keys_(keys), text_(text) {}

  Result<NodePtr> Parse() {
    auto e = Or();
    if (!e) return e;
    if (Peek().type != Tok::kEnd) return Error("unexpected '" + Peek().text + "'");
    return e;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  bool Keyword(std::string_view word) const {
    return Peek().type == Tok::kIdent && !Peek().quoted && Lower(Peek().text) == word;
  }
  bool Accept(std::string_view word) {
    if (!Keyword(word)) return false;
    ++pos_;
    return true;
  }
  AwsError Error(const std::string& what) const {
    return Invalid("Unsupported expression: " + std::string(text_) + " (" + what + ")");
  }

  Result<NodePtr> Or() { return Chain("or", Node::Kind::kOr, &Parser::And); }
  Result<NodePtr> And() { return Chain("and", Node::Kind::kAnd, &Parser::Not); }

  Result<NodePtr> Chain(std::string_view word, Node::Kind kind, Result<NodePtr> (Parser::*next)()) {
    auto first = (this->*next)();
    if (!first || !Keyword(word)) return first;
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->children.push_back(*first);
    while (Accept(word)) {
      auto more = (this->*next)();
      if (!more) return more;
      node->children.push_back(*more);
    }
    return NodePtr(node);
  }

  Result<NodePtr> Not() {
    if (!Accept("not")) return Predicate();
    auto inner = Not();
    if (!inner) return inner;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kNot;
    node->children.push_back(*inner);
    return NodePtr(node);
  }

  Result<Operand> Value() {
    const Token t = Peek();
    if (t.type == Tok::kString || t.type == Tok::kNumber) {
      ++pos_;
      return Operand{false, 0, t.text};
    }
    if (t.type == Tok::kIdent) {
      const std::string name = Lower(t.text);
      for (size_t k = 0; k < keys_.size(); ++k) {
        if (Lower(keys_[k].name) == name) {
          ++pos_;
          return Operand{true, k, keys_[k].name};
        }
      }
      return Invalid("Unknown column '" + t.text + "' in expression: " + std::string(text_) +
                     " (only partition keys can be filtered on)");
    }
    return Error(t.type == Tok::kEnd ? "unexpected end" : "unexpected '" + t.text + "'");
  }

  Result<NodePtr> Predicate() {
    if (Peek().type == Tok::kLParen) {
      ++pos_;
      auto inner = Or();
      if (!inner) return inner;
      if (Peek().type != Tok::kRParen) return Error("missing ')'");
      ++pos_;
      return inner;
    }
    auto left = Value();
    if (!left) return left.error();
    auto node = std::make_shared<Node>();
    node->operands.push_back(*left);
    if (Accept("is")) {
      node->kind = Node::Kind::kIsNull;
      node->negated = Accept("not");
      if (!Accept("null")) return Error("expected NULL after IS");
      return NodePtr(node);
    }
    node->negated = Accept("not");
    if (Accept("in")) {
      node->kind = Node::Kind::kIn;
      if (Peek().type != Tok::kLParen) return Error("expected '(' after IN");
      ++pos_;
      for (;;) {
        auto v = Value();
        if (!v) return v.error();
        node->operands.push_back(*v);
        if (Peek().type == Tok::kComma) {
          ++pos_;
          continue;
        }
        if (Peek().type != Tok::kRParen) return Error("expected ',' or ')' in IN list");
        ++pos_;
        return NodePtr(node);
      }
    }
    if (Accept("between")) {
      node->kind = Node::Kind::kBetween;
      auto low = Value();
      if (!low) return low.error();
      if (!Accept("and")) return Error("expected AND in BETWEEN");
      auto high = Value();
      if (!high) return high.error();
      node->operands.push_back(*low);
      node->operands.push_back(*high);
      return NodePtr(node);
    }
    if (Accept("like")) {
      node->kind = Node::Kind::kLike;
      auto pattern = Value();
      if (!pattern) return pattern.error();
      node->operands.push_back(*pattern);
      return NodePtr(node);
    }
    if (node->negated) return Error("expected IN, BETWEEN or LIKE after NOT");
    if (Peek().type != Tok::kOp) return Error(Peek().type == Tok::kEnd ? "unexpected end" : "expected an operator");
    node->kind = Node::Kind::kCompare;
    node->op = Peek().text == "!=" ? "<>" : Peek().text;
    ++pos_;
    auto right = Value();
    if (!right) return right.error();
    node->operands.push_back(*right);
    return NodePtr(node);
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const std::vector<PartitionKey>& keys_;
  std::string_view text_;
};

struct Evaluator {
  const std::vector<PartitionKey>& keys;
  const std::vector<std::string>& values;

  const std::string* Text(const Operand& o) const {
    if (!o.is_key) return &o.text;
    return o.key < values.size() ? &values[o.key] : nullptr;
  }
  bool Numeric(const Operand& a, const Operand& b) const {
    return (a.is_key && IsNumericType(keys[a.key].type)) || (b.is_key && IsNumericType(keys[b.key].type));
  }
  //! <0, 0, >0, or nullopt when the operands cannot be compared (a missing or non-numeric value).
  std::optional<int> Compare(const Operand& a, const Operand& b) const {
    const std::string* x = Text(a);
    const std::string* y = Text(b);
    if (x == nullptr || y == nullptr) return std::nullopt;
    if (Numeric(a, b)) {
      const auto nx = Number(*x);
      const auto ny = Number(*y);
      if (!nx || !ny) return std::nullopt;
      return *nx < *ny ? -1 : *nx > *ny ? 1 : 0;
    }
    const int c = x->compare(*y);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }

  bool Eval(const Node& n) const {
    switch (n.kind) {
      case Node::Kind::kAnd:
        return std::all_of(n.children.begin(), n.children.end(), [&](const NodePtr& c) { return Eval(*c); });
      case Node::Kind::kOr:
        return std::any_of(n.children.begin(), n.children.end(), [&](const NodePtr& c) { return Eval(*c); });
      case Node::Kind::kNot:
        return !Eval(*n.children[0]);
      case Node::Kind::kIsNull: {
        const std::string* v = Text(n.operands[0]);
        return (v == nullptr) != n.negated;
      }
      case Node::Kind::kCompare: {
        const auto c = Compare(n.operands[0], n.operands[1]);
        if (!c) return false;
        if (n.op == "=") return *c == 0;
        if (n.op == "<>") return *c != 0;
        if (n.op == "<") return *c < 0;
        if (n.op == "<=") return *c <= 0;
        if (n.op == ">") return *c > 0;
        return *c >= 0;
      }
      case Node::Kind::kIn: {
        bool found = false;
        for (size_t i = 1; i < n.operands.size() && !found; ++i) found = Compare(n.operands[0], n.operands[i]) == 0;
        return found != n.negated;
      }
      case Node::Kind::kBetween: {
        const auto low = Compare(n.operands[0], n.operands[1]);
        const auto high = Compare(n.operands[0], n.operands[2]);
        if (!low || !high) return false;
        return (*low >= 0 && *high <= 0) != n.negated;
      }
      case Node::Kind::kLike: {
        const std::string* v = Text(n.operands[0]);
        const std::string* p = Text(n.operands[1]);
        if (v == nullptr || p == nullptr) return false;
        return SqlLike(*v, *p) != n.negated;
      }
    }
    return false;
  }
};

}  // namespace

bool IsNumericType(std::string_view type) {
  const std::string t = Lower(type.substr(0, type.find('(')));
  return t == "tinyint" || t == "smallint" || t == "int" || t == "integer" || t == "bigint" || t == "long" ||
         t == "float" || t == "double" || t == "decimal";
}

bool SqlLike(std::string_view text, std::string_view pattern) {
  // Iterative wildcard match with backtracking to the last '%'.
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

Result<TableNamePattern> TableNamePattern::Parse(std::string_view expression) {
  // Hive's metastore pattern: '*' is any run (a regex ".*" stays as written), '|' separates alternatives.
  std::string regex;
  for (size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '*' && (i == 0 || expression[i - 1] != '.')) {
      regex += ".*";
    } else {
      regex += c;
    }
  }
  TableNamePattern out;
  try {
    out.regex_ = std::make_shared<const std::regex>(regex, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error&) {
    return Invalid("Invalid regular expression in Expression: " + std::string(expression));
  }
  return out;
}

bool TableNamePattern::Matches(std::string_view table_name) const {
  return std::regex_match(table_name.begin(), table_name.end(), *regex_);
}

Result<PartitionPredicate> PartitionPredicate::Parse(std::string_view expression,
                                                     const std::vector<PartitionKey>& keys) {
  auto tokens = Lex(expression);
  if (!tokens) return tokens.error();
  Parser parser(std::move(*tokens), keys, expression);
  auto root = parser.Parse();
  if (!root) return root.error();
  PartitionPredicate out;
  out.root_ = *root;
  out.keys_ = keys;
  return out;
}

bool PartitionPredicate::Matches(const std::vector<std::string>& values) const {
  return Evaluator{keys_, values}.Eval(*root_);
}

}  // namespace xacct::services::glue
