// Parsing and compiling the models' Java regular expressions (see pattern.h for the subset).
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "model/pattern_internal.h"

namespace xacct::model::pattern_internal {

namespace {

constexpr std::pair<std::string_view, Category> kPropertyNames[] = {
    {"L", Category::kLetter},      {"IsL", Category::kLetter},       {"M", Category::kMark},
    {"IsM", Category::kMark},      {"N", Category::kNumber},         {"IsN", Category::kNumber},
    {"P", Category::kPunct},       {"IsP", Category::kPunct},        {"S", Category::kSymbol},
    {"IsS", Category::kSymbol},    {"Z", Category::kSeparator},      {"IsZ", Category::kSeparator},
    {"C", Category::kOther},       {"IsC", Category::kOther},        {"ASCII", Category::kAscii},
    {"Print", Category::kPrint},   {"Graph", Category::kGraph},      {"Alpha", Category::kAlpha},
    {"Alnum", Category::kAlnum},   {"Punct", Category::kPosixPunct}, {"Upper", Category::kUpper},
    {"Lower", Category::kLower},   {"Digit", Category::kDigit},      {"Cntrl", Category::kCntrl},
    {"XDigit", Category::kXDigit}, {"Space", Category::kSpace},      {"Blank", Category::kBlank},
};

constexpr size_t kMaxInstructions = 50000;
constexpr int kMaxDepth = 64;
constexpr int kMaxRepeat = 1000;

// One escape sequence: a code point, a class shorthand, or a zero-width assertion.
struct Escape {
  enum Kind : uint8_t { kChar, kCategory, kAssert } kind = kChar;
  char32_t c = 0;
  Category category = Category::kDigit;
  bool negated = false;
  Inst::Op op = Inst::kMatch;
};

class Parser {
 public:
  Parser(std::vector<char32_t> src, std::vector<CharSet>* sets) : src_(std::move(src)), sets_(sets) {}

  bool Parse(Node* root) { return ParseAlt(root, 0) && pos_ == src_.size(); }

 private:
  bool AtEnd() const { return pos_ >= src_.size(); }
  char32_t Peek(size_t ahead = 0) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : 0; }
  bool Eat(char32_t c) {
    if (AtEnd() || src_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool ParseAlt(Node* out, int depth) {
    if (depth > kMaxDepth) return false;
    out->kind = Node::kAlt;
    do {
      Node seq;
      if (!ParseSeq(&seq, depth)) return false;
      out->children.push_back(std::move(seq));
    } while (Eat('|'));
    return true;
  }

  bool ParseSeq(Node* out, int depth) {
    out->kind = Node::kSeq;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Node atom;
      if (!ParseAtom(&atom, depth) || !ParseQuantifier(&atom)) return false;
      out->children.push_back(std::move(atom));
    }
    return true;
  }

  uint32_t AddSet(CharSet set) {
    sets_->push_back(std::move(set));
    return static_cast<uint32_t>(sets_->size() - 1);
  }

  bool ParseAtom(Node* out, int depth) {
    const char32_t c = src_[pos_++];
    switch (c) {
      case '(': {
        Inst::Op look = Inst::kMatch;
        if (Eat('?')) {
          if (Eat('=')) {
            look = Inst::kLook;
          } else if (Eat('!')) {
            look = Inst::kNotLook;
          } else if (Peek() == '<' && (Peek(1) == '=' || Peek(1) == '!')) {
            look = Peek(1) == '=' ? Inst::kBehind : Inst::kNotBehind;
            pos_ += 2;
          } else if (!Eat(':')) {
            return false;  // named groups, inline flags
          }
        }
        Node alt;
        if (!ParseAlt(&alt, depth + 1) || !Eat(')')) return false;
        if (look == Inst::kBehind || look == Inst::kNotBehind) {
          // Only a lookbehind of one character ("(?<!\\.)" in Lambda's S3Bucket) is supported.
          if (alt.children.size() != 1 || alt.children[0].children.size() != 1 ||
              alt.children[0].children[0].kind != Node::kSet) {
            return false;
          }
          out->kind = Node::kAssert;
          out->op = look;
          out->set = alt.children[0].children[0].set;
          return true;
        }
        if (look == Inst::kMatch) {
          *out = std::move(alt);
        } else {
          out->kind = Node::kLook;
          out->op = look;
          out->children.push_back(std::move(alt));
        }
        return true;
      }
      case '[': {
        CharSet set;
        if (!ParseClass(&set)) return false;
        out->kind = Node::kSet;
        out->set = AddSet(std::move(set));
        return true;
      }
      case '.':
        out->kind = Node::kAny;
        return true;
      case '^':
        out->kind = Node::kAssert;
        out->op = Inst::kBegin;
        return true;
      case '$':
        out->kind = Node::kAssert;
        out->op = Inst::kEnd;
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        return false;
      case '\\': {
        Escape e;
        if (!ParseEscape(&e, /*in_class=*/false)) return false;
        if (e.kind == Escape::kAssert) {
          out->kind = Node::kAssert;
          out->op = e.op;
          return true;
        }
        CharSet set;
        if (e.kind == Escape::kChar) set.ranges.push_back({e.c, e.c});
        if (e.kind == Escape::kCategory) set.categories.emplace_back(e.category, e.negated);
        out->kind = Node::kSet;
        out->set = AddSet(std::move(set));
        return true;
      }
      default: {
        CharSet set;
        set.ranges.push_back({c, c});
        out->kind = Node::kSet;
        out->set = AddSet(std::move(set));
        return true;
      }
    }
  }

  bool ParseNumber(int* n) {
    if (AtEnd() || Peek() < '0' || Peek() > '9') return false;
    *n = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      *n = *n * 10 + static_cast<int>(src_[pos_++] - '0');
      if (*n > kMaxRepeat) return false;
    }
    return true;
  }

