// The ASL intrinsic functions (Developer Guide "Intrinsic functions"; ASL specification "Intrinsic Functions").
// A call is parsed into a small tree (string literals keep where their unescaped `{}` placeholders are) and
// evaluated bottom-up. A path argument that matches nothing fails with States.Runtime and AWS's Cause ("The
// function '...' had the following error: The JsonPath argument for the field '$.x' could not be found in the
// input '...'"); a bad argument value fails with States.IntrinsicFailure.
#include "asl/intrinsics.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "asl/paths_internal.h"

namespace xacct::asl {
namespace {

constexpr size_t kMaxCalls = 10;           // "You can nest up to 10 intrinsic functions within a field"
constexpr int64_t kMaxRange = 1000;        // States.ArrayRange: at most 1000 elements
constexpr size_t kMaxBase64Input = 10000;  // States.Base64Encode/Decode: at most 10,000 characters

enum class Fn : uint8_t {
  kFormat,
  kStringToJson,
  kJsonToString,
  kArray,
  kArrayPartition,
  kArrayContains,
  kArrayRange,
  kArrayGetItem,
  kArrayLength,
  kArrayUnique,
  kBase64Encode,
  kBase64Decode,
  kHash,
  kJsonMerge,
  kMathRandom,
  kMathAdd,
  kStringSplit,
  kUuid
};

struct Spec {
  std::string_view name;
  Fn fn;
  size_t min_args, max_args;
};

constexpr size_t kAny = SIZE_MAX;
constexpr Spec kSpecs[] = {
    {"States.Format", Fn::kFormat, 1, kAny},
    {"States.StringToJson", Fn::kStringToJson, 1, 1},
    {"States.JsonToString", Fn::kJsonToString, 1, 1},
    {"States.Array", Fn::kArray, 0, kAny},
    {"States.ArrayPartition", Fn::kArrayPartition, 2, 2},
    {"States.ArrayContains", Fn::kArrayContains, 2, 2},
    {"States.ArrayRange", Fn::kArrayRange, 3, 3},
    {"States.ArrayGetItem", Fn::kArrayGetItem, 2, 2},
    {"States.ArrayLength", Fn::kArrayLength, 1, 1},
    {"States.ArrayUnique", Fn::kArrayUnique, 1, 1},
    {"States.Base64Encode", Fn::kBase64Encode, 1, 1},
    {"States.Base64Decode", Fn::kBase64Decode, 1, 1},
    {"States.Hash", Fn::kHash, 2, 2},
    {"States.JsonMerge", Fn::kJsonMerge, 3, 3},
    {"States.MathRandom", Fn::kMathRandom, 2, 3},
    {"States.MathAdd", Fn::kMathAdd, 2, 2},
    {"States.StringSplit", Fn::kStringSplit, 2, 2},
    {"States.UUID", Fn::kUuid, 0, 0},
};

struct Call;

struct Arg {
  enum class Kind : uint8_t { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  json::value literal;
  std::vector<size_t> holes;  // a string literal's unescaped `{}`, as offsets into the decoded text
  detail::PathProgram path;
  std::unique_ptr<Call> call;
};

struct Call {
  const Spec* spec = nullptr;
  std::vector<Arg> args;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNameChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::unique_ptr<Call> Top() {
    auto call = ParseCall();
    SkipSpace();
    if (call && pos_ != s_.size()) return Fail("unexpected text after the closing ')'");
    if (call && calls_ > kMaxCalls) return Fail("more than 10 intrinsic functions in one field");
    return call;
  }
  const std::string& error() const { return error_; }

 private:
  std::nullptr_t Fail(std::string what) {
    if (error_.empty()) error_ = std::move(what);
    return nullptr;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  std::unique_ptr<Call> ParseCall() {
    SkipSpace();
    size_t begin = pos_;
    if (s_.substr(pos_, 7) != "States.") return Fail("expected an intrinsic function");
    pos_ += 7;
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    std::string_view name = s_.substr(begin, pos_ - begin);
    auto call = std::make_unique<Call>();
    for (const auto& spec : kSpecs) {
      if (spec.name == name) call->spec = &spec;
    }
    if (call->spec == nullptr) return Fail("unknown intrinsic function '" + std::string(name) + "'");
    ++calls_;
    SkipSpace();
    if (pos_ >= s_.size() || s_[pos_++] != '(') return Fail("expected '(' after " + std::string(name));
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ')') {
      ++pos_;
    } else {
      for (;;) {
        Arg arg;
        if (!ParseArg(arg)) return nullptr;
        call->args.push_back(std::move(arg));
        SkipSpace();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ')') {
          ++pos_;
          break;
        }
        return Fail("expected ',' or ')' in the arguments of " + std::string(name));
      }
    }
    const Spec& spec = *call->spec;
    size_t n = call->args.size();
    if (n < spec.min_args || n > spec.max_args) {
      std::string expected = spec.min_args == spec.max_args ? std::to_string(spec.min_args)
                             : spec.max_args == kAny
                                 ? "at least " + std::to_string(spec.min_args)
                                 : std::to_string(spec.min_args) + " or " + std::to_string(spec.max_args);
      return Fail(std::string(name) + " takes " + expected + " argument(s), not " + std::to_string(n));
    }
    if (spec.fn == Fn::kJsonToString && call->args[0].kind != Arg::Kind::kPath) {
      return Fail("the argument of States.JsonToString must be a path");
    }
    return call;
  }

