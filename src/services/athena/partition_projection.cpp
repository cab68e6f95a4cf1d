#include "services/athena/partition_projection.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <set>

#include "sql/tokenizer.h"

namespace xacct::services::athena {
namespace {

AwsError InvalidProperty(const std::string& message) {
  return AwsError::Client("INVALID_TABLE_PROPERTY", "INVALID_TABLE_PROPERTY: " + message);
}

std::string Lower(std::string_view s) { return sql::ToLower(s); }

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = s.find(',', start);
    out.push_back(Trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
  return v;
}

std::string RegexEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::strchr(".^$|()[]{}*+?\\", c) != nullptr) out += '\\';
    out += c;
  }
  return out;
}

// --- Dates (UTC), as Java's DateTimeFormatter patterns name their fields ---------------------------------

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

Civil CivilFromSeconds(int64_t t) {
  int64_t days = t / 86400;
  int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Civil c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  return c;
}

int64_t SecondsOf(const Civil& c) {
  return DaysFromCivil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)) * 86400 + c.hour * 3600 +
         c.minute * 60 + c.second;
}

int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t AddMonths(int64_t t, int64_t months) {
  Civil c = CivilFromSeconds(t);
  int64_t total = c.year * 12 + (c.month - 1) + months;
  c.year = total >= 0 ? total / 12 : (total - 11) / 12;
  c.month = static_cast<int>(total - c.year * 12) + 1;
  c.day = std::min(c.day, DaysInMonth(c.year, c.month));
  return SecondsOf(c);
}

// One field or literal of a date pattern.
struct Field {
  char letter = 0;  // 0: literal
  int width = 0;
  std::string literal;
};

