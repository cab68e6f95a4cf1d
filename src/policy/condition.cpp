#include "policy/condition.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "common/arn.h"

namespace xacct::policy {

namespace {

struct OperatorName {
  std::string_view name;
  OperatorFamily family;
  Comparison comparison;
  bool negated;
  bool ignore_case;
};

constexpr OperatorName kOperators[] = {
    {"StringEquals", OperatorFamily::kString, Comparison::kEquals, false, false},
    {"StringNotEquals", OperatorFamily::kString, Comparison::kEquals, true, false},
    {"StringEqualsIgnoreCase", OperatorFamily::kString, Comparison::kEquals, false, true},
    {"StringNotEqualsIgnoreCase", OperatorFamily::kString, Comparison::kEquals, true, true},
    {"StringLike", OperatorFamily::kString, Comparison::kLike, false, false},
    {"StringNotLike", OperatorFamily::kString, Comparison::kLike, true, false},
    {"NumericEquals", OperatorFamily::kNumeric, Comparison::kEquals, false, false},
    {"NumericNotEquals", OperatorFamily::kNumeric, Comparison::kEquals, true, false},
    {"NumericLessThan", OperatorFamily::kNumeric, Comparison::kLess, false, false},
    {"NumericLessThanEquals", OperatorFamily::kNumeric, Comparison::kLessEquals, false, false},
    {"NumericGreaterThan", OperatorFamily::kNumeric, Comparison::kGreater, false, false},
    {"NumericGreaterThanEquals", OperatorFamily::kNumeric, Comparison::kGreaterEquals, false, false},
    {"DateEquals", OperatorFamily::kDate, Comparison::kEquals, false, false},
    {"DateNotEquals", OperatorFamily::kDate, Comparison::kEquals, true, false},
    {"DateLessThan", OperatorFamily::kDate, Comparison::kLess, false, false},
    {"DateLessThanEquals", OperatorFamily::kDate, Comparison::kLessEquals, false, false},
    {"DateGreaterThan", OperatorFamily::kDate, Comparison::kGreater, false, false},
    {"DateGreaterThanEquals", OperatorFamily::kDate, Comparison::kGreaterEquals, false, false},
    {"Bool", OperatorFamily::kBool, Comparison::kEquals, false, false},
    {"BinaryEquals", OperatorFamily::kBinary, Comparison::kEquals, false, false},
    {"IpAddress", OperatorFamily::kIp, Comparison::kEquals, false, false},
    {"NotIpAddress", OperatorFamily::kIp, Comparison::kEquals, true, false},
    {"ArnEquals", OperatorFamily::kArn, Comparison::kLike, false, false},
    {"ArnLike", OperatorFamily::kArn, Comparison::kLike, false, false},
    {"ArnNotEquals", OperatorFamily::kArn, Comparison::kLike, true, false},
    {"ArnNotLike", OperatorFamily::kArn, Comparison::kLike, true, false},
    {"Null", OperatorFamily::kNull, Comparison::kEquals, false, false},
};

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->size() < prefix.size() || !EqualsIgnoreCase(s->substr(0, prefix.size()), prefix)) return false;
  s->remove_prefix(prefix.size());
  return true;
}

std::optional<double> ParseNumber(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool ReadDigits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Compare(double a, double b, Comparison c) {
  switch (c) {
    case Comparison::kEquals:
    case Comparison::kLike:
      return a == b;
    case Comparison::kLess:
      return a < b;
    case Comparison::kLessEquals:
      return a <= b;
    case Comparison::kGreater:
      return a > b;
    case Comparison::kGreaterEquals:
      return a >= b;
  }
  return false;
}

}  // namespace

