// Trino function calls rewritten for DuckDB 1.4 (see trino_functions.h). Each rule cites the page of the Trino
// documentation it follows (https://trino.io/docs/current/functions/<page>.html); DuckDB's side was checked
// against DuckDB 1.4.4 itself (tests/sql/functions/*.test).
#include "sql/trino_functions.h"

#include <optional>
#include <utility>

#include "sql/engine.h"
#include "sql/tokenizer.h"

namespace xacct::sql {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

//! One argument of a call: its translated text, and its value when it is a single string literal.
struct Arg {
  std::string text;
  std::optional<std::string> literal;
};
using Args = std::vector<Arg>;
using Handler = Result<std::string> (*)(std::string_view name, const Args& args);

AwsError Unsupported(std::string_view name, std::string_view why) {
  return AwsError::Client("InvalidRequestException",
                          "xacct cannot run " + std::string(name) + "() on its engine: " + std::string(why));
}

Result<std::string> LiteralArg(std::string_view name, const Args& args, size_t i, std::string_view what) {
  if (!args[i].literal) return Unsupported(name, std::string(what) + " must be a string literal");
  return *args[i].literal;
}

// MySQL specifiers (Trino "Date and time functions", section "MySQL date functions") as strftime/strptime
// specifiers. Trino does not support %D %U %u %V %w %X; %v and %x have no strptime equivalent either.
const char* MySqlSpecifier(char c) {
  switch (c) {
    case 'a':
      return "%a";
    case 'b':
      return "%b";
    case 'c':
      return "%-m";
    case 'd':
      return "%d";
    case 'e':
      return "%-d";
    case 'f':
      return "%f";
    case 'H':
      return "%H";
    case 'h':
    case 'I':
      return "%I";
    case 'i':
      return "%M";
    case 'j':
      return "%j";
    case 'k':
      return "%-H";
    case 'l':
      return "%-I";
    case 'M':
      return "%B";
    case 'm':
      return "%m";
    case 'p':
      return "%p";
    case 'r':
      return "%I:%M:%S %p";
    case 'S':
    case 's':
      return "%S";
    case 'T':
      return "%H:%M:%S";
    case 'W':
      return "%A";
    case 'Y':
      return "%Y";
    case 'y':
      return "%y";
    case '%':
      return "%%";
    default:
      return nullptr;
  }
}

Result<std::string> MySqlToStrftime(std::string_view name, std::string_view format) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 == format.size()) return Unsupported(name, "the format ends with a lone %");
    const char c = format[++i];
    if (const char* s = MySqlSpecifier(c)) {
      out += s;
    } else if (std::string_view("DUuVvwXx").find(c) != std::string_view::npos) {
      return Unsupported(name, std::string("format specifier %") + c + " is not supported");
    } else {
      out += c;  // MySQL: "%x" is x for any x not listed
    }
  }
  return out;
}

// Joda-Time pattern letters (Trino "Date and time functions", section "Java date functions", format_datetime:
// "uses the format specified by JodaTime's DateTimeFormat") as strftime specifiers, by letter and run length.
const char* JodaSpecifier(char letter, size_t run) {
  switch (letter) {
    case 'y':
    case 'Y':
      return run == 2 ? "%y" : "%Y";
    case 'M':
      return run == 1 ? "%-m" : run == 2 ? "%m" : run == 3 ? "%b" : "%B";
    case 'd':
      return run == 1 ? "%-d" : run == 2 ? "%d" : nullptr;
    case 'H':
      return run == 1 ? "%-H" : run == 2 ? "%H" : nullptr;
    case 'h':
      return run == 1 ? "%-I" : run == 2 ? "%I" : nullptr;
    case 'm':
      return run == 1 ? "%-M" : run == 2 ? "%M" : nullptr;
    case 's':
      return run == 1 ? "%-S" : run == 2 ? "%S" : nullptr;
    case 'S':
      return run == 3 ? "%g" : run == 6 ? "%f" : run == 9 ? "%n" : nullptr;
    case 'a':
      return run == 1 ? "%p" : nullptr;
    case 'E':
      return run <= 3 ? "%a" : "%A";
    case 'D':
      return run == 1 ? "%-j" : run == 3 ? "%j" : nullptr;
    case 'e':
      return run == 1 ? "%u" : nullptr;
    case 'Z':
      return "%z";
    case 'z':
      return "%Z";
    default:
      return nullptr;
  }
}

