// The canonical request, as AWS General Reference "Create a canonical request for Signature Version 4"
// defines it, with S3's exceptions from the Amazon S3 API Reference "Signature Calculations for the
// Authorization Header" (the path is URI-encoded once and not normalized). Other services normalize the
// path (RFC 3986 section 5.2.4, and empty segments dropped) and encode it a second time, which is what
// botocore's SigV4Auth does and AWS's own test suite ("get-slash-dot-slash", "get-relative") expects.
#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"

namespace xacct::auth {
namespace {

using internal::EqualsIgnoreCase;
using internal::IsSpace;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// RFC 3986 5.2.4 as botocore's remove_dot_segments implements it: empty segments ("//") are dropped too,
// a leading '/' is kept, and a trailing '/' is kept when anything remains.
std::string RemoveDotSegments(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!segment.empty() && segment != ".") {
      out.push_back(segment);
    }
    start = end + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result += '/';
    result += out[i];
  }
  if (path.back() == '/' && !out.empty()) result += '/';
  return result;
}

// Trimall: leading and trailing white space removed, inner runs collapsed to one space.
void AppendTrimmed(std::string& out, std::string_view value) {
  value = internal::Trim(value);
  bool in_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out += ' ';
    in_space = false;
    out += c;
  }
}

int ParseDigits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<Timestamp> MakeTimestamp(int year, int month, int day, int hour, int minute, int second) {
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

void AppendPadded(std::string& out, int value, int width) {
  std::array<char, 16> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec;
  for (int pad = width - static_cast<int>(end - buf.data()); pad > 0; --pad) out += '0';
  out.append(buf.data(), end);
}

struct Civil {
  int year, month, day, hour, minute, second;
};

Civil ToCivil(Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{t - days};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()),
          static_cast<int>(hms.seconds().count())};
}

}  // namespace

std::string_view HttpRequestView::RawPath() const {
  std::string_view t = target;
  if (internal::StartsWithIgnoreCase(t, "http://") || internal::StartsWithIgnoreCase(t, "https://")) {
    t.remove_prefix(t.find("//") + 2);
    const size_t slash = t.find_first_of("/?");
    t = slash == std::string_view::npos ? std::string_view() : t.substr(slash);
  }
  t = t.substr(0, t.find('?'));
  return t.empty() ? std::string_view("/") : t;
}

std::string_view HttpRequestView::RawQuery() const {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

std::optional<std::string_view> HttpRequestView::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string_view> HttpRequestView::HeaderValues(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) values.push_back(v);
  }
  return values;
}

std::optional<Timestamp> ParseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  const int year = ParseDigits(s.substr(0, 4)), month = ParseDigits(s.substr(4, 2)), day = ParseDigits(s.substr(6, 2));
  const int hour = ParseDigits(s.substr(9, 2)), minute = ParseDigits(s.substr(11, 2));
  const int second = ParseDigits(s.substr(13, 2));
  return MakeTimestamp(year, month, day, hour, minute, second);
}

std::string FormatAmzDate(Timestamp t) {
  const Civil c = ToCivil(t);
  std::string out;
  AppendPadded(out, c.year, 4);
  AppendPadded(out, c.month, 2);
  AppendPadded(out, c.day, 2);
  out += 'T';
  AppendPadded(out, c.hour, 2);
  AppendPadded(out, c.minute, 2);
  AppendPadded(out, c.second, 2);
  out += 'Z';
  return out;
}

std::string FormatIso8601(Timestamp t) {
  const Civil c = ToCivil(t);
  std::string out;
  AppendPadded(out, c.year, 4);
  out += '-';
  AppendPadded(out, c.month, 2);
  out += '-';
  AppendPadded(out, c.day, 2);
  out += 'T';
  AppendPadded(out, c.hour, 2);
  out += ':';
  AppendPadded(out, c.minute, 2);
  out += ':';
  AppendPadded(out, c.second, 2);
  out += 'Z';
  return out;
}

