// Glob patterns with IAM policy variables, compiled once and matched without allocating.
// Follows the IAM User Guide: "IAM JSON policy elements: Resource" (wildcards `*` and `?`) and
// "IAM policy elements: Variables and tags" (`${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "policy/context.h"

namespace xacct::policy {

class Pattern {
 public:
  struct Options {
    bool wildcards = true;   //!< `*` and `?` are wildcards (else literal)
    bool variables = false;  //!< `${...}` are policy variables (else literal)
    bool lowercase = false;  //!< fold the literal text to lower case at compile time
  };

  Pattern() = default;
  static Pattern Compile(std::string_view text, Options options);

  //! Matches all of `subject`. Variables are resolved from `context`; a variable that cannot be
  //! resolved (absent key without a default, or a multivalued key) makes the pattern match nothing.
  bool Match(std::string_view subject, const Context* context, bool ignore_case = false) const {
    // The common cases inline: "*", literal text, and "literal*" (the shape of "s3:Get*", "bucket/*").
    if (kind_ == Kind::kAny) return true;
    if (!ignore_case) {
      if (kind_ == Kind::kExact) return subject.size() == literals_.size() && SameBytes(subject.data(), literals_);
      if (kind_ == Kind::kPrefix) return subject.size() >= literals_.size() && SameBytes(subject.data(), literals_);
      // A glob that starts with literal text rejects most subjects on their first byte.
      if (first_ != '\0' && (subject.empty() || subject[0] != first_)) return false;
    }
    return MatchSlow(subject, context, ignore_case);
  }

  bool IsAny() const { return kind_ == Kind::kAny; }
  bool HasVariables() const { return !variables_.empty(); }

 private:
  enum class Kind : uint8_t { kExact, kAny, kPrefix, kGlob };

  // Compares literal.size() bytes of `data` with `literal`, eight at a time: policy literals are
  // short, and a call to memcmp costs more than the comparison itself.
  static bool SameBytes(const char* data, const std::string& literal) {
    const char* lit = literal.data();
    size_t n = literal.size();
    for (; n >= 8; n -= 8, data += 8, lit += 8) {
      uint64_t a;
      uint64_t b;
      std::memcpy(&a, data, 8);
      std::memcpy(&b, lit, 8);
      if (a != b) return false;
    }
    for (size_t i = 0; i < n; ++i) {
      if (data[i] != lit[i]) return false;
    }
    return true;
  }

  struct Token {
    enum Type : uint8_t { kLiteral, kStar, kQuestion, kVariable } type;
    uint32_t begin = 0;  //!< kLiteral: offset into literals_; kVariable: index into variables_
    uint32_t size = 0;
  };
  struct Variable {
    std::string key;  //!< lowercased
    std::string fallback;
    bool has_fallback = false;
  };

  bool MatchSlow(std::string_view subject, const Context* context, bool ignore_case) const;
  bool Resolve(const Token& token, const Context* context, std::string_view* out) const;

  // Layout: what Match() reads first sits first.
  Kind kind_ = Kind::kExact;
  char first_ = '\0';  //!< kGlob: the first character when the pattern starts with a literal
  std::string literals_;
  std::vector<Token> tokens_;
  std::vector<Variable> variables_;
};

}  // namespace xacct::policy