Result<std::string> JodaToStrftime(std::string_view name, std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {  // quoted text; '' is a quote
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      size_t j = i + 1;
      for (; j < pattern.size(); ++j) {
        if (pattern[j] != '\'') {
          out += pattern[j] == '%' ? "%%" : std::string(1, pattern[j]);
        } else if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
          out += '\'';
          ++j;
        } else {
          break;
        }
      }
      if (j == pattern.size()) return Unsupported(name, "unterminated quote in the pattern");
      i = j + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t run = 1;
      while (i + run < pattern.size() && pattern[i + run] == c) ++run;
      const char* s = JodaSpecifier(c, run);
      if (s == nullptr) return Unsupported(name, "pattern letters " + std::string(run, c) + " are not supported");
      out += s;
      i += run;
      continue;
    }
    out += c == '%' ? "%%" : std::string(1, c);
    ++i;
  }
  return out;
}

Result<std::string> DateParse(std::string_view name, const Args& a) {
  auto f = LiteralArg(name, a, 1, "the format");
  if (!f) return f.error();
  auto s = MySqlToStrftime(name, *f);
  if (!s) return s.error();
  return "strptime(" + a[0].text + ", " + SqlString(*s) + ")";
}

Result<std::string> DateFormat(std::string_view name, const Args& a) {
  auto f = LiteralArg(name, a, 1, "the format");
  if (!f) return f.error();
  auto s = MySqlToStrftime(name, *f);
  if (!s) return s.error();
  return "strftime(" + a[0].text + ", " + SqlString(*s) + ")";
}

Result<std::string> FormatDatetime(std::string_view name, const Args& a) {
  auto f = LiteralArg(name, a, 1, "the pattern");
  if (!f) return f.error();
  auto s = JodaToStrftime(name, *f);
  if (!s) return s.error();
  return "strftime(" + a[0].text + ", " + SqlString(*s) + ")";
}

Result<std::string> FromUnixtime(std::string_view name, const Args& a) {
  if (a.size() != 1) return Unsupported(name, "only the one-argument form (UTC) is supported");
  return "CAST(to_timestamp(" + a[0].text + ") AS TIMESTAMP)";
}

Result<std::string> ToUnixtime(std::string_view, const Args& a) { return "epoch(" + a[0].text + ")"; }

Result<std::string> FromIso8601Timestamp(std::string_view, const Args& a) {
  return "CAST(CAST(" + a[0].text + " AS TIMESTAMPTZ) AS TIMESTAMP)";
}

Result<std::string> FromIso8601Date(std::string_view, const Args& a) { return "CAST(" + a[0].text + " AS DATE)"; }

// Trino's units ("Interval functions") and the DuckDB interval constructor for each.
const char* IntervalFunction(std::string_view unit) {
  static const std::pair<std::string_view, const char*> kUnits[] = {{"millisecond", "to_milliseconds"},
                                                                    {"second", "to_seconds"},
                                                                    {"minute", "to_minutes"},
                                                                    {"hour", "to_hours"},
                                                                    {"day", "to_days"},
                                                                    {"week", "to_weeks"},
                                                                    {"month", "to_months"},
                                                                    {"quarter", "to_months"},
                                                                    {"year", "to_years"}};
  for (const auto& [u, f] : kUnits) {
    if (u == unit) return f;
  }
  return nullptr;
}

Result<std::string> DateAdd(std::string_view name, const Args& a) {
  auto u = LiteralArg(name, a, 0, "the unit");
  if (!u) return u.error();
  const std::string unit = ToLower(*u);
  const char* f = IntervalFunction(unit);
  if (f == nullptr) return Unsupported(name, "unknown unit '" + *u + "'");
  const std::string n = unit == "quarter" ? "3 * (" + a[1].text + ")" : a[1].text;
  return "(" + a[2].text + " + " + f + "(" + n + "))";
}