std::optional<Operator> Operator::Parse(std::string_view name) {
  Operator op;
  if (ConsumePrefix(&name, "ForAnyValue:")) {
    op.qualifier = SetQualifier::kForAnyValue;
  } else if (ConsumePrefix(&name, "ForAllValues:")) {
    op.qualifier = SetQualifier::kForAllValues;
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (name.size() > kIfExists.size() && EqualsIgnoreCase(name.substr(name.size() - kIfExists.size()), kIfExists)) {
    op.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  for (const auto& o : kOperators) {
    if (!EqualsIgnoreCase(o.name, name)) continue;
    if (o.family == OperatorFamily::kNull && op.if_exists) return std::nullopt;
    op.family = o.family;
    op.comparison = o.comparison;
    op.negated = o.negated;
    op.ignore_case = o.ignore_case;
    return op;
  }
  return std::nullopt;
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
  IpNetwork net;
  std::string_view address = text;
  int prefix = -1;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    const std::string_view bits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size()) return std::nullopt;
  }
  char buf[64];
  if (address.empty() || address.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, address.data(), address.size());
  buf[address.size()] = '\0';
  net.v6 = address.find(':') != std::string_view::npos;
  if (inet_pton(net.v6 ? AF_INET6 : AF_INET, buf, net.bytes.data()) != 1) return std::nullopt;
  const int max = net.v6 ? 128 : 32;
  if (prefix < 0) prefix = max;
  if (prefix > max) return std::nullopt;
  net.prefix = static_cast<uint8_t>(prefix);
  return net;
}

bool IpNetwork::Contains(const IpNetwork& address) const {
  if (v6 != address.v6) return false;
  const int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (bytes[i] != address.bytes[i]) return false;
  }
  if (const int rest = prefix % 8; rest != 0) {
    const auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
    if ((bytes[full] & mask) != (address.bytes[full] & mask)) return false;
  }
  return true;
}

std::optional<double> ParseIamDate(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.find('-') == std::string_view::npos || s.front() == '-') return ParseNumber(s);  // epoch seconds
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  double fraction = 0;
  int offset_seconds = 0;
  size_t i = 10;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    if (!ReadDigits(s, i + 1, 2, &h) || i + 3 >= s.size() || s[i + 3] != ':' || !ReadDigits(s, i + 4, 2, &mi)) {
      return std::nullopt;
    }
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!ReadDigits(s, i + 1, 2, &sec)) return std::nullopt;
      i += 3;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        double scale = 0.1;
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          fraction += (s[i] - '0') * scale;
          scale /= 10;
          ++i;
        }
      }
    }
    if (h > 24 || mi > 59 || sec > 60) return std::nullopt;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      const int sign = s[i] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!ReadDigits(s, i + 1, 2, &oh)) return std::nullopt;
      i += 3;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !ReadDigits(s, i, 2, &om)) return std::nullopt;
      if (i < s.size()) i += 2;
      offset_seconds = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != s.size()) return std::nullopt;
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t seconds = int64_t{h} * 3600 + int64_t{mi} * 60 + sec - offset_seconds;
  return static_cast<double>(days * 86400 + seconds) + fraction;
}

Condition Condition::Make(std::string_view operator_name, Operator op, std::string_view key,
                          const std::vector<std::string>& values, bool variables) {
  Condition c;
  c.operator_name = std::string(operator_name);
  c.key = std::string(key);
  c.key_lower = AsciiLower(key);
  c.op = op;
  for (const auto& text : values) {
    ConditionValue v;
    v.text = text;
    switch (op.family) {
      case OperatorFamily::kString:
        v.pattern = Pattern::Compile(text, {.wildcards = op.comparison == Comparison::kLike, .variables = variables});
        break;
      case OperatorFamily::kBool:
      case OperatorFamily::kBinary:
      case OperatorFamily::kNull:
        v.pattern = Pattern::Compile(text, {.wildcards = false, .variables = false});
        break;
      case OperatorFamily::kNumeric: {
        const auto n = ParseNumber(text);
        v.valid = n.has_value();
        v.number = n.value_or(0);
        break;
      }
      case OperatorFamily::kDate: {
        const auto n = ParseIamDate(text);
        v.valid = n.has_value();
        v.number = n.value_or(0);
        break;
      }
      case OperatorFamily::kIp: {
        const auto net = IpNetwork::Parse(text);
        v.valid = net.has_value();
        if (net) v.network = *net;
        break;
      }
      case OperatorFamily::kArn: {
        const Pattern::Options options{.wildcards = true, .variables = variables};
        if (const auto arn = ArnView::Parse(text)) {
          const std::string_view parts[6] = {"arn",       arn->partition, arn->service,
                                             arn->region, arn->account,   arn->resource};
          for (int i = 0; i < 6; ++i) v.arn[i] = Pattern::Compile(parts[i], options);
          v.arn_split = true;
        } else {
          v.pattern = Pattern::Compile(text, options);
        }
        break;
      }
    }
    c.values.push_back(std::move(v));
  }
  return c;
}

