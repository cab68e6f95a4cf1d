// DynamoDB attribute values: input validation and canonical numbers, equality and ordering, the key
// encoding for store ids, item sizes and number arithmetic. Follows the Amazon DynamoDB Developer Guide
// ("Supported data types and naming rules": numbers of up to 38 significant digits between 1E-130 and
// 9.9999999999999999999999999999999999999E+125, sets that are neither empty nor hold duplicates; "Item
// sizes and formats"), with the ValidationException wording DynamoDB returns (captured against AWS by the
// paritysuite/dynamodb-conformance suite: tests/tier3/error-messages/valueLayers.test.ts and
// tests/tier3/limits/numberExponent.test.ts, numberByteSize.test.ts).
#include <algorithm>
#include <cstdint>
#include <set>

#include "protocol/values.h"
#include "services/dynamodb/expression_internal.h"

namespace xacct::services::dynamodb {

AwsError ValidationException(std::string message) {
  return AwsError::Client("ValidationException", std::move(message), 400);
}

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";
constexpr int kMaxDigits = 38;
constexpr int64_t kMaxExponent = 125;   // 9.99...E+125
constexpr int64_t kMinExponent = -130;  // 1E-130
constexpr std::string_view kTypes[] = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

AwsError Serialization(std::string message) { return AwsError::Client("SerializationException", std::move(message)); }

// The magnitude of a canonical number: value = digits x 10^exponent.
struct Decimal {
  bool negative = false;
  std::string digits;  // no leading or trailing zeros; empty for zero
  int64_t exponent = 0;

  bool IsZero() const { return digits.empty(); }
  // The exponent of the leading digit in scientific notation (1.5E3 -> 3).
  int64_t Adjusted() const { return exponent + static_cast<int64_t>(digits.size()) - 1; }
};

// Strips zeros and checks DynamoDB's limits. `zero_adjusted` is the exponent a zero was written with, which
// DynamoDB range-checks too ("0e126" overflows).
Result<Decimal> Finish(Decimal d, int64_t zero_adjusted) {
  const size_t first = d.digits.find_first_not_of('0');
  if (first == std::string::npos) {
    if (zero_adjusted > kMaxExponent) return ValidationException(std::string(kNumberOverflow));
    if (zero_adjusted < kMinExponent) return ValidationException(std::string(kNumberUnderflow));
    return Decimal{};
  }
  d.digits.erase(0, first);
  const size_t last = d.digits.find_last_not_of('0');
  d.exponent += static_cast<int64_t>(d.digits.size() - 1 - last);
  d.digits.erase(last + 1);
  if (d.Adjusted() > kMaxExponent) return ValidationException(std::string(kNumberOverflow));
  if (d.Adjusted() < kMinExponent) return ValidationException(std::string(kNumberUnderflow));
  if (d.digits.size() > static_cast<size_t>(kMaxDigits)) return ValidationException(std::string(kTooManyDigits));
  return d;
}

Result<Decimal> ParseDecimal(std::string_view text) {
  const auto bad = [&] {
    return ValidationException("The parameter cannot be converted to a numeric value: " + std::string(text));
  };
  size_t i = 0;
  Decimal d;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  size_t fraction = 0;
  bool point = false, any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      d.digits += c;
      any = true;
      if (point) ++fraction;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return bad();
  int64_t exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return bad();
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      // An exponent beyond a 64-bit integer cannot be converted at all (numberExponent.test.ts).
      if (exp > (INT64_MAX - (text[i] - '0')) / 10) return bad();
      exp = exp * 10 + (text[i] - '0');
    }
    if (exp_negative) exp = -exp;
  }
  if (i != text.size()) return bad();
  // Far past the range either way: clamping keeps the overflow/underflow verdict and the arithmetic safe.
  exp = std::clamp<int64_t>(exp, -(int64_t{1} << 40), int64_t{1} << 40);
  d.exponent = exp - static_cast<int64_t>(fraction);
  const int64_t zero_adjusted = d.exponent;
  return Finish(std::move(d), zero_adjusted);
}

