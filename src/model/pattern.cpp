// Java regular expressions for the models' pattern constraints: parse to a small tree, compile to
// Pike VM instructions (pattern_parser.cpp), match by simulating all threads at once (see pattern.h).
#include "model/pattern.h"

#include <array>
#include <limits>
#include <utility>

#include "model/pattern_internal.h"
#include "model/unicode_category.h"

namespace xacct::model {

namespace pattern_internal {

bool InCategory(Category cat, char32_t c) {
  switch (cat) {
    case Category::kDigit:
      return c >= '0' && c <= '9';
    case Category::kWord:
      return IsAsciiWord(c);
    case Category::kSpace:
      return c == ' ' || (c >= '\t' && c <= '\r');
    case Category::kLetter:
      return GeneralCategory(c) == 'L';
    case Category::kMark:
      return GeneralCategory(c) == 'M';
    case Category::kNumber:
      return GeneralCategory(c) == 'N';
    case Category::kPunct:
      return GeneralCategory(c) == 'P';
    case Category::kSymbol:
      return GeneralCategory(c) == 'S';
    case Category::kSeparator:
      return GeneralCategory(c) == 'Z';
    case Category::kOther:
      return GeneralCategory(c) == 'C';
    case Category::kAscii:
      return c < 0x80;
    case Category::kPrint:
      return c >= 0x20 && c < 0x7F;
    case Category::kGraph:
      return c > 0x20 && c < 0x7F;
    case Category::kAlpha:
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    case Category::kAlnum:
      return IsAsciiWord(c) && c != '_';
    case Category::kPosixPunct:
      return (c > 0x20 && c < 0x7F && !IsAsciiWord(c)) || c == '_';
    case Category::kUpper:
      return c >= 'A' && c <= 'Z';
    case Category::kLower:
      return c >= 'a' && c <= 'z';
    case Category::kCntrl:
      return c < 0x20 || c == 0x7F;
    case Category::kXDigit:
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    case Category::kBlank:
      return c == ' ' || c == '\t';
  }
  return false;
}

}  // namespace pattern_internal

using pattern_internal::Inst;
using pattern_internal::IsAsciiWord;
using pattern_internal::IsLineTerminator;

std::vector<char32_t> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto cb = static_cast<unsigned char>(text[i + k]);
      ok = (cb & 0xC0) == 0x80;
      c = (c << 6) | (cb & 0x3F);
    }
    static constexpr std::array<char32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && c >= kMinimum[len] && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
    out.push_back(ok ? c : 0xFFFD);
    i += ok ? len : 1;
  }
  return out;
}

std::shared_ptr<const Pattern> Pattern::Compile(std::string_view java_regex) {
  std::shared_ptr<Pattern> pattern(new Pattern());
  pattern_internal::Node root;
  if (!pattern_internal::ParsePattern(DecodeUtf8(java_regex), &pattern->sets_, &root)) return nullptr;
  if (!pattern_internal::CompilePattern(root, &pattern->programs_)) return nullptr;
  return pattern;
}

bool Pattern::Matches(std::string_view text) const { return Run(0, DecodeUtf8(text), 0, /*whole=*/true); }

bool Pattern::Run(size_t program, const std::vector<char32_t>& input, size_t start, bool whole) const {
  const std::vector<Inst>& prog = programs_[program];
  const size_t n = input.size();
  std::vector<size_t> marks(prog.size(), std::numeric_limits<size_t>::max());
  std::vector<uint32_t> clist, nlist, stack;
  // Follows the zero-width instructions from `pc` and records the threads that wait on a character.
  auto add = [&](std::vector<uint32_t>& list, uint32_t first, size_t pos) {
    stack.assign(1, first);
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (marks[pc] == pos) continue;
      marks[pc] = pos;
      const Inst& inst = prog[pc];
      const bool word_before = pos > 0 && IsAsciiWord(input[pos - 1]);
      const bool word_after = pos < n && IsAsciiWord(input[pos]);
      switch (inst.op) {
        case Inst::kJmp:
          stack.push_back(inst.x);
          break;
        case Inst::kSplit:
          stack.push_back(inst.y);
          stack.push_back(inst.x);
          break;
        case Inst::kBegin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Inst::kEnd:
          if (pos == n || (pos + 1 == n && IsLineTerminator(input[pos]))) stack.push_back(pc + 1);
          break;
        case Inst::kWordBoundary:
          if (word_before != word_after) stack.push_back(pc + 1);
          break;
        case Inst::kNotWordBoundary:
          if (word_before == word_after) stack.push_back(pc + 1);
          break;
        case Inst::kLook:
          if (Run(inst.x, input, pos, false)) stack.push_back(pc + 1);
          break;
        case Inst::kNotLook:
          if (!Run(inst.x, input, pos, false)) stack.push_back(pc + 1);
          break;
        case Inst::kBehind:
          if (pos > 0 && sets_[inst.x].Contains(input[pos - 1])) stack.push_back(pc + 1);
          break;
        case Inst::kNotBehind:
          if (pos == 0 || !sets_[inst.x].Contains(input[pos - 1])) stack.push_back(pc + 1);
          break;
        default:
          list.push_back(pc);
          break;
      }
    }
  };
  add(clist, 0, start);
  for (size_t pos = start;; ++pos) {
    if (!whole) {
      for (uint32_t pc : clist) {
        if (prog[pc].op == Inst::kMatch) return true;
      }
    }
    if (pos == n || clist.empty()) break;
    const char32_t c = input[pos];
    nlist.clear();
    for (uint32_t pc : clist) {
      const Inst& inst = prog[pc];
      if ((inst.op == Inst::kSet && sets_[inst.x].Contains(c)) || (inst.op == Inst::kAny && !IsLineTerminator(c))) {
        add(nlist, pc + 1, pos + 1);
      }
    }
    std::swap(clist, nlist);
  }
  for (uint32_t pc : clist) {
    if (prog[pc].op == Inst::kMatch) return true;
  }
  return false;
}

}  // namespace xacct::model