bool Condition::MatchOne(std::string_view cv, const ConditionValue& v, const Context& context) const {
  if (!v.valid) return false;
  switch (op.family) {
    case OperatorFamily::kString:
      return v.pattern.Match(cv, &context, op.ignore_case);
    case OperatorFamily::kBool:
      return v.pattern.Match(cv, nullptr, /*ignore_case=*/true);
    case OperatorFamily::kBinary:
      return v.pattern.Match(cv, nullptr);
    case OperatorFamily::kNumeric: {
      const auto n = ParseNumber(cv);
      return n && Compare(*n, v.number, op.comparison);
    }
    case OperatorFamily::kDate: {
      const auto n = ParseIamDate(cv);
      return n && Compare(*n, v.number, op.comparison);
    }
    case OperatorFamily::kIp: {
      const auto address = IpNetwork::Parse(cv);
      return address && v.network.Contains(*address);
    }
    case OperatorFamily::kArn: {
      // A value that is not a six-part ARN matches only as "*": ARN parts are never merged.
      if (!v.arn_split) return v.pattern.IsAny();
      const auto arn = ArnView::Parse(cv);
      if (!arn) return false;
      const std::string_view parts[6] = {"arn", arn->partition, arn->service, arn->region, arn->account, arn->resource};
      for (int i = 0; i < 6; ++i) {
        if (!v.arn[i].Match(parts[i], &context)) return false;
      }
      return true;
    }
    case OperatorFamily::kNull:
      return false;  // handled in Evaluate
  }
  return false;
}

bool Condition::AnyValueMatches(std::string_view cv, const Context& context) const {
  for (const auto& v : values) {
    if (MatchOne(cv, v, context)) return true;
  }
  return false;
}

bool Condition::Evaluate(const Context& context) const {
  const Context::Entry* entry = context.Find(key_lower);
  const bool absent = entry == nullptr || entry->values.empty();
  if (op.family == OperatorFamily::kNull) {
    for (const auto& v : values) {
      if (EqualsIgnoreCase(v.text, "true") && absent) return true;
      if (EqualsIgnoreCase(v.text, "false") && !absent) return true;
    }
    return false;
  }
  if (absent) {
    if (op.if_exists) return true;
    switch (op.qualifier) {
      case SetQualifier::kForAllValues:
        return true;
      case SetQualifier::kForAnyValue:
        return false;
      case SetQualifier::kNone:
        return op.negated;
    }
  }
  // A value "satisfies" the operator: for a negated operator, it matches none of the policy values.
  auto satisfies = [&](const std::string& cv) { return AnyValueMatches(cv, context) != op.negated; };
  switch (op.qualifier) {
    case SetQualifier::kForAnyValue:
      for (const auto& cv : entry->values) {
        if (satisfies(cv)) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const auto& cv : entry->values) {
        if (!satisfies(cv)) return false;
      }
      return true;
    case SetQualifier::kNone:
      for (const auto& cv : entry->values) {
        if (AnyValueMatches(cv, context)) return !op.negated;
      }
      return op.negated;
  }
  return false;
}

}  // namespace xacct::policy