std::string FormatDecimal(const Decimal& d) {
  if (d.IsZero()) return "0";
  std::string out = d.negative ? "-" : "";
  if (d.exponent >= 0) {
    out += d.digits;
    out.append(static_cast<size_t>(d.exponent), '0');
    return out;
  }
  const int64_t point = static_cast<int64_t>(d.digits.size()) + d.exponent;
  if (point > 0) {
    out += d.digits.substr(0, static_cast<size_t>(point));
    out += '.';
    out += d.digits.substr(static_cast<size_t>(point));
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += d.digits;
  }
  return out;
}

// Compares magnitudes.
int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.IsZero() || b.IsZero()) return a.IsZero() == b.IsZero() ? 0 : (a.IsZero() ? -1 : 1);
  if (a.Adjusted() != b.Adjusted()) return a.Adjusted() < b.Adjusted() ? -1 : 1;
  const int c = a.digits.compare(b.digits);  // same leading position: digit strings compare as numbers
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  const bool an = a.negative && !a.IsZero(), bn = b.negative && !b.IsZero();
  if (an != bn) return an ? -1 : 1;
  const int m = CompareMagnitude(a, b);
  return an ? -m : m;
}

// The digits of `d` as an integer scaled to 10^exponent (exponent <= d.exponent).
std::string Scaled(const Decimal& d, int64_t exponent) {
  return d.digits + std::string(static_cast<size_t>(d.exponent - exponent), '0');
}