  bool ParseArg(Arg& arg) {
    SkipSpace();
    if (pos_ >= s_.size()) return Fail("missing argument"), false;
    char c = s_[pos_];
    if (c == '\'') return StringLiteral(arg);
    if (c == '$') return PathArg(arg);
    if (s_.substr(pos_, 7) == "States.") {
      arg.kind = Arg::Kind::kCall;
      arg.call = ParseCall();
      return arg.call != nullptr;
    }
    size_t begin = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ')' && !IsSpace(s_[pos_])) ++pos_;
    std::string_view word = s_.substr(begin, pos_ - begin);
    json::error_code ec;
    arg.literal = json::parse(word, ec);
    if (ec || arg.literal.is_structured() || arg.literal.is_string()) {
      return Fail("invalid argument '" + std::string(word) + "'"), false;
    }
    return true;
  }

  bool StringLiteral(Arg& arg) {
    ++pos_;
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '\'') {
      char c = s_[pos_++];
      if (c == '\\') {
        if (pos_ >= s_.size()) break;
        char e = s_[pos_++];
        if (e != '\'' && e != '{' && e != '}' && e != '\\') {
          return Fail(std::string("invalid escape sequence '\\") + e + "' in a string literal"), false;
        }
        out += e;
      } else if (c == '{' && pos_ < s_.size() && s_[pos_] == '}') {
        arg.holes.push_back(out.size());
        out += "{}";
        ++pos_;
      } else {
        out += c;
      }
    }
    if (pos_ >= s_.size()) return Fail("unterminated string literal"), false;
    ++pos_;
    arg.literal = json::string(out);
    return true;
  }

  // A path runs to the next ',' or ')' outside brackets, parentheses and quotes.
  bool PathArg(Arg& arg) {
    size_t begin = pos_;
    int depth = 0;
    char quote = 0;
    for (; pos_ < s_.size(); ++pos_) {
      char c = s_[pos_];
      if (quote != 0) {
        if (c == '\\')
          ++pos_;
        else if (c == quote)
          quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        ++depth;
      } else if ((c == ']' || c == ')') && depth > 0) {
        --depth;
      } else if (depth == 0 && (c == ',' || c == ')')) {
        break;
      }
    }
    std::string_view text = s_.substr(begin, pos_ - begin);
    while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
    auto path = detail::CompilePath(text);
    if (!path.ok()) return Fail(path.error().message), false;
    arg.kind = Arg::Kind::kPath;
    arg.path = std::move(path).value();
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t calls_ = 0;
  std::string error_;
};

// java.util.Random, so that a seeded States.MathRandom is reproducible the way AWS's is.
class JavaRandom {
 public:
  explicit JavaRandom(int64_t seed) : seed_((static_cast<uint64_t>(seed) ^ kMultiplier) & kMask) {}
  int32_t NextInt(int32_t bound) {
    int64_t r = Next(31);
    int64_t m = bound - 1;
    if ((bound & m) == 0) return static_cast<int32_t>((bound * r) >> 31);
    for (int64_t u = r; u - (r = u % bound) + m > INT32_MAX; u = Next(31)) {
    }
    return static_cast<int32_t>(r);
  }

 private:
  static constexpr uint64_t kMultiplier = 0x5DEECE66DULL;
  static constexpr uint64_t kMask = (1ULL << 48) - 1;
  int64_t Next(int bits) {
    seed_ = (seed_ * kMultiplier + 0xBULL) & kMask;
    return static_cast<int64_t>(static_cast<uint32_t>(seed_ >> (48 - bits)));
  }
  uint64_t seed_;
};

bool Integer(const json::value& v, int64_t& out) {
  if (v.is_int64()) {
    out = v.get_int64();
    return true;
  }
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(v.get_uint64());
    return true;
  }
  return false;
}

