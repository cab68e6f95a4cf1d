// The `pattern` constraint of AWS service models: a Java regular expression (java.util.regex, as
// AWS's Coral validators run it; Smithy's "pattern trait" documents the ECMA-262 subset) that the
// whole value must match, as Java's Matcher.matches(). Matching is linear in the input (a Pike VM
// over code points), so a 128 KB policy document cannot exhaust the stack or the CPU.
//
// Supported: literals and escapes (\t \n \r \f \e \xhh \uhhhh, a \uD800-\uDBFF \uDC00-\uDFFF
// surrogate pair as one code point as Java does), classes with ranges and negation, \d \w \s and
// their negations (ASCII, as Java's defaults), \p{L} \p{M} \p{N} \p{P} \p{S} \p{Z} \p{C} (Unicode
// general categories, approximated by range tables for the scripts AWS models meet), the POSIX
// \p{ASCII} \p{Print} \p{Alpha} ... (ASCII, as Java's defaults), `.`, groups, (?:...), (?=...),
// (?!...), a lookbehind of one character ((?<!\.)), alternation, greedy/lazy/possessive quantifiers (all treated alike:
// only whether the whole input matches is asked), ^ $ \b \B. Anything else (back references, longer lookbehinds, inline
// flags, class intersection) makes Compile return nullptr, and the constraint is not checked.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace xacct::model {

class Pattern {
 public:
  //! Compiles a Java regular expression; nullptr if it uses a construct this engine lacks or is
  //! malformed.
  static std::shared_ptr<const Pattern> Compile(std::string_view java_regex);

  //! Whether all of `text` (UTF-8; an invalid byte counts as U+FFFD) matches.
  bool Matches(std::string_view text) const;

  struct CharSet;
  struct Inst;

 private:
  Pattern() = default;
  bool Run(size_t program, const std::vector<char32_t>& input, size_t start, bool whole) const;

  std::vector<CharSet> sets_;
  std::vector<std::vector<Inst>> programs_;  // [0] is the pattern; lookaheads follow
};

//! Decodes UTF-8 into code points; an invalid or truncated sequence yields U+FFFD per byte.
std::vector<char32_t> DecodeUtf8(std::string_view text);

}  // namespace xacct::model