// DuckDB's date_diff counts unit boundaries crossed; its date_sub counts whole units, as Trino's date_diff does.
Result<std::string> DateDiff(std::string_view name, const Args& a) {
  auto u = LiteralArg(name, a, 0, "the unit");
  if (!u) return u.error();
  if (IntervalFunction(ToLower(*u)) == nullptr) return Unsupported(name, "unknown unit '" + *u + "'");
  return "date_sub(" + a[0].text + ", " + a[1].text + ", " + a[2].text + ")";
}

Result<std::string> RegexpExtract(std::string_view, const Args& a) {
  return "xacct_regexp_extract(" + a[0].text + ", " + a[1].text + ", " + (a.size() > 2 ? a[2].text : "0") + ")";
}

// Java replacement syntax ($1, \$) to RE2's (\1, \\); Trino replaces every match.
Result<std::string> RegexpReplace(std::string_view name, const Args& a) {
  if (a.size() == 2) return "regexp_replace(" + a[0].text + ", " + a[1].text + ", '', 'g')";
  auto r = LiteralArg(name, a, 2, "the replacement");
  if (!r) return r.error();
  std::string out;
  const std::string& s = *r;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[i + 1] == '\\' ? "\\\\" : std::string(1, s[i + 1]);
      ++i;
    } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
      out += '\\';
      out += s[++i];
      if (i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
        return Unsupported(name, "group references above $9 are not supported");
      }
    } else if (s[i] == '$') {
      return Unsupported(name, "named group references (${name}) are not supported");
    } else if (s[i] == '\\') {
      return Unsupported(name, "the replacement ends with a lone backslash");
    } else {
      out += s[i];
    }
  }
  return "regexp_replace(" + a[0].text + ", " + a[1].text + ", " + SqlString(out) + ", 'g')";
}

Result<std::string> ApproxPercentile(std::string_view name, const Args& a) {
  if (a.size() != 2) return Unsupported(name, "only approx_percentile(x, percentage) is supported");
  return "approx_quantile(" + a[0].text + ", " + a[1].text + ")";
}

Result<std::string> ElementAt(std::string_view, const Args& a) { return "(" + a[0].text + ")[" + a[1].text + "]"; }

Result<std::string> Split(std::string_view name, const Args& a) {
  if (a.size() != 2) return Unsupported(name, "the limit argument is not supported");
  return "string_split(" + a[0].text + ", " + a[1].text + ")";
}

Result<std::string> ArrayJoin(std::string_view, const Args& a) {
  if (a.size() == 2) return "array_to_string(" + a[0].text + ", " + a[1].text + ")";
  return "array_to_string(list_transform(" + a[0].text + ", lambda xacct_e: coalesce(CAST(xacct_e AS VARCHAR), " +
         a[2].text + ")), " + a[1].text + ")";
}

//! A call renamed, its arguments kept (the first `keep` of them when keep > 0).
template <const char* kTo, size_t kKeep = 0>
Result<std::string> Rename(std::string_view, const Args& a) {
  std::string out = std::string(kTo) + "(";
  const size_t n = kKeep > 0 && a.size() > kKeep ? kKeep : a.size();
  for (size_t i = 0; i < n; ++i) out += (i > 0 ? ", " : "") + a[i].text;
  return out + ")";
}

constexpr char kRegexpMatches[] = "regexp_matches";
constexpr char kApproxCountDistinct[] = "approx_count_distinct";
constexpr char kAnyValue[] = "any_value";
constexpr char kCardinality[] = "xacct_cardinality";
constexpr char kListContains[] = "list_contains";
constexpr char kJsonExtractScalar[] = "xacct_json_extract_scalar";
constexpr char kListTransform[] = "list_transform";
constexpr char kListFilter[] = "list_filter";

struct Rule {
  std::string_view trino;  //!< lower case
  size_t min_args;
  size_t max_args;
  Handler handler;  //!< nullptr: DuckDB's function of that name already behaves as Trino's
  std::string_view doc;
};

