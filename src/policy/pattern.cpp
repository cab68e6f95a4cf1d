#include "policy/pattern.h"

namespace xacct::policy {

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool StartsWithAt(std::string_view subject, size_t at, std::string_view piece, bool ignore_case) {
  if (subject.size() - at < piece.size()) return false;
  if (!ignore_case) {
    for (size_t i = 0; i < piece.size(); ++i) {
      if (subject[at + i] != piece[i]) return false;
    }
    return true;
  }
  for (size_t i = 0; i < piece.size(); ++i) {
    if (Lower(subject[at + i]) != Lower(piece[i])) return false;
  }
  return true;
}

}  // namespace

Pattern Pattern::Compile(std::string_view text, Options options) {
  Pattern p;
  auto add_literal = [&p](std::string_view piece) {
    if (piece.empty()) return;
    if (!p.tokens_.empty() && p.tokens_.back().type == Token::kLiteral &&
        p.tokens_.back().begin + p.tokens_.back().size == p.literals_.size()) {
      p.tokens_.back().size += static_cast<uint32_t>(piece.size());
    } else {
      p.tokens_.push_back(
          Token{Token::kLiteral, static_cast<uint32_t>(p.literals_.size()), static_cast<uint32_t>(piece.size())});
    }
    p.literals_.append(piece);
  };
  bool wild = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (options.variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        if (inner == "*" || inner == "?" || inner == "$") {
          add_literal(inner);  // ${*}, ${?}, ${$}: the character itself, never a wildcard
          i = close + 1;
          continue;
        }
        Variable var;
        std::string_view key = inner;
        bool well_formed = true;
        if (const size_t comma = inner.find(','); comma != std::string_view::npos) {
          key = inner.substr(0, comma);
          const std::string_view fallback = Trim(inner.substr(comma + 1));
          if (fallback.size() >= 2 && fallback.front() == '\'' && fallback.back() == '\'') {
            var.fallback = std::string(fallback.substr(1, fallback.size() - 2));
            var.has_fallback = true;
          } else {
            well_formed = false;
          }
        }
        key = Trim(key);
        if (well_formed && !key.empty()) {
          var.key = AsciiLower(key);
          p.tokens_.push_back(Token{Token::kVariable, static_cast<uint32_t>(p.variables_.size()), 0});
          p.variables_.push_back(std::move(var));
          i = close + 1;
          continue;
        }
      }
    }
    if (options.wildcards && (c == '*' || c == '?')) {
      wild = true;
      if (c == '*' && !p.tokens_.empty() && p.tokens_.back().type == Token::kStar) {
        ++i;  // "**" matches what "*" matches
        continue;
      }
      p.tokens_.push_back(Token{c == '*' ? Token::kStar : Token::kQuestion, 0, 0});
      ++i;
      continue;
    }
    const char folded = options.lowercase ? Lower(c) : c;
    add_literal(std::string_view(&folded, 1));
    ++i;
  }
  if (p.tokens_.size() == 1 && p.tokens_[0].type == Token::kStar) {
    p.kind_ = Kind::kAny;
  } else if (!wild && p.variables_.empty()) {
    p.kind_ = Kind::kExact;
  } else if (p.tokens_.size() == 2 && p.tokens_[0].type == Token::kLiteral && p.tokens_[1].type == Token::kStar) {
    p.kind_ = Kind::kPrefix;  // literals_ holds exactly the prefix
  } else {
    p.kind_ = Kind::kGlob;
    if (p.tokens_.front().type == Token::kLiteral) p.first_ = p.literals_[p.tokens_.front().begin];
  }
  return p;
}

bool Pattern::Resolve(const Token& token, const Context* context, std::string_view* out) const {
  if (token.type == Token::kLiteral) {
    *out = std::string_view(literals_).substr(token.begin, token.size);
    return true;
  }
  const Variable& var = variables_[token.begin];
  if (context != nullptr) {
    if (auto value = context->Single(var.key)) {
      *out = *value;
      return true;
    }
  }
  if (var.has_fallback) {
    *out = var.fallback;
    return true;
  }
  return false;
}

bool Pattern::MatchSlow(std::string_view subject, const Context* context, bool ignore_case) const {
  if (kind_ == Kind::kExact) {
    return subject.size() == literals_.size() && StartsWithAt(subject, 0, literals_, ignore_case);
  }
  if (kind_ == Kind::kPrefix) return StartsWithAt(subject, 0, literals_, ignore_case);
  // Greedy matching with one backtrack point (the last '*'): literal runs and resolved variables are
  // compared as whole pieces, which is equivalent to the character-level algorithm.
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t ti = 0;
  size_t si = 0;
  size_t star_ti = kNone;
  size_t star_si = 0;
  const size_t n = tokens_.size();
  while (true) {
    if (ti < n) {
      const Token& token = tokens_[ti];
      if (token.type == Token::kStar) {
        star_ti = ti++;
        star_si = si;
        continue;
      }
      if (token.type == Token::kQuestion) {
        if (si < subject.size()) {
          ++si;
          ++ti;
          continue;
        }
      } else {
        std::string_view piece;
        if (!Resolve(token, context, &piece)) return false;
        if (StartsWithAt(subject, si, piece, ignore_case)) {
          si += piece.size();
          ++ti;
          continue;
        }
        if (!ignore_case && star_ti != kNone && ti == star_ti + 1 && !piece.empty()) {
          // Right after the last '*': let the star jump to the piece's next occurrence at once.
          const size_t pos = subject.find(piece, si + 1);
          if (pos == std::string_view::npos) return false;
          star_si = pos;
          si = pos + piece.size();
          ++ti;
          continue;
        }
      }
    } else if (si == subject.size()) {
      return true;
    }
    if (star_ti == kNone || star_si >= subject.size()) return false;
    ti = star_ti + 1;
    si = ++star_si;
  }
}

}  // namespace xacct::policy