  bool ParseQuantifier(Node* atom) {
    int min = 0, max = 0;
    if (Eat('*')) {
      min = 0, max = -1;
    } else if (Eat('+')) {
      min = 1, max = -1;
    } else if (Eat('?')) {
      min = 0, max = 1;
    } else if (Eat('{')) {
      if (!ParseNumber(&min)) return false;
      max = min;
      if (Eat(',')) {
        max = -1;
        if (Peek() != '}' && (!ParseNumber(&max) || max < min)) return false;
      }
      if (!Eat('}')) return false;
    } else {
      return true;
    }
    if (!Eat('?')) Eat('+');  // lazy and possessive behave as greedy for a whole-input match
    if (atom->kind == Node::kAssert || atom->kind == Node::kLook) return false;
    Node repeat;
    repeat.kind = Node::kRepeat;
    repeat.min = min;
    repeat.max = max;
    repeat.children.push_back(std::move(*atom));
    *atom = std::move(repeat);
    return !(Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{');
  }

  bool ParseHex(size_t digits, char32_t* out) {
    *out = 0;
    for (size_t i = 0; i < digits; ++i) {
      const char32_t h = Peek();
      int v = -1;
      if (h >= '0' && h <= '9') v = static_cast<int>(h - '0');
      if (h >= 'a' && h <= 'f') v = static_cast<int>(h - 'a' + 10);
      if (h >= 'A' && h <= 'F') v = static_cast<int>(h - 'A' + 10);
      if (v < 0) return false;
      *out = *out * 16 + static_cast<char32_t>(v);
      ++pos_;
    }
    return true;
  }

  bool ParseEscape(Escape* e, bool in_class) {
    if (AtEnd()) return false;
    const char32_t c = src_[pos_++];
    e->kind = Escape::kChar;
    switch (c) {
      case 't':
        e->c = '\t';
        return true;
      case 'n':
        e->c = '\n';
        return true;
      case 'r':
        e->c = '\r';
        return true;
      case 'f':
        e->c = '\f';
        return true;
      case 'a':
        e->c = 0x07;
        return true;
      case 'e':
        e->c = 0x1B;
        return true;
      case 'x':
        return ParseHex(2, &e->c);
      case 'u': {
        if (!ParseHex(4, &e->c)) return false;
        // Java reads a surrogate pair written as two escapes as one supplementary code point.
        if (e->c >= 0xD800 && e->c <= 0xDBFF && Peek() == '\\' && Peek(1) == 'u') {
          const size_t save = pos_;
          pos_ += 2;
          char32_t low = 0;
          if (ParseHex(4, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            e->c = 0x10000 + ((e->c - 0xD800) << 10) + (low - 0xDC00);
          } else {
            pos_ = save;
          }
        }
        return true;
      }
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S': {
        e->kind = Escape::kCategory;
        e->category = (c == 'd' || c == 'D')   ? Category::kDigit
                      : (c == 'w' || c == 'W') ? Category::kWord
                                               : Category::kSpace;
        e->negated = c == 'D' || c == 'W' || c == 'S';
        return true;
      }
      case 'p':
      case 'P': {
        std::u32string name;
        if (Eat('{')) {
          while (!AtEnd() && Peek() != '}') name += src_[pos_++];
          if (!Eat('}')) return false;
        } else if (!AtEnd()) {
          name += src_[pos_++];
        }
        for (const auto& [text, category] : kPropertyNames) {
          if (std::u32string(text.begin(), text.end()) == name) {
            e->kind = Escape::kCategory;
            e->category = category;
            e->negated = c == 'P';
            return true;
          }
        }
        return false;
      }
      case 'b':
      case 'B':
        if (in_class) return false;
        e->kind = Escape::kAssert;
        e->op = c == 'b' ? Inst::kWordBoundary : Inst::kNotWordBoundary;
        return true;
      default:
        // Escaped punctuation is itself; an escaped letter or digit we do not know is a construct
        // we lack (back reference, \Q, \A, \z, \G, \k) or an error in Java.
        if (c < 0x80 && IsAsciiWord(c) && c != '_') return false;
        e->c = c;
        return true;
    }
  }

  bool ParseClassAtom(CharSet* set, char32_t* single) {
    *single = std::numeric_limits<char32_t>::max();
    const char32_t c = src_[pos_++];
    if (c == '[') return false;                   // nested classes and unions
    if (c == '&' && Peek() == '&') return false;  // intersection
    if (c != '\\') {
      *single = c;
      return true;
    }
    Escape e;
    if (!ParseEscape(&e, /*in_class=*/true)) return false;
    if (e.kind == Escape::kCategory) {
      set->categories.emplace_back(e.category, e.negated);
      return true;
    }
    *single = e.c;
    return true;
  }

  bool ParseClass(CharSet* set) {
    set->negated = Eat('^');
    bool first = true;
    while (!AtEnd() && (first || Peek() != ']')) {
      first = false;
      char32_t lo = 0;
      if (!ParseClassAtom(set, &lo)) return false;
      if (lo == std::numeric_limits<char32_t>::max()) continue;
      if (Peek() == '-' && Peek(1) != ']' && pos_ + 1 < src_.size()) {
        ++pos_;
        char32_t hi = 0;
        if (!ParseClassAtom(set, &hi) || hi == std::numeric_limits<char32_t>::max() || hi < lo) return false;
        set->ranges.push_back({lo, hi});
      } else {
        set->ranges.push_back({lo, lo});
      }
    }
    return Eat(']');
  }

  std::vector<char32_t> src_;
  size_t pos_ = 0;
  std::vector<CharSet>* sets_;
};

class Compiler {
 public:
  explicit Compiler(std::vector<std::vector<Inst>>* programs) : programs_(programs) {}

  bool CompileProgram(const Node& root) {
    const size_t index = programs_->size();
    programs_->emplace_back();
    if (!Emit(root, index)) return false;
    (*programs_)[index].push_back({Inst::kMatch});
    return total_ < kMaxInstructions;
  }

 private:
  uint32_t Add(size_t prog, Inst inst) {
    auto& p = (*programs_)[prog];
    p.push_back(inst);
    ++total_;
    return static_cast<uint32_t>(p.size() - 1);
  }
  uint32_t Here(size_t prog) const { return static_cast<uint32_t>((*programs_)[prog].size()); }
  Inst& At(size_t prog, uint32_t pc) { return (*programs_)[prog][pc]; }

  bool Emit(const Node& n, size_t prog) {
    if (total_ > kMaxInstructions) return false;
    switch (n.kind) {
      case Node::kSet:
        Add(prog, {Inst::kSet, n.set});
        return true;
      case Node::kAny:
        Add(prog, {Inst::kAny});
        return true;
      case Node::kAssert:
        Add(prog, {n.op, n.set});
        return true;
      case Node::kSeq:
        for (const Node& child : n.children) {
          if (!Emit(child, prog)) return false;
        }
        return true;
      case Node::kAlt: {
        if (n.children.size() == 1) return Emit(n.children[0], prog);
        std::vector<uint32_t> exits;
        for (size_t i = 0; i < n.children.size(); ++i) {
          const bool last = i + 1 == n.children.size();
          const uint32_t split = last ? 0 : Add(prog, {Inst::kSplit});
          if (!last) At(prog, split).x = Here(prog);
          if (!Emit(n.children[i], prog)) return false;
          if (!last) {
            exits.push_back(Add(prog, {Inst::kJmp}));
            At(prog, split).y = Here(prog);
          }
        }
        for (uint32_t pc : exits) At(prog, pc).x = Here(prog);
        return true;
      }
      case Node::kRepeat: {
        const Node& child = n.children[0];
        for (int i = 0; i < n.min; ++i) {
          if (!Emit(child, prog)) return false;
        }
        if (n.max < 0) {
          const uint32_t split = Add(prog, {Inst::kSplit});
          At(prog, split).x = Here(prog);
          if (!Emit(child, prog)) return false;
          Add(prog, {Inst::kJmp, split});
          At(prog, split).y = Here(prog);
          return true;
        }
        std::vector<uint32_t> splits;
        for (int i = n.min; i < n.max; ++i) {
          splits.push_back(Add(prog, {Inst::kSplit}));
          At(prog, splits.back()).x = Here(prog);
          if (!Emit(child, prog)) return false;
        }
        for (uint32_t pc : splits) At(prog, pc).y = Here(prog);
        return true;
      }
      case Node::kLook: {
        Compiler sub(programs_);
        sub.total_ = total_;
        const auto index = static_cast<uint32_t>(programs_->size());
        if (!sub.CompileProgram(n.children[0])) return false;
        total_ = sub.total_;
        Add(prog, {n.op, index});
        return true;
      }
    }
    return false;
  }

  std::vector<std::vector<Inst>>* programs_;
  size_t total_ = 0;
};

}  // namespace

bool ParsePattern(std::vector<char32_t> src, std::vector<CharSet>* sets, Node* root) {
  Parser parser(std::move(src), sets);
  return parser.Parse(root);
}

bool CompilePattern(const Node& root, std::vector<std::vector<Inst>>* programs) {
  Compiler compiler(programs);
  return compiler.CompileProgram(root);
}

}  // namespace xacct::model::pattern_internal