// Trino name → translation. doc: the Trino documentation page (trino.io/docs/current/functions/<doc>.html).
constexpr Rule kRules[] = {
    {"date_parse", 2, 2, DateParse, "datetime (MySQL date functions) → strptime, format translated"},
    {"date_format", 2, 2, DateFormat, "datetime (MySQL date functions) → strftime, format translated"},
    {"format_datetime", 2, 2, FormatDatetime, "datetime (Java date functions) → strftime, Joda pattern"},
    {"from_unixtime", 1, 3, FromUnixtime, "datetime (UNIX functions) → to_timestamp, as UTC timestamp"},
    {"to_unixtime", 1, 1, ToUnixtime, "datetime (UNIX functions) → epoch (double seconds)"},
    {"from_iso8601_timestamp", 1, 1, FromIso8601Timestamp, "datetime (ISO 8601 functions) → CAST AS TIMESTAMPTZ"},
    {"from_iso8601_date", 1, 1, FromIso8601Date, "datetime (ISO 8601 functions) → CAST AS DATE"},
    {"date_add", 3, 3, DateAdd, "datetime (Interval functions) → ts + to_<unit>s(n)"},
    {"date_diff", 3, 3, DateDiff, "datetime (Interval functions) → date_sub (whole units)"},
    {"regexp_like", 2, 2, Rename<kRegexpMatches>, "regexp → regexp_matches (partial match)"},
    {"regexp_extract", 2, 3, RegexpExtract, "regexp → macro: NULL when no match"},
    {"regexp_extract_all", 2, 3, nullptr, "regexp: same in DuckDB"},
    {"regexp_replace", 2, 3, RegexpReplace, "regexp → all matches ('g'), $n → \\n"},
    {"approx_distinct", 1, 2, Rename<kApproxCountDistinct, 1>, "aggregate → approx_count_distinct"},
    {"approx_percentile", 2, 3, ApproxPercentile, "aggregate → approx_quantile"},
    {"arbitrary", 1, 1, Rename<kAnyValue>, "aggregate → any_value"},
    {"cardinality", 1, 1, Rename<kCardinality>, "array, map → macro (DuckDB's is for maps only)"},
    {"element_at", 2, 2, ElementAt, "array, map → subscript (1-based, negative from the end; NULL if absent)"},
    {"contains", 2, 2, Rename<kListContains>, "array → list_contains"},
    {"json_extract_scalar", 2, 2, Rename<kJsonExtractScalar>, "json → macro: NULL for objects and arrays"},
    {"json_extract", 2, 2, nullptr, "json: same in DuckDB"},
    {"split", 2, 3, Split, "string → string_split"},
    {"array_join", 2, 3, ArrayJoin, "array → array_to_string (nulls skipped or replaced)"},
    {"transform", 2, 2, Rename<kListTransform>, "array (lambda) → list_transform"},
    {"filter", 2, 2, Rename<kListFilter>, "array (lambda) → list_filter"},
    {"try", 1, 1, nullptr, "conditional: same in DuckDB"},
    {"try_cast", 1, 1, nullptr, "conversion: same in DuckDB"},
    {"now", 0, 0, nullptr, "datetime: same in DuckDB (as current_timestamp)"},
};

const Rule* FindRule(std::string_view lower_name) {
  for (const auto& r : kRules) {
    if (r.trino == lower_name) return &r;
  }
  return nullptr;
}