// a + b for non-negative decimal integers as digit strings.
std::string AddDigits(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int s = carry;
    if (i < a.size()) s += a[a.size() - 1 - i] - '0';
    if (i < b.size()) s += b[b.size() - 1 - i] - '0';
    out += static_cast<char>('0' + s % 10);
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for decimal integers with a >= b.
std::string SubtractDigits(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int s = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = s < 0 ? 1 : 0;
    out += static_cast<char>('0' + (s + 10) % 10);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::string> Sum(std::string_view a_text, std::string_view b_text, bool subtract) {
  auto a = ParseDecimal(a_text);
  if (!a.ok()) return a.error();
  auto b = ParseDecimal(b_text);
  if (!b.ok()) return b.error();
  if (subtract) b->negative = !b->negative;
  if (a->IsZero()) return FormatDecimal(*b);
  if (b->IsZero()) return FormatDecimal(*a);
  const int64_t exponent = std::min(a->exponent, b->exponent);
  std::string x = Scaled(*a, exponent), y = Scaled(*b, exponent);
  Decimal out;
  out.exponent = exponent;
  if (a->negative == b->negative) {
    out.negative = a->negative;
    out.digits = AddDigits(x, y);
  } else {
    const bool a_bigger = CompareMagnitude(*a, *b) >= 0;
    out.negative = a_bigger ? a->negative : b->negative;
    out.digits = a_bigger ? SubtractDigits(x, y) : SubtractDigits(y, x);
  }
  auto finished = Finish(std::move(out), 0);
  if (!finished.ok()) return finished.error();
  return FormatDecimal(*finished);
}

// ---- validation ----

std::string_view SetNoun(std::string_view type) { return type == "SS" ? "string" : type == "NS" ? "number" : "binary"; }

// The bytes a B or BS member stands for; the text itself when it is not base64 (validation refuses it first).
std::string Bytes(std::string_view base64) { return protocol::Base64Decode(base64).value_or(std::string(base64)); }

Status CheckBase64(std::string_view text) {
  if (protocol::Base64Decode(text)) return Ok{};
  return Serialization("'" + std::string(text) + "' can not be converted to a Blob");
}

// DynamoDB lists a set with a duplicate in byte order up to the first repeat, then the repeat, then the rest as
// sent (valueLayers.test.ts).
template <typename Less>
std::optional<std::vector<std::string>> DuplicateListing(const std::vector<std::string>& members, Less less) {
  std::set<std::string, Less> seen(less);
  for (size_t i = 0; i < members.size(); ++i) {
    if (seen.insert(members[i]).second) continue;
    std::vector<std::string> listing(seen.begin(), seen.end());
    listing.insert(listing.end(), members.begin() + static_cast<std::ptrdiff_t>(i), members.end());
    return listing;
  }
  return std::nullopt;
}

Status NormalizeSet(std::string_view type, json::value& members_value) {
  if (!members_value.is_array()) return Serialization("Expected list or null");
  json::array& members = members_value.as_array();
  if (members.empty()) {
    return ValidationException(std::string(kInvalid) + "An " + std::string(SetNoun(type)) + " set  may not be empty");
  }
  std::vector<std::string> texts;
  for (json::value& m : members) {
    if (!m.is_string()) return Serialization("NUMBER_VALUE cannot be converted to String");
    if (type == "NS") {
      auto d = ParseDecimal(m.as_string());
      if (!d.ok()) return d.error();
      m = FormatDecimal(*d);
    } else if (type == "BS") {
      if (auto s = CheckBase64(m.as_string()); !s.ok()) return s;
    }
    texts.emplace_back(m.as_string());
  }
  if (type == "SS") {
    if (auto dup = DuplicateListing(texts, std::less<std::string>())) {
      std::string list;
      for (const std::string& s : *dup) list += (list.empty() ? "\"" : ", \"") + s + "\"";
      return ValidationException(std::string(kInvalid) + "Input collection [" + list + "] contains duplicates.");
    }
  } else if (type == "BS") {
    const auto by_bytes = [](const std::string& a, const std::string& b) { return Bytes(a) < Bytes(b); };
    if (auto dup = DuplicateListing(texts, by_bytes)) {
      std::string list;
      for (const std::string& s : *dup) list += (list.empty() ? "\"" : ",\"") + s + "\"";
      return ValidationException(std::string(kInvalid) + "Input collection [" + list +
                                 "]of type BS contains duplicates.");
    }
  } else {
    const auto by_value = [](const std::string& a, const std::string& b) { return CompareNumbers(a, b) < 0; };
    if (DuplicateListing(texts, by_value)) {
      return ValidationException(std::string(kInvalid) + "Input collection contains duplicates.");
    }
  }
  SortSet(type, members);
  return Ok{};
}

}  // namespace

// ---- helpers shared with the expression evaluator (expression_internal.h) ----

int CompareNumbers(std::string_view a, std::string_view b) {
  auto x = ParseDecimal(a), y = ParseDecimal(b);
  if (!x.ok() || !y.ok()) return a.compare(b) < 0 ? -1 : (a.compare(b) > 0 ? 1 : 0);
  return CompareDecimal(*x, *y);
}

std::string DecodedBytes(std::string_view base64) { return Bytes(base64); }

void SortSet(std::string_view type, json::array& members) {
  std::sort(members.begin(), members.end(), [&](const json::value& a, const json::value& b) {
    const std::string_view x = JsonString(a), y = JsonString(b);
    if (type == "NS") return CompareNumbers(x, y) < 0;
    if (type == "BS") return Bytes(x) < Bytes(y);
    return x < y;
  });
}

// ---- the public API ----

Status NormalizeValue(json::value& value) {
  if (!value.is_object()) return Serialization("Unexpected value type in payload");
  json::object& o = value.as_object();
  // Members the JSON decoder does not know, and nulls, are dropped before validation.
  for (auto it = o.begin(); it != o.end();) {
    const bool known = std::find(std::begin(kTypes), std::end(kTypes), it->key()) != std::end(kTypes);
    it = known && !it->value().is_null() ? std::next(it) : o.erase(it);
  }
  if (o.empty()) {
    return ValidationException("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (o.size() > 1) {
    return ValidationException(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  }
  const std::string type(o.begin()->key());
  json::value& v = o.begin()->value();
  if (type == "S") {
    if (!v.is_string()) return Serialization("NUMBER_VALUE cannot be converted to String");
  } else if (type == "N") {
    if (!v.is_string()) return Serialization("NUMBER_VALUE cannot be converted to String");
    auto d = ParseDecimal(v.as_string());
    if (!d.ok()) return d.error();
    v = FormatDecimal(*d);
  } else if (type == "B") {
    if (!v.is_string()) return Serialization("NUMBER_VALUE cannot be converted to Blob");
    return CheckBase64(v.as_string());
  } else if (type == "BOOL") {
    if (!v.is_bool()) return Serialization("NUMBER_VALUE cannot be converted to Boolean");
  } else if (type == "NULL") {
    if (!v.is_bool()) return Serialization("NUMBER_VALUE cannot be converted to Boolean");
    if (!v.as_bool()) {
      return ValidationException(std::string(kInvalid) + "Null attribute value types must have the value of true");
    }
  } else if (type == "SS" || type == "NS" || type == "BS") {
    return NormalizeSet(type, v);
  } else if (type == "L") {
    if (!v.is_array()) return Serialization("Expected list or null");
    for (json::value& e : v.as_array()) {
      if (auto s = NormalizeValue(e); !s.ok()) return s;
    }
  } else {  // M
    if (!v.is_object()) return Serialization("Expected map or null");
    for (auto& [k, e] : v.as_object()) {
      if (auto s = NormalizeValue(e); !s.ok()) return s;
    }
  }
  return Ok{};
}

Status NormalizeItem(Item& item) {
  for (auto& [name, value] : item) {
    if (auto s = NormalizeValue(value); !s.ok()) return s;
  }
  return Ok{};
}

std::string_view TypeOf(const json::value& value) {
  const json::object* o = value.if_object();
  if (!o || o->size() != 1) return "";
  for (std::string_view t : kTypes) {
    if (o->begin()->key() == t) return t;
  }
  return "";
}

bool ValuesEqual(const json::value& a, const json::value& b) {
  const std::string_view type = TypeOf(a);
  if (type.empty() || type != TypeOf(b)) return false;
  const json::value& x = a.as_object().begin()->value();
  const json::value& y = b.as_object().begin()->value();
  if (type == "N") return CompareNumbers(JsonString(x), JsonString(y)) == 0;
  if (type == "B") return Bytes(JsonString(x)) == Bytes(JsonString(y));
  if (type == "SS" || type == "NS" || type == "BS") {
    if (!x.is_array() || !y.is_array() || x.as_array().size() != y.as_array().size()) return false;
    // Both sorted, then member by member: n log n (looking each member up in the other set was n^2).
    json::array xs = x.as_array(), ys = y.as_array();
    SortSet(type, xs);
    SortSet(type, ys);
    const std::string_view element = type.substr(0, 1);
    for (size_t i = 0; i < xs.size(); ++i) {
      if (!ValuesEqual(json::value{{element, xs[i]}}, json::value{{element, ys[i]}})) return false;
    }
    return true;
  }
  if (type == "L") {
    if (!x.is_array() || !y.is_array() || x.as_array().size() != y.as_array().size()) return false;
    for (size_t i = 0; i < x.as_array().size(); ++i) {
      if (!ValuesEqual(x.as_array()[i], y.as_array()[i])) return false;
    }
    return true;
  }
  if (type == "M") {
    if (!x.is_object() || !y.is_object() || x.as_object().size() != y.as_object().size()) return false;
    for (const auto& [k, e] : x.as_object()) {
      const json::value* f = y.as_object().if_contains(k);
      if (!f || !ValuesEqual(e, *f)) return false;
    }
    return true;
  }
  return x == y;  // S, BOOL, NULL
}

std::optional<int> CompareValues(const json::value& a, const json::value& b) {
  const std::string_view type = TypeOf(a);
  if (type != TypeOf(b) || (type != "S" && type != "N" && type != "B")) return std::nullopt;
  const std::string_view x = JsonString(a.as_object().begin()->value());
  const std::string_view y = JsonString(b.as_object().begin()->value());
  if (type == "N") return CompareNumbers(x, y);
  const int c = type == "B" ? Bytes(x).compare(Bytes(y)) : x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string EncodeKeyValue(const json::value& value) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string_view type = TypeOf(value);
  if (type != "S" && type != "N" && type != "B") return "";
  const std::string_view text = JsonString(value.as_object().begin()->value());
  if (type == "S" || type == "B") {
    // Lowercase hex sorts as the bytes do; '.' sorts before every hex digit, so a prefix sorts first.
    const std::string bytes = type == "B" ? Bytes(text) : std::string(text);
    std::string out;
    out.reserve(bytes.size() * 2 + 1);
    for (unsigned char c : bytes) {
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    return out + '.';
  }
  // N: '1' for zero; '2' then the exponent (+130, three digits) then the digits and '.' for a positive number;
  // '0' then the complemented exponent and digits and '~' for a negative one, so larger magnitudes sort first.
  auto d = ParseDecimal(text);
  if (!d.ok() || d->IsZero()) return "1";
  const int64_t biased = d->Adjusted() - kMinExponent;  // 0..255
  std::string out;
  if (!d->negative) {
    out = "2" + std::string(1, static_cast<char>('0' + biased / 100)) + static_cast<char>('0' + biased / 10 % 10) +
          static_cast<char>('0' + biased % 10) + d->digits + '.';
  } else {
    const int64_t inverted = (kMaxExponent - kMinExponent) - biased;
    out = "0" + std::string(1, static_cast<char>('0' + inverted / 100)) + static_cast<char>('0' + inverted / 10 % 10) +
          static_cast<char>('0' + inverted % 10);
    for (char c : d->digits) out += static_cast<char>('9' - (c - '0'));
    out += '~';
  }
  return out;
}

namespace {

// A number costs one byte, one more per base-100 digit between its first and last non-zero pair of digits
// (pairs aligned on the decimal point), and one more when negative: "3.14159" costs 5 bytes, "123456" 4,
// "1E125" 2 (numberByteSize.test.ts, measured against AWS).
size_t NumberSize(std::string_view text) {
  auto d = ParseDecimal(text);
  if (!d.ok() || d->IsZero()) return 1;
  // Pair index of a digit at power p is floor(p / 2).
  const auto pair = [](int64_t p) { return p >= 0 ? p / 2 : -((-p + 1) / 2); };
  const int64_t high = pair(d->Adjusted()), low = pair(d->exponent);
  return 1 + static_cast<size_t>(high - low + 1) + (d->negative ? 1 : 0);
}

size_t ValueSize(const json::value& value) {
  const std::string_view type = TypeOf(value);
  if (type.empty()) return 0;
  const json::value& v = value.as_object().begin()->value();
  if (type == "S") return JsonString(v).size();
  if (type == "N") return NumberSize(JsonString(v));
  if (type == "B") return Bytes(JsonString(v)).size();
  if (type == "BOOL" || type == "NULL") return 1;
  size_t size = 0;
  if (type == "SS" || type == "NS" || type == "BS") {
    for (const json::value& e : v.as_array()) {
      const std::string_view t = JsonString(e);
      size += type == "SS" ? t.size() : type == "NS" ? NumberSize(t) : Bytes(t).size();
    }
    return size;
  }
  // A list or map costs 3 bytes, and each element 1 byte more than its value (and its name, in a map).
  size = 3;
  if (type == "L") {
    for (const json::value& e : v.as_array()) size += 1 + ValueSize(e);
  } else {
    for (const auto& [k, e] : v.as_object()) size += 1 + k.size() + ValueSize(e);
  }
  return size;
}

}  // namespace

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + ValueSize(value);
  return size;
}

Result<std::string> AddNumbers(std::string_view a, std::string_view b) { return Sum(a, b, false); }
Result<std::string> SubtractNumbers(std::string_view a, std::string_view b) { return Sum(a, b, true); }

}  // namespace xacct::services::dynamodb