// A number rounded to the nearest integer (Math.round), as MathAdd and MathRandom take non-integers.
bool Rounded(const json::value& v, int64_t& out) {
  if (Integer(v, out)) return true;
  if (!v.is_double() || !std::isfinite(v.get_double()) || std::fabs(v.get_double()) > 9e18) return false;
  out = static_cast<int64_t>(std::floor(v.get_double() + 0.5));
  return true;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// RFC 4648 base64; the padding is optional, as for java.util.Base64's basic decoder.
bool Base64Decode(std::string_view in, std::string& out) {
  while (!in.empty() && in.back() == '=' && in.size() % 4 != 1) {
    in.remove_suffix(1);
    if (in.size() % 4 == 2) break;
  }
  if (in.size() % 4 == 1) return false;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::string Uuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string h = Hex(b, sizeof b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string FormatText(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : detail::CompactJson(v);
}

class Evaluator {
 public:
  Evaluator(std::string_view text, const json::value& input, const json::value& context)
      : text_(text), input_(input), context_(context) {}

  Result<json::value> Eval(const Call& call) {
    std::vector<json::value> v;
    v.reserve(call.args.size());
    for (const auto& arg : call.args) {
      auto r = Value(arg);
      if (!r.ok()) return r;
      v.push_back(std::move(r).value());
    }
    return Apply(call, v);
  }

 private:
  AwsError Failure(const std::string& code, const std::string& why) const {
    return AwsError::Client(code, "The function '" + std::string(text_) + "' had the following error: " + why);
  }
  AwsError Bad(const std::string& why) const { return Failure("States.IntrinsicFailure", why); }

  Result<json::value> Value(const Arg& arg) {
    if (arg.kind == Arg::Kind::kLiteral) return arg.literal;
    if (arg.kind == Arg::Kind::kCall) return Eval(*arg.call);
    const json::value& root = arg.path.context ? context_ : input_;
    if (!arg.path.reference) {
      json::array out;
      detail::CollectAll(arg.path, root, out);
      return json::value(std::move(out));
    }
    detail::Found found = detail::FindReference(arg.path, root);
    if (found.node != nullptr && !found.past_end) return *found.node;
    if (found.not_array) return Failure("States.Runtime", found.miss);
    // AWS names a `$$` path as rewritten against the context object, and the state input.
    std::string shown = arg.path.context ? arg.path.text.substr(1) : arg.path.text;
    return Failure("States.Runtime", "The JsonPath argument for the field '" + shown +
                                         "' could not be found in the input '" + detail::CompactJson(input_) + "'");
  }

  Result<json::value> Apply(const Call& call, std::vector<json::value>& v) {
    const std::string name(call.spec->name);
    auto array_arg = [&](size_t i) -> const json::array* { return v[i].if_array(); };
    switch (call.spec->fn) {
      case Fn::kFormat: {
        if (!v[0].is_string()) return Bad("The first argument of States.Format must be a string");
        std::string_view tmpl = v[0].get_string();
        std::vector<size_t> holes = call.args[0].kind == Arg::Kind::kLiteral ? call.args[0].holes : Holes(tmpl);
        if (holes.size() != v.size() - 1) {
          return Bad("The number of arguments (" + std::to_string(v.size() - 1) +
                     ") does not match the number of '{}' placeholders (" + std::to_string(holes.size()) + ")");
        }
        std::string out;
        size_t at = 0;
        for (size_t i = 0; i < holes.size(); ++i) {
          out.append(tmpl.substr(at, holes[i] - at));
          out += FormatText(v[i + 1]);
          at = holes[i] + 2;
        }
        out.append(tmpl.substr(at));
        return json::value(json::string(out));
      }
      case Fn::kStringToJson: {
        if (!v[0].is_string()) return Bad("The argument of States.StringToJson must be a string");
        json::error_code ec;
        json::value parsed = json::parse(v[0].get_string(), ec);
        if (ec) return Bad("The argument of States.StringToJson is not valid JSON: " + ec.message());
        return parsed;
      }
      case Fn::kJsonToString:
        return json::value(json::string(detail::CompactJson(v[0])));
      case Fn::kArray: {
        json::array out;
        for (auto& e : v) out.push_back(std::move(e));
        return json::value(std::move(out));
      }
      case Fn::kArrayPartition: {
        const auto* a = array_arg(0);
        int64_t size = 0;
        if (a == nullptr) return Bad("The first argument of States.ArrayPartition must be an array");
        if (!Integer(v[1], size) || size <= 0) {
          return Bad("The chunk size of States.ArrayPartition must be a positive, non-zero integer");
        }
        json::array out;
        for (size_t i = 0; i < a->size(); i += static_cast<size_t>(size)) {
          size_t end = std::min(a->size(), i + static_cast<size_t>(size));
          out.push_back(
              json::array(a->begin() + static_cast<std::ptrdiff_t>(i), a->begin() + static_cast<std::ptrdiff_t>(end)));
        }
        return json::value(std::move(out));
      }
      case Fn::kArrayContains: {
        const auto* a = array_arg(0);
        if (a == nullptr) return Bad("The first argument of States.ArrayContains must be an array");
        return json::value(std::find(a->begin(), a->end(), v[1]) != a->end());
      }
      case Fn::kArrayRange: {
        int64_t first = 0, last = 0, step = 0;
        if (!Integer(v[0], first) || !Integer(v[1], last) || !Integer(v[2], step)) {
          return Bad("The arguments of States.ArrayRange must be integers");
        }
        if (step == 0) return Bad("The step of States.ArrayRange must not be 0");
        __int128 count = 0;
        if ((step > 0 && first <= last) || (step < 0 && first >= last)) {
          count = (static_cast<__int128>(last) - first) / step + 1;
        }
        if (count > kMaxRange) return Bad("States.ArrayRange cannot create an array of more than 1000 elements");
        json::array out;
        for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) out.push_back(first + i * step);
        return json::value(std::move(out));
      }
      case Fn::kArrayGetItem: {
        const auto* a = array_arg(0);
        int64_t index = 0;
        if (a == nullptr) return Bad("The first argument of States.ArrayGetItem must be an array");
        if (!Integer(v[1], index) || index < 0) {
          return Bad("The index of States.ArrayGetItem must be a non-negative integer");
        }
        if (index >= static_cast<int64_t>(a->size())) {
          return Bad("The index " + std::to_string(index) + " is out of bounds for an array of length " +
                     std::to_string(a->size()));
        }
        return (*a)[static_cast<size_t>(index)];
      }
      case Fn::kArrayLength: {
        const auto* a = array_arg(0);
        if (a == nullptr) return Bad("The argument of States.ArrayLength must be an array");
        return json::value(static_cast<int64_t>(a->size()));
      }
      case Fn::kArrayUnique: {
        const auto* a = array_arg(0);
        if (a == nullptr) return Bad("The argument of States.ArrayUnique must be an array");
        json::array out;
        for (const auto& e : *a) {
          if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
        }
        return json::value(std::move(out));
      }
      case Fn::kBase64Encode:
      case Fn::kBase64Decode: {
        if (!v[0].is_string()) return Bad("The argument of " + name + " must be a string");
        std::string_view s = v[0].get_string();
        if (CodePoints(s) > kMaxBase64Input) {
          return Bad("The argument of " + name + " must not be longer than 10000 characters");
        }
        if (call.spec->fn == Fn::kBase64Encode) return json::value(json::string(Base64Encode(s)));
        std::string out;
        if (!Base64Decode(s, out)) return Bad("The argument of States.Base64Decode is not valid base64");
        return json::value(json::string(out));
      }
      case Fn::kHash:
        return Hash(v);
      case Fn::kJsonMerge: {
        if (!v[0].is_object() || !v[1].is_object())
          return Bad("The first two arguments of States.JsonMerge must be objects");
        if (!v[2].is_bool()) return Bad("The third argument of States.JsonMerge must be a boolean");
        if (v[2].get_bool())
          return Bad("States.JsonMerge does not support deep merge; set the third argument to false");
        json::object out = v[0].get_object();
        for (const auto& kv : v[1].get_object()) out[kv.key()] = kv.value();
        return json::value(std::move(out));
      }
      case Fn::kMathRandom:
        return MathRandom(v);
      case Fn::kMathAdd: {
        int64_t a = 0, b = 0;
        if (!Rounded(v[0], a) || !Rounded(v[1], b)) return Bad("The arguments of States.MathAdd must be numbers");
        if (a < INT32_MIN || a > INT32_MAX || b < INT32_MIN || b > INT32_MAX) {
          return Bad("The arguments of States.MathAdd must be between -2147483648 and 2147483647");
        }
        return json::value(a + b);
      }
      case Fn::kStringSplit: {
        if (!v[0].is_string() || !v[1].is_string()) return Bad("The arguments of States.StringSplit must be strings");
        return json::value(Split(v[0].get_string(), v[1].get_string()));
      }
      case Fn::kUuid:
        return json::value(json::string(Uuid()));
    }
    return Bad("unsupported function " + name);
  }

  static std::vector<size_t> Holes(std::string_view s) {
    std::vector<size_t> out;
    for (size_t at = s.find("{}"); at != std::string_view::npos; at = s.find("{}", at + 2)) out.push_back(at);
    return out;
  }

  // Splits on any of the delimiter's characters, dropping empty pieces (java.util.StringTokenizer).
  static json::array Split(std::string_view s, std::string_view delims) {
    auto is_delim = [&](std::string_view ch) { return !ch.empty() && delims.find(ch) != std::string_view::npos; };
    json::array out;
    std::string piece;
    for (size_t i = 0; i < s.size();) {
      size_t len = 1;
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
      std::string_view ch = s.substr(i, len);
      if (is_delim(ch)) {
        if (!piece.empty()) out.push_back(json::string(piece));
        piece.clear();
      } else {
        piece.append(ch);
      }
      i += len;
    }
    if (!piece.empty()) out.push_back(json::string(piece));
    return out;
  }

  Result<json::value> Hash(const std::vector<json::value>& v) {
    static constexpr std::pair<std::string_view, const EVP_MD* (*)()> kAlgorithms[] = {{"MD5", EVP_md5},
                                                                                       {"SHA-1", EVP_sha1},
                                                                                       {"SHA-256", EVP_sha256},
                                                                                       {"SHA-384", EVP_sha384},
                                                                                       {"SHA-512", EVP_sha512}};
    if (!v[1].is_string()) return Bad("The algorithm of States.Hash must be a string");
    const EVP_MD* md = nullptr;
    for (const auto& [name, get] : kAlgorithms) {
      if (name == v[1].get_string()) md = get();
    }
    if (md == nullptr) {
      return Bad("The algorithm of States.Hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
    }
    std::string data = FormatText(v[0]);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) {
      throw std::runtime_error("EVP_Digest failed");
    }
    return json::value(json::string(Hex(digest, len)));
  }

  Result<json::value> MathRandom(const std::vector<json::value>& v) {
    int64_t start = 0, end = 0, seed = 0;
    if (!Rounded(v[0], start) || !Rounded(v[1], end)) {
      return Bad("The start and end of States.MathRandom must be numbers");
    }
    if (end <= start || end - start > INT32_MAX) {
      return Bad("The end of States.MathRandom must be greater than its start");
    }
    if (v.size() == 3) {
      if (!Rounded(v[2], seed)) return Bad("The seed of States.MathRandom must be a number");
    } else if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    JavaRandom random(seed);
    return json::value(start + random.NextInt(static_cast<int32_t>(end - start)));
  }

  std::string_view text_;
  const json::value& input_;
  const json::value& context_;
};

}  // namespace

bool IsIntrinsicCall(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  if (text.substr(0, 7) != "States.") return false;
  size_t i = 7;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  while (i < text.size() && IsSpace(text[i])) ++i;
  return i > 7 && i < text.size() && text[i] == '(';
}

Status ValidateIntrinsic(std::string_view text) {
  Parser parser(text);
  if (parser.Top() == nullptr) {
    return AwsError::Client("SCHEMA_VALIDATION_FAILED",
                            "Invalid intrinsic function call '" + std::string(text) + "': " + parser.error());
  }
  return Ok{};
}

struct CompiledIntrinsic::Impl {
  std::string text;
  std::unique_ptr<Call> call;
  std::string error;
};

CompiledIntrinsic::CompiledIntrinsic(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->text = std::string(text);
  Parser parser(impl->text);
  impl->call = parser.Top();
  if (impl->call == nullptr) impl->error = parser.error();
  impl_ = std::move(impl);
}

Result<json::value> CompiledIntrinsic::Evaluate(const json::value& input, const json::value& context) const {
  if (impl_->call == nullptr) {
    return AwsError::Client("States.IntrinsicFailure",
                            "The function '" + impl_->text + "' had the following error: " + impl_->error);
  }
  return Evaluator(impl_->text, input, context).Eval(*impl_->call);
}

Result<json::value> EvaluateIntrinsic(std::string_view text, const json::value& input, const json::value& context) {
  Parser parser(text);
  auto call = parser.Top();
  if (call == nullptr) {
    return AwsError::Client("States.IntrinsicFailure",
                            "The function '" + std::string(text) + "' had the following error: " + parser.error());
  }
  return Evaluator(text, input, context).Eval(*call);
}

}  // namespace xacct::asl