class Translator {
 public:
  explicit Translator(std::string_view sql) : sql_(sql), tokens_(Tokenize(sql, Dialect::kTrino)) {
    match_.assign(tokens_.size(), kNone);
    std::vector<size_t> open;
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (IsSymbol(i, "(")) {
        open.push_back(i);
      } else if (IsSymbol(i, ")") && !open.empty()) {
        match_[open.back()] = i;
        open.pop_back();
      }
    }
  }

  Result<std::string> Run() {
    const size_t last = tokens_.size() - 1;  // the kEnd token
    if (last == 0) return std::string(sql_);
    auto body = Range(0, last);
    if (!body) return body.error();
    return std::string(sql_.substr(0, tokens_[0].offset)) + *body + std::string(sql_.substr(tokens_[last - 1].end));
  }

 private:
  bool IsSymbol(size_t i, std::string_view s) const {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::kSymbol && tokens_[i].text == s;
  }

  // The rule for a call starting at token i (a bare, unqualified name followed by its parenthesis), if any.
  const Rule* CallAt(size_t i, size_t last) const {
    if (tokens_[i].kind != TokenKind::kWord || !IsSymbol(i + 1, "(")) return nullptr;
    if (match_[i + 1] == kNone || match_[i + 1] >= last) return nullptr;
    if (i > 0 && IsSymbol(i - 1, ".")) return nullptr;  // a qualified name is a user's function
    // count(*) FILTER (WHERE ...) is the aggregate filter clause, not filter().
    if (i + 2 < tokens_.size() && tokens_[i + 2].kind == TokenKind::kWord && ToLower(tokens_[i + 2].text) == "where") {
      return nullptr;
    }
    return FindRule(ToLower(tokens_[i].text));
  }

  // Tokens [first, last) rewritten; the text runs from the first token's start to the last one's end.
  Result<std::string> Range(size_t first, size_t last) {
    std::string out;
    size_t pos = tokens_[first].offset;
    for (size_t i = first; i < last;) {
      const Rule* rule = CallAt(i, last);
      if (rule == nullptr || rule->handler == nullptr) {
        ++i;
        continue;
      }
      const size_t close = match_[i + 1];
      auto call = Call(*rule, i, close);
      if (!call) return call.error();
      out += sql_.substr(pos, tokens_[i].offset - pos);
      out += *call;
      pos = tokens_[close].end;
      i = close + 1;
    }
    out += sql_.substr(pos, tokens_[last - 1].end - pos);
    return out;
  }

  Result<std::string> Call(const Rule& rule, size_t name, size_t close) {
    Args args;
    size_t start = name + 2;
    int depth = 0;
    for (size_t i = start; i <= close && start < close; ++i) {
      if (i == close || (depth == 0 && IsSymbol(i, ","))) {
        if (i == start) return Unsupported(rule.trino, "an argument is empty");
        auto text = Range(start, i);
        if (!text) return text.error();
        Arg arg{std::move(*text), std::nullopt};
        if (i == start + 1 && tokens_[start].kind == TokenKind::kString) arg.literal = tokens_[start].value;
        args.push_back(std::move(arg));
        start = i + 1;
      } else if (IsSymbol(i, "(") || IsSymbol(i, "[")) {
        ++depth;
      } else if (IsSymbol(i, ")") || IsSymbol(i, "]")) {
        --depth;
      }
    }
    if (args.size() < rule.min_args || args.size() > rule.max_args) {
      return AwsError::Client("InvalidRequestException", "Unexpected parameters for function " +
                                                             std::string(rule.trino) + " (" +
                                                             std::to_string(args.size()) + " arguments)");
    }
    return rule.handler(rule.trino, args);
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<size_t> match_;  // for each "(" the index of its ")", kNone otherwise
};

}  // namespace

Result<std::string> TranslateTrinoSql(std::string_view sql) { return Translator(sql).Run(); }

const std::vector<std::string>& TrinoCompatibilityMacros() {
  static const std::vector<std::string> kMacros = {
      // Trino regexp_extract: NULL when nothing matches (DuckDB answers '').
      "CREATE OR REPLACE MACRO xacct_regexp_extract(s, p, g) AS "
      "CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END",
      // Trino json_extract_scalar: NULL unless the value is a scalar (DuckDB returns objects as text).
      "CREATE OR REPLACE MACRO xacct_json_extract_scalar(j, p) AS "
      "CASE WHEN json_type(json_extract(j, p)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END",
      // Trino cardinality takes arrays and maps; DuckDB's only maps, len only lists. Their JSON form tells them
      // apart without binding the other function.
      // Trino's result is a bigint.
      "CREATE OR REPLACE MACRO xacct_cardinality(x) AS "
      "CAST(CASE WHEN json_type(to_json(x)) = 'ARRAY' THEN json_array_length(to_json(x)) "
      "ELSE len(json_keys(to_json(x))) END AS BIGINT)",
  };
  return kMacros;
}

}  // namespace xacct::sql