Result<std::vector<Field>> PatternOf(std::string_view format) {
  std::vector<Field> out;
  for (size_t i = 0; i < format.size();) {
    const char c = format[i];
    if (c == '\'') {
      const size_t close = format.find('\'', i + 1);
      if (close == std::string_view::npos)
        return InvalidProperty("Unterminated quote in date format '" + std::string(format) + "'");
      out.push_back(Field{0, 0, close == i + 1 ? "'" : std::string(format.substr(i + 1, close - i - 1))});
      i = close + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      size_t j = i;
      while (j < format.size() && format[j] == c) ++j;
      if (std::string_view("yuMdHms").find(c) == std::string_view::npos) {
        return InvalidProperty("Unsupported date format pattern letter '" + std::string(1, c) + "' in '" +
                               std::string(format) + "'");
      }
      out.push_back(Field{c == 'u' ? 'y' : c, static_cast<int>(j - i), {}});
      i = j;
    } else {
      out.push_back(Field{0, 0, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

std::string DateRegex(const std::vector<Field>& pattern) {
  std::string out;
  for (const auto& f : pattern) {
    if (f.letter == 0) {
      out += RegexEscape(f.literal);
    } else if (f.letter == 'y') {
      out += f.width == 2 ? "\\d{2}" : "\\d{4}";
    } else {
      out += f.width == 1 ? "\\d{1,2}" : "\\d{" + std::to_string(f.width) + "}";
    }
  }
  return out;
}

std::optional<int64_t> ParseDate(const std::vector<Field>& pattern, std::string_view s) {
  Civil c;
  size_t at = 0;
  for (const auto& f : pattern) {
    if (f.letter == 0) {
      if (s.substr(at, f.literal.size()) != f.literal) return std::nullopt;
      at += f.literal.size();
      continue;
    }
    size_t n = 0;
    const size_t max = f.letter == 'y' ? (f.width == 2 ? 2 : 4) : (f.width == 1 ? 2 : static_cast<size_t>(f.width));
    while (at + n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[at + n])) != 0) ++n;
    if (n == 0 || (f.width > 1 && n != max)) return std::nullopt;
    const auto v = ParseInt(s.substr(at, n));
    if (!v) return std::nullopt;
    at += n;
    switch (f.letter) {
      case 'y':
        c.year = f.width == 2 ? 2000 + *v : *v;
        break;
      case 'M':
        c.month = static_cast<int>(*v);
        break;
      case 'd':
        c.day = static_cast<int>(*v);
        break;
      case 'H':
        c.hour = static_cast<int>(*v);
        break;
      case 'm':
        c.minute = static_cast<int>(*v);
        break;
      default:
        c.second = static_cast<int>(*v);
        break;
    }
  }
  if (at != s.size() || c.month < 1 || c.month > 12 || c.day < 1 || c.day > DaysInMonth(c.year, c.month) ||
      c.hour > 23 || c.minute > 59 || c.second > 59) {
    return std::nullopt;
  }
  return SecondsOf(c);
}

int64_t UnitSeconds(std::string_view unit) {
  if (unit == "WEEKS") return 7 * 86400;
  if (unit == "DAYS") return 86400;
  if (unit == "HOURS") return 3600;
  if (unit == "MINUTES") return 60;
  if (unit == "SECONDS") return 1;
  return 0;  // MONTHS, YEARS: calendar arithmetic
}

// The finest field of a pattern, as Athena's default interval unit.
std::string FinestUnit(const std::vector<Field>& pattern) {
  static const std::pair<char, const char*> kUnits[] = {{'s', "SECONDS"}, {'m', "MINUTES"}, {'H', "HOURS"},
                                                        {'d', "DAYS"},    {'M', "MONTHS"},  {'y', "YEARS"}};
  for (const auto& [letter, unit] : kUnits) {
    for (const auto& f : pattern) {
      if (f.letter == letter) return unit;
    }
  }
  return "DAYS";
}

// A moment moved to the start of its `unit` (a NOW-relative bound lines up with the partitions it bounds).
int64_t Truncate(int64_t t, std::string_view unit) {
  Civil c = CivilFromSeconds(t);
  if (unit == "SECONDS") return t;
  c.second = 0;
  if (unit != "MINUTES") c.minute = 0;
  if (unit != "MINUTES" && unit != "HOURS") c.hour = 0;
  if (unit == "MONTHS" || unit == "YEARS") c.day = 1;
  if (unit == "YEARS") c.month = 1;
  return SecondsOf(c);
}

// A date range bound: a date in the column's format, or NOW[+-N UNIT(S)].
Result<int64_t> DateBound(const std::vector<Field>& pattern, const std::string& text, std::string_view unit,
                          int64_t now, const std::string& column) {
  if (auto v = ParseDate(pattern, text)) return *v;
  static const std::regex kRelative(R"(^\s*NOW\s*(?:([+-])\s*(\d+)\s*(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)?\s*$)",
                                    std::regex::icase);
  std::smatch m;
  if (!std::regex_match(text, m, kRelative)) {
    return InvalidProperty("Invalid date range '" + text + "' for column '" + column + "'");
  }
  int64_t t = now;
  if (m[1].matched) {
    const int64_t n = std::stoll(m[2].str()) * (m[1].str() == "-" ? -1 : 1);
    const std::string u = sql::ToUpper(m[3].str()) + "S";
    t = u == "MONTHS" ? AddMonths(t, n) : u == "YEARS" ? AddMonths(t, 12 * n) : t + n * UnitSeconds(u);
  }
  return Truncate(t, unit);
}

Result<ColumnProjection> ColumnOf(const json::object& params, const std::string& name, int64_t now) {
  const std::string prefix = "projection." + name + ".";
  auto prop = [&](const std::string& key) { return Trim(StringField(params, prefix + key)); };
  ColumnProjection c;
  c.name = name;
  const std::string type = Lower(prop("type"));
  if (type == "enum") {
    c.type = ColumnProjection::Type::kEnum;
    if (prop("values").empty())
      return InvalidProperty("Column '" + name + "' is missing 'projection." + name + ".values'");
    c.values = SplitComma(prop("values"));
  } else if (type == "integer") {
    c.type = ColumnProjection::Type::kInteger;
    const auto range = SplitComma(prop("range"));
    const auto low = range.size() == 2 ? ParseInt(range[0]) : std::nullopt;
    const auto high = range.size() == 2 ? ParseInt(range[1]) : std::nullopt;
    if (!low || !high)
      return InvalidProperty("Invalid integer range '" + prop("range") + "' for column '" + name + "'");
    c.low = *low;
    c.high = *high;
    if (const std::string i = prop("interval"); !i.empty()) {
      const auto v = ParseInt(i);
      if (!v || *v <= 0) return InvalidProperty("Invalid interval '" + i + "' for column '" + name + "'");
      c.interval = *v;
    }
    if (const std::string d = prop("digits"); !d.empty()) {
      const auto v = ParseInt(d);
      if (!v || *v < 1) return InvalidProperty("Invalid digits '" + d + "' for column '" + name + "'");
      c.digits = static_cast<int>(*v);
    }
  } else if (type == "date") {
    c.type = ColumnProjection::Type::kDate;
    c.format = prop("format");
    if (c.format.empty()) return InvalidProperty("Column '" + name + "' is missing 'projection." + name + ".format'");
    auto pattern = PatternOf(c.format);
    if (!pattern) return pattern.error();
    c.unit = sql::ToUpper(prop("interval.unit"));
    if (c.unit.empty()) c.unit = FinestUnit(*pattern);
    if (UnitSeconds(c.unit) == 0 && c.unit != "MONTHS" && c.unit != "YEARS") {
      return InvalidProperty("Invalid interval unit '" + c.unit + "' for column '" + name + "'");
    }
    if (const std::string i = prop("interval"); !i.empty()) {
      const auto v = ParseInt(i);
      if (!v || *v <= 0) return InvalidProperty("Invalid interval '" + i + "' for column '" + name + "'");
      c.interval = *v;
    }
    const auto range = SplitComma(prop("range"));
    if (range.size() != 2)
      return InvalidProperty("Invalid date range '" + prop("range") + "' for column '" + name + "'");
    auto low = DateBound(*pattern, range[0], c.unit, now, name);
    if (!low) return low.error();
    auto high = DateBound(*pattern, range[1], c.unit, now, name);
    if (!high) return high.error();
    c.low = *low;
    c.high = *high;
  } else if (type == "injected") {
    c.type = ColumnProjection::Type::kInjected;
  } else {
    return InvalidProperty("Unsupported projection type '" + prop("type") + "' for column '" + name + "'");
  }
  return c;
}

std::string PlaceholderRegex(const ColumnProjection& c) {
  switch (c.type) {
    case ColumnProjection::Type::kEnum: {
      std::string out = "(";
      for (size_t i = 0; i < c.values.size(); ++i) out += (i ? "|" : "") + RegexEscape(c.values[i]);
      return out + ")";
    }
    case ColumnProjection::Type::kInteger:
      return "(-?\\d+)";
    case ColumnProjection::Type::kDate:
      return "(" + DateRegex(*PatternOf(c.format)) + ")";
    case ColumnProjection::Type::kInjected:
      return "([^/]+)";
  }
  return "([^/]+)";
}

}  // namespace

Result<std::optional<Projection>> Projection::Of(const json::object& table, int64_t now) {
  const auto* params_value = table.if_contains("Parameters");
  if (params_value == nullptr || !params_value->is_object()) return std::optional<Projection>();
  const auto& params = params_value->as_object();
  if (Lower(Trim(StringField(params, "projection.enabled"))) != "true") return std::optional<Projection>();
  Projection p;
  std::vector<std::string> missing;
  if (const auto* keys = table.if_contains("PartitionKeys"); keys != nullptr && keys->is_array()) {
    for (const auto& k : keys->as_array()) {
      const std::string name = Lower(StringField(k.as_object(), "Name"));
      if (StringField(params, "projection." + name + ".type").empty()) {
        missing.push_back(name);
        continue;
      }
      auto column = ColumnOf(params, name, now);
      if (!column) return column.error();
      p.columns_.push_back(std::move(*column));
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return InvalidProperty("Table " + StringField(table, "DatabaseName") + "." + StringField(table, "Name") +
                           " is configured for partition projection, but the following partition columns are "
                           "missing projection configuration: [" +
                           list + "]");
  }
  std::string tmpl = Trim(StringField(params, "storage.location.template"));
  if (tmpl.empty()) {
    const auto* sd = table.if_contains("StorageDescriptor");
    tmpl = sd != nullptr && sd->is_object() ? StringField(sd->as_object(), "Location") : "";
    if (!tmpl.empty() && tmpl.back() != '/') tmpl += '/';
    for (const auto& c : p.columns_) tmpl += c.name + "=${" + c.name + "}/";
  }
  if (!tmpl.empty() && tmpl.back() != '/') tmpl += '/';
  p.template_ = tmpl;
  // The matcher: the template's text with each ${column} replaced by what that column's values look like.
  std::string pattern = "^";
  std::set<int> seen;
  for (size_t at = 0; at < tmpl.size();) {
    const size_t open = tmpl.find("${", at);
    const size_t close = open == std::string::npos ? std::string::npos : tmpl.find('}', open);
    if (close == std::string::npos) {
      pattern += RegexEscape(std::string_view(tmpl).substr(at));
      break;
    }
    pattern += RegexEscape(std::string_view(tmpl).substr(at, open - at));
    const std::string name = Lower(tmpl.substr(open + 2, close - open - 2));
    int index = -1;
    for (size_t i = 0; i < p.columns_.size(); ++i) {
      if (p.columns_[i].name == name) index = static_cast<int>(i);
    }
    if (index < 0) {
      return InvalidProperty("The 'storage.location.template' table property names '" + name +
                             "', which is not a partition column");
    }
    seen.insert(index);
    p.order_.push_back(index);
    pattern += PlaceholderRegex(p.columns_[static_cast<size_t>(index)]);
    at = close + 1;
  }
  if (seen.size() != p.columns_.size()) {
    return InvalidProperty(
        "The 'storage.location.template' table property must contain templates for all "
        "partition columns!");
  }
  p.matcher_ = std::regex(pattern + ".+$");
  return std::optional<Projection>(std::move(p));
}

std::string Projection::ListPrefix() const {
  const size_t open = template_.find("${");
  return open == std::string::npos ? template_ : template_.substr(0, open);
}

std::optional<std::vector<std::string>> Projection::ValuesOf(std::string_view uri) const {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(uri.begin(), uri.end(), m, matcher_)) return std::nullopt;
  std::vector<std::optional<std::string>> values(columns_.size());
  for (size_t i = 0; i < order_.size(); ++i) {
    const auto idx = static_cast<size_t>(order_[i]);
    std::string v = m[static_cast<int>(i) + 1].str();
    if (values[idx] && *values[idx] != v) return std::nullopt;  // a column placed twice must agree
    if (!InProjection(columns_[idx], v)) return std::nullopt;
    values[idx] = std::move(v);
  }
  std::vector<std::string> out;
  for (auto& v : values) out.push_back(std::move(*v));
  return out;
}

bool InProjection(const ColumnProjection& c, std::string_view value) {
  switch (c.type) {
    case ColumnProjection::Type::kEnum:
      return std::find(c.values.begin(), c.values.end(), value) != c.values.end();
    case ColumnProjection::Type::kInteger: {
      const auto v = ParseInt(value);
      if (!v || *v < c.low || *v > c.high || (*v - c.low) % c.interval != 0) return false;
      // The value must be spelled as Athena projects it: zero-padded to `digits`, else without leading zeros.
      std::string spelled = std::to_string(*v < 0 ? -*v : *v);
      if (static_cast<int>(spelled.size()) < c.digits)
        spelled.insert(0, static_cast<size_t>(c.digits) - spelled.size(), '0');
      if (*v < 0) spelled.insert(0, "-");
      return spelled == value;
    }
    case ColumnProjection::Type::kDate: {
      auto pattern = PatternOf(c.format);
      if (!pattern) return false;
      const auto v = ParseDate(*pattern, value);
      if (!v || *v < c.low || *v > c.high) return false;
      if (c.unit == "MONTHS" || c.unit == "YEARS") {
        const Civil a = CivilFromSeconds(c.low), b = CivilFromSeconds(*v);
        const int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
        const int64_t step = c.interval * (c.unit == "YEARS" ? 12 : 1);
        return months % step == 0 && AddMonths(c.low, months) == *v;
      }
      return (*v - c.low) % (c.interval * UnitSeconds(c.unit)) == 0;
    }
    case ColumnProjection::Type::kInjected:
      return true;
  }
  return false;
}

std::vector<std::string> InjectedValues(std::string_view query, std::string_view column) {
  const auto tokens = sql::Tokenize(query, sql::Dialect::kTrino);
  const std::string want = Lower(column);
  auto is_column = [&](const sql::Token& t) {
    return (t.kind == sql::TokenKind::kWord || t.kind == sql::TokenKind::kDoubleQuoted) && Lower(t.value) == want;
  };
  auto is_literal = [](const sql::Token& t) {
    return t.kind == sql::TokenKind::kString || t.kind == sql::TokenKind::kNumber;
  };
  std::vector<std::string> out;
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    const auto& a = tokens[i];
    const auto& op = tokens[i + 1];
    const auto& b = tokens[i + 2];
    if (is_column(a) && op.text == "=" && is_literal(b)) out.push_back(b.value);
    if (is_literal(a) && op.text == "=" && is_column(b)) out.push_back(a.value);
    if (is_column(a) && op.kind == sql::TokenKind::kWord && Lower(op.text) == "in" && b.text == "(") {
      for (size_t k = i + 3; k < tokens.size() && is_literal(tokens[k]); k += 2) {
        out.push_back(tokens[k].value);
        if (tokens[k + 1].text != ",") break;
      }
    }
  }
  return out;
}

}  // namespace xacct::services::athena