std::optional<Timestamp> ParseHttpDate(std::string_view s) {
  // RFC 1123 / RFC 5322: "Wed, 01 May 2024 12:00:00 GMT"; botocore writes the zone as "-0000".
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::vector<std::string_view> tokens;
  for (size_t start = 0; start < s.size();) {
    while (start < s.size() && IsSpace(s[start])) ++start;
    size_t end = start;
    while (end < s.size() && !IsSpace(s[end])) ++end;
    if (end > start) tokens.push_back(s.substr(start, end - start));
    start = end;
  }
  if (tokens.size() == 6 && tokens[0].size() == 4 && tokens[0].back() == ',') tokens.erase(tokens.begin());
  if (tokens.size() != 5 || tokens[0].empty() || tokens[0].size() > 2 || tokens[2].size() != 4 ||
      tokens[3].size() != 8 || tokens[3][2] != ':' || tokens[3][5] != ':') {
    return std::nullopt;
  }
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), tokens[1]);
  if (month_it == kMonths.end()) return std::nullopt;
  const std::string_view zone = tokens[4];
  int offset_minutes = 0;
  if (zone == "GMT" || zone == "UTC" || zone == "UT" || zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && ParseDigits(zone.substr(1)) >= 0) {
    offset_minutes = ParseDigits(zone.substr(1, 2)) * 60 + ParseDigits(zone.substr(3, 2));
    if (zone[0] == '+') offset_minutes = -offset_minutes;
  } else {
    return std::nullopt;
  }
  const std::string_view hms = tokens[3];
  const auto t =
      MakeTimestamp(ParseDigits(tokens[2]), static_cast<int>(month_it - kMonths.begin()) + 1, ParseDigits(tokens[0]),
                    ParseDigits(hms.substr(0, 2)), ParseDigits(hms.substr(3, 2)), ParseDigits(hms.substr(6, 2)));
  if (!t) return std::nullopt;
  return *t + std::chrono::minutes(offset_minutes);
}

std::string CredentialScope::ToString() const { return date + "/" + region + "/" + service + "/aws4_request"; }

bool CredentialScope::UsesS3Rules() const { return service == "s3" || service == "s3-object-lambda"; }

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view raw_path, bool s3_rules) {
  // Decoding then encoding once gives the path as a conforming client encoded it, whatever the client
  // chose to leave unescaped on the wire.
  const std::string once = UriEncode(PercentDecode(raw_path), /*encode_slash=*/false);
  if (s3_rules) return once.empty() ? "/" : once;
  return UriEncode(RemoveDotSegments(once), /*encode_slash=*/false);
}

std::string CanonicalQueryString(std::string_view raw_query, bool presigned) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= raw_query.size()) {
    size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    const std::string_view piece = raw_query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    std::string name = PercentDecode(piece.substr(0, eq));
    if (presigned && name == "X-Amz-Signature") continue;
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    pairs.emplace_back(UriEncode(name, true), UriEncode(PercentDecode(value), true));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string CanonicalHeaders(const HttpRequestView& request, const std::vector<std::string>& signed_headers) {
  std::string out;
  for (const std::string& name : signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (const auto& [n, v] : request.headers) {
      if (!EqualsIgnoreCase(n, name)) continue;
      if (!first) out += ',';
      first = false;
      AppendTrimmed(out, v);
    }
    out += '\n';
  }
  return out;
}

std::string CanonicalRequest(const HttpRequestView& request, const ParsedAuth& auth, std::string_view payload_hash) {
  std::string out(request.method);
  out += '\n';
  out += CanonicalUri(request.RawPath(), auth.scope.UsesS3Rules());
  out += '\n';
  out += CanonicalQueryString(request.RawQuery(), auth.presigned());
  out += '\n';
  out += CanonicalHeaders(request, auth.signed_headers);
  out += '\n';
  out += auth.SignedHeadersString();
  out += '\n';
  out += payload_hash;
  return out;
}

std::string StringToSign(std::string_view amz_date, const CredentialScope& scope, std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope.ToString();
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

}  // namespace xacct::auth
