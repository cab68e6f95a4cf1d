// The pieces of model/pattern.cpp shared with model/pattern_parser.cpp: character classes, Pike VM
// instructions, and the syntax tree between parsing and compiling. Not for use outside the model layer.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "model/pattern.h"

namespace xacct::model::pattern_internal {

enum class Category : uint8_t {
  kDigit,
  kWord,
  kSpace,  // Java's ASCII \d \w \s
  kLetter,
  kMark,
  kNumber,
  kPunct,
  kSymbol,
  kSeparator,
  kOther,  // Unicode \p{L} ...
  kAscii,
  kPrint,
  kGraph,
  kAlpha,
  kAlnum,
  kPosixPunct,
  kUpper,
  kLower,
  kCntrl,
  kXDigit,
  kBlank,
};

struct Range {
  char32_t lo, hi;
};

inline bool IsAsciiWord(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

inline bool IsLineTerminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029; }

//! Whether `c` is in the class (ASCII for \d \w \s and the POSIX names, as Java's defaults).
bool InCategory(Category cat, char32_t c);

}  // namespace xacct::model::pattern_internal

namespace xacct::model {

struct Pattern::CharSet {
  std::vector<pattern_internal::Range> ranges;
  std::vector<std::pair<pattern_internal::Category, bool>> categories;  // (category, negated)
  bool negated = false;

  bool Contains(char32_t c) const {
    bool in = false;
    for (const pattern_internal::Range& r : ranges) in = in || (c >= r.lo && c <= r.hi);
    for (const auto& [cat, neg] : categories) in = in || (pattern_internal::InCategory(cat, c) != neg);
    return in != negated;
  }
};

struct Pattern::Inst {
  enum Op : uint8_t {
    kSet,
    kAny,
    kSplit,
    kJmp,
    kMatch,
    kBegin,
    kEnd,
    kWordBoundary,
    kNotWordBoundary,
    kLook,
    kNotLook,
    kBehind,
    kNotBehind,  // one-character lookbehind: x is the set
  };
  Op op = kMatch;
  uint32_t x = 0, y = 0;  // set index; jump targets; lookahead program
};

}  // namespace xacct::model

namespace xacct::model::pattern_internal {

using Inst = Pattern::Inst;
using CharSet = Pattern::CharSet;

struct Node {
  enum Kind : uint8_t { kSet, kAny, kSeq, kAlt, kRepeat, kAssert, kLook };
  Kind kind = kSeq;
  uint32_t set = 0;
  Inst::Op op = Inst::kMatch;  // kAssert: which; kLook: kLook or kNotLook
  int min = 0, max = 0;        // kRepeat; max < 0 is unbounded
  std::vector<Node> children;
};

//! Parses a Java regular expression into `root`, adding its classes to `sets`; false if it uses a
//! construct outside the supported subset or is malformed.
bool ParsePattern(std::vector<char32_t> src, std::vector<CharSet>* sets, Node* root);

//! Compiles `root` into programs[0] and its lookaheads into the programs after it; false if the
//! program would be too large.
bool CompilePattern(const Node& root, std::vector<std::vector<Inst>>* programs);

}  // namespace xacct::model::pattern_internal
