// Parsing SigV4 credentials from a request and verifying them. Follows the AWS General Reference
// "Elements of an AWS API request signature" and "Add the signature to the HTTP request" (Authorization
// header and query-string forms), and the Amazon S3 API Reference "Authenticating Requests: Using Query
// Parameters" (X-Amz-Expires at most 604800 seconds) and "Signature Calculations for the Authorization
// Header" (x-amz-content-sha256 required, its literal values). The order of the checks follows what AWS's
// JSON services were observed to report first (dynalite's notes on DynamoDB): parameters and date, clock,
// Host signed, algorithm, credential shape, scope, access key, signature.
#include <charconv>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"

namespace xacct::auth {
namespace {

using internal::EqualsIgnoreCase;
using internal::Trim;

AuthFailure Fail(AuthFailureKind kind, bool presigned, std::string message, std::string s3_message,
                 std::string detail) {
  AuthFailure f;
  f.kind = kind;
  f.presigned = presigned;
  f.message = std::move(message);
  f.s3_message = std::move(s3_message);
  f.detail = std::move(detail);
  return f;
}

// Views into `s`, so they live as long as the text they split.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

constexpr std::string_view kS3MalformedCredential =
    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
constexpr std::string_view kS3HeaderMalformed = "The authorization header is malformed; ";
constexpr std::string_view kS3ThreeComponents =
    "The authorization header is malformed; the authorization header requires three components: Credential, "
    "SignedHeaders, and Signature.";
constexpr std::string_view kS3QueryParametersRequired =
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
    "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

std::string BadDateMessage(std::string_view value) {
  return "Date must be in ISO-8601 'basic format'. Got '" + std::string(value) +
         "'. See http://en.wikipedia.org/wiki/ISO_8601";
}

std::string UnsupportedAlgorithmMessage(std::string_view algorithm) {
  return "Unsupported AWS 'algorithm': '" + std::string(algorithm) + "' (only AWS4-HMAC-SHA256 for now). ";
}

std::string AlgorithmDetail(std::string_view algorithm) {
  if (algorithm == "AWS4-ECDSA-P256-SHA256") {
    return "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported by xacct; sign with SigV4 (AWS4-HMAC-SHA256)";
  }
  return "xacct accepts only AWS Signature Version 4 (AWS4-HMAC-SHA256), not '" + std::string(algorithm) + "'";
}

// Splits "AKID/DATE/REGION/SERVICE/aws4_request" into the ParsedAuth.
AuthStatus ParseCredential(std::string_view credential, bool presigned, ParsedAuth& auth) {
  const std::vector<std::string_view> parts = Split(credential, '/');
  const std::string s3_prefix =
      presigned ? "Error parsing the X-Amz-Credential parameter; " : std::string(kS3HeaderMalformed);
  if (parts.size() != 5 || parts[0].empty() || parts[1].empty() || parts[2].empty() || parts[3].empty()) {
    return Fail(AuthFailureKind::kIncompleteSignature, presigned,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" +
                    std::string(credential) + "'",
                s3_prefix + std::string(kS3MalformedCredential),
                "malformed credential '" + std::string(credential) + "'");
  }
  if (parts[4] != "aws4_request") {
    return Fail(
        AuthFailureKind::kInvalidScope, presigned,
        "Credential should be scoped with a valid terminator: 'aws4_request', not '" + std::string(parts[4]) + "'. ",
        s3_prefix + std::string(kS3MalformedCredential), "credential scope terminator is not aws4_request");
  }
  auth.access_key_id = std::string(parts[0]);
  auth.scope = CredentialScope{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  return Ok{};
}

std::vector<std::string> SplitSignedHeaders(std::string_view list) {
  std::vector<std::string> out;
  if (list.empty()) return out;
  for (std::string_view name : Split(list, ';')) out.emplace_back(name);
  return out;
}

AuthResult<ParsedAuth> ParseHeaderAuth(const HttpRequestView& request, std::string_view header) {
  ParsedAuth auth;
  auth.method = AuthMethod::kHeader;
  auth.raw_authorization = std::string(header);
  std::string_view value = Trim(header);
  const size_t space = value.find(' ');
  const std::string_view algorithm = value.substr(0, space);
  const std::string_view rest = space == std::string_view::npos ? std::string_view() : value.substr(space + 1);

  // Parameters first: AWS reports missing ones before looking at the algorithm.
  std::optional<std::string_view> credential, signed_headers, signature;
  for (std::string_view piece : Split(rest, ',')) {
    const std::string_view p = Trim(piece);
    if (p.empty()) continue;
    const size_t eq = p.find('=');
    if (eq == std::string_view::npos) {
      if (algorithm != kAlgorithm) break;  // some other scheme: reported as such below
      return Fail(AuthFailureKind::kIncompleteSignature, false,
                  "'" + std::string(p) +
                      "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                      std::string(header) + "'.",
                  std::string(kS3ThreeComponents), "Authorization header parameter without '='");
    }
    const std::string_view key = Trim(p.substr(0, eq));
    const std::string_view val = Trim(p.substr(eq + 1));
    if (key == "Credential") credential = val;
    if (key == "SignedHeaders") signed_headers = val;
    if (key == "Signature") signature = val;
  }
  const std::optional<std::string_view> amz_date = request.Header("x-amz-date");
  const std::optional<std::string_view> http_date = request.Header("date");

  if (algorithm != kAlgorithm) {
    AuthFailure f = Fail(AuthFailureKind::kUnsupportedAlgorithm, false, {}, {}, AlgorithmDetail(algorithm));
    if (credential && signed_headers && signature) {
      f.message = UnsupportedAlgorithmMessage(algorithm);
    } else {
      // Not SigV4-shaped at all (e.g. "Bearer ..."): AWS lists what a SigV4 header would need.
      if (!credential) f.message += "Authorization header requires 'Credential' parameter. ";
      if (!signature) f.message += "Authorization header requires 'Signature' parameter. ";
      if (!signed_headers) f.message += "Authorization header requires 'SignedHeaders' parameter. ";
      if (!amz_date && !http_date) {
        f.message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
      }
      f.message += "Authorization=" + std::string(header);
    }
    f.fields = {{"ArgumentName", "Authorization"}, {"ArgumentValue", std::string(header)}};
    return f;
  }

  std::string missing;
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  const bool components_missing = !missing.empty();
  if (!amz_date && !http_date) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) {
    return Fail(components_missing ? AuthFailureKind::kIncompleteSignature : AuthFailureKind::kInvalidDate, false,
                missing + "Authorization=" + std::string(header),
                components_missing ? std::string(kS3ThreeComponents) : std::string(),
                components_missing ? "Authorization header lacks Credential, SignedHeaders or Signature"
                                   : "neither X-Amz-Date nor Date is present");
  }

  if (amz_date) {
    const auto t = ParseAmzDate(Trim(*amz_date));
    if (!t) {
      return Fail(AuthFailureKind::kInvalidDate, false, BadDateMessage(*amz_date), {},
                  "X-Amz-Date is not YYYYMMDD'T'HHMMSS'Z'");
    }
    auth.request_time = *t;
    auth.amz_date = std::string(Trim(*amz_date));
  } else {
    const auto t = ParseHttpDate(*http_date);
    if (!t) {
      return Fail(AuthFailureKind::kInvalidDate, false, BadDateMessage(*http_date), {},
                  "the Date header is not an RFC 1123 date");
    }
    auth.request_time = *t;
    auth.amz_date = FormatAmzDate(*t);  // the string to sign always carries the ISO 8601 basic form
  }

  if (AuthStatus s = ParseCredential(*credential, false, auth); !s.ok()) return s.failure();
  auth.signed_headers = SplitSignedHeaders(*signed_headers);
  auth.signature = std::string(*signature);
  if (auto token = request.Header("x-amz-security-token")) auth.security_token = std::string(Trim(*token));
  return auth;
}

AuthResult<ParsedAuth> ParsePresigned(const HttpRequestView& request,
                                      const std::vector<std::pair<std::string, std::string>>& params) {
  auto param = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& [n, v] : params) {
      if (n == name) return v;
    }
    return std::nullopt;
  };
  ParsedAuth auth;
  auth.method = AuthMethod::kPresigned;
  const auto algorithm = param("X-Amz-Algorithm");
  const auto credential = param("X-Amz-Credential");
  const auto signature = param("X-Amz-Signature");
  const auto date = param("X-Amz-Date");
  const auto signed_headers = param("X-Amz-SignedHeaders");
  const auto expires = param("X-Amz-Expires");

  if (algorithm && *algorithm != kAlgorithm) {
    AuthFailure f = Fail(AuthFailureKind::kUnsupportedAlgorithm, true, UnsupportedAlgorithmMessage(*algorithm),
                         "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", AlgorithmDetail(*algorithm));
    return f;
  }
  std::string missing;
  for (const auto& [value, name] : {std::pair{&credential, "X-Amz-Credential"},
                                    {&signature, "X-Amz-Signature"},
                                    {&signed_headers, "X-Amz-SignedHeaders"},
                                    {&date, "X-Amz-Date"}}) {
    if (!value->has_value()) missing += "AWS query-string parameters must include '" + std::string(name) + "'. ";
  }
  if (!missing.empty() || !algorithm || !expires) {
    if (missing.empty()) missing = "AWS query-string parameters must include 'X-Amz-Algorithm'. ";
    // S3 requires X-Amz-Expires too; the JSON/query services do not name it.
    return Fail(AuthFailureKind::kIncompleteSignature, true, missing + "Re-examine the query-string parameters.",
                std::string(kS3QueryParametersRequired), "presigned URL lacks a required X-Amz-* parameter");
  }

  const auto t = ParseAmzDate(*date);
  if (!t) {
    return Fail(AuthFailureKind::kInvalidDate, true, BadDateMessage(*date),
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
                "X-Amz-Date is not YYYYMMDD'T'HHMMSS'Z'");
  }
  auth.request_time = *t;
  auth.amz_date = *date;

  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
  if (ec != std::errc() || end != expires->data() + expires->size() || expires->empty()) {
    return Fail(AuthFailureKind::kIncompleteSignature, true, "X-Amz-Expires should be a number",
                "X-Amz-Expires should be a number", "X-Amz-Expires is not an integer");
  }
  if (seconds < 0) {
    return Fail(AuthFailureKind::kIncompleteSignature, true, "X-Amz-Expires must be non-negative",
                "X-Amz-Expires must be non-negative", "X-Amz-Expires is negative");
  }
  if (seconds > kMaxPresignExpires) {
    const std::string m =
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than "
        "604800 seconds";
    return Fail(AuthFailureKind::kIncompleteSignature, true, m, m, "X-Amz-Expires exceeds 604800 seconds");
  }
  auth.expires_seconds = seconds;

  if (AuthStatus s = ParseCredential(*credential, true, auth); !s.ok()) return s.failure();
  auth.signed_headers = SplitSignedHeaders(*signed_headers);
  auth.signature = *signature;
  if (auto token = param("X-Amz-Security-Token")) {
    auth.security_token = *token;
  } else if (auto header = request.Header("x-amz-security-token")) {
    auth.security_token = std::string(Trim(*header));
  }
  return auth;
}

std::string Lower(std::string_view s) { return internal::AsciiLower(s); }

bool IsSigned(const ParsedAuth& auth, std::string_view name) {
  for (const std::string& h : auth.signed_headers) {
    if (EqualsIgnoreCase(h, name)) return true;
  }
  return false;
}

std::string SpacedHex(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 3);
  for (char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

AuthStatus CheckTime(const ParsedAuth& auth, Timestamp now) {
  const bool s3 = auth.scope.UsesS3Rules();
  if (auth.presigned() && s3) {
    // S3 honours X-Amz-Expires; a URL dated in the future is refused beyond the usual skew.
    if (auth.request_time > now + kMaxClockSkew) {
      AuthFailure f =
          Fail(AuthFailureKind::kNotYetValid, true, {}, {},
               "X-Amz-Date " + auth.amz_date + " is more than 15 minutes after the server time " + FormatAmzDate(now));
      f.fields = {{"X-Amz-Date", std::to_string(auth.request_time.time_since_epoch().count() * 1000)},
                  {"Expires", FormatIso8601(auth.request_time + std::chrono::seconds(auth.expires_seconds))},
                  {"ServerTime", FormatIso8601(now)}};
      return f;
    }
  } else {
    if (auth.request_time < now - kMaxClockSkew) {
      AuthFailure f = Fail(AuthFailureKind::kRequestTimeTooSkewed, auth.presigned(),
                           "Signature expired: " + auth.amz_date + " is now earlier than " +
                               FormatAmzDate(now - kMaxClockSkew) + " (" + FormatAmzDate(now) + " - 15 min.)",
                           {}, "the request time is more than 15 minutes before the server time");
      f.fields = {
          {"RequestTime", auth.amz_date}, {"ServerTime", FormatIso8601(now)}, {"MaxAllowedSkewMilliseconds", "900000"}};
      return f;
    }
    if (auth.request_time > now + kMaxClockSkew) {
      AuthFailure f = Fail(AuthFailureKind::kRequestTimeTooSkewed, auth.presigned(),
                           "Signature not yet current: " + auth.amz_date + " is still later than " +
                               FormatAmzDate(now + kMaxClockSkew) + " (" + FormatAmzDate(now) + " + 15 min.)",
                           {}, "the request time is more than 15 minutes after the server time");
      f.fields = {
          {"RequestTime", auth.amz_date}, {"ServerTime", FormatIso8601(now)}, {"MaxAllowedSkewMilliseconds", "900000"}};
      return f;
    }
  }
  if (auth.presigned() && (s3 || auth.expires_seconds > 0)) {
    const Timestamp expiry = auth.request_time + std::chrono::seconds(auth.expires_seconds);
    if (now > expiry) {
      AuthFailure f = Fail(AuthFailureKind::kExpired, true, {}, {},
                           "the presigned URL expired at " + FormatIso8601(expiry) + " (X-Amz-Date " + auth.amz_date +
                               " + X-Amz-Expires " + std::to_string(auth.expires_seconds) + "s)");
      f.fields = {{"X-Amz-Expires", std::to_string(auth.expires_seconds)},
                  {"Expires", FormatIso8601(expiry)},
                  {"ServerTime", FormatIso8601(now)}};
      return f;
    }
  }
  return Ok{};
}

AuthStatus CheckSignedHeaders(const HttpRequestView& request, const ParsedAuth& auth) {
  std::string not_signed;
  if (!IsSigned(auth, "host")) not_signed = "host";
  if (auth.scope.UsesS3Rules()) {
    // S3: every x-amz-* header sent must be signed.
    for (const auto& [name, value] : request.headers) {
      if (!internal::StartsWithIgnoreCase(name, "x-amz-") || IsSigned(auth, name)) continue;
      const std::string lower = Lower(name);
      if (("," + not_signed + ",").find("," + lower + ",") != std::string::npos) continue;
      if (!not_signed.empty()) not_signed += ',';
      not_signed += lower;
    }
  }
  if (not_signed.empty()) return Ok{};
  AuthFailure f = Fail(AuthFailureKind::kHeadersNotSigned, auth.presigned(),
                       "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", {},
                       "sent but not in SignedHeaders: " + not_signed);
  f.fields = {{"HeadersNotSigned", not_signed}};
  return f;
}

AuthStatus CheckScope(const ParsedAuth& auth, const VerifyOptions& options) {
  std::string message;
  std::string s3_message;
  const std::string s3_prefix =
      auth.presigned() ? "Error parsing the X-Amz-Credential parameter; " : std::string(kS3HeaderMalformed);
  std::vector<std::pair<std::string, std::string>> fields;
  if (!options.expected_region.empty() && auth.scope.region != options.expected_region) {
    message += "Credential should be scoped to a valid region, not '" + auth.scope.region + "'. ";
    s3_message = s3_prefix + "the region '" + auth.scope.region + "' is wrong; expecting '" +
                 std::string(options.expected_region) + "'";
    fields.emplace_back("Region", std::string(options.expected_region));
  }
  if (!options.expected_service.empty() && auth.scope.service != options.expected_service) {
    message += "Credential should be scoped to correct service: '" + std::string(options.expected_service) + "'. ";
    if (s3_message.empty()) {
      s3_message = s3_prefix + "incorrect service \"" + auth.scope.service + "\". This endpoint belongs to \"" +
                   std::string(options.expected_service) + "\".";
    }
  }
  const std::string request_day = auth.amz_date.substr(0, 8);
  if (auth.scope.date != request_day) {
    message += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
               auth.scope.date + "' != '" + request_day + "', from '" + auth.amz_date + "'.";
    if (s3_message.empty()) {
      s3_message = auth.presigned() ? "Invalid credential date \"" + auth.scope.date +
                                          "\". This date is not the same as X-Amz-Date: \"" + request_day + "\"."
                                    : s3_prefix + "Invalid credential date. Date is not the same as X-Amz-Date.";
    }
  }
  if (message.empty()) return Ok{};
  AuthFailure f = Fail(AuthFailureKind::kInvalidScope, auth.presigned(), std::move(message), std::move(s3_message),
                       "credential scope " + auth.scope.ToString() + " does not fit the request");
  f.fields = std::move(fields);
  return f;
}

}  // namespace

std::string ParsedAuth::SignedHeadersString() const {
  std::string out;
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) out += ';';
    out += signed_headers[i];
  }
  return out;
}

AuthResult<ParsedAuth> ParseAuthorization(const HttpRequestView& request) {
  if (auto header = request.Header("authorization")) return ParseHeaderAuth(request, *header);

  // Presigned: any X-Amz-Algorithm/Credential/Signature parameter makes the request a presigned one.
  std::vector<std::pair<std::string, std::string>> params;
  bool presigned = false;
  const std::string_view query = request.RawQuery();
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    std::string name = PercentDecode(piece.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : PercentDecode(piece.substr(eq + 1));
    if (name == "X-Amz-Algorithm" || name == "X-Amz-Credential" || name == "X-Amz-Signature") presigned = true;
    params.emplace_back(std::move(name), std::move(value));
  }
  if (presigned) return ParsePresigned(request, params);
  return ParsedAuth{};
}

bool IsStreaming(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

AuthResult<PayloadMode> ClassifyPayload(const HttpRequestView& request, const ParsedAuth& auth) {
  const std::optional<std::string_view> header = request.Header("x-amz-content-sha256");
  const bool s3 = auth.scope.UsesS3Rules();
  if (!header) {
    if (!s3) return PayloadMode::kBodySha256;
    if (auth.presigned()) return PayloadMode::kUnsigned;
    return Fail(AuthFailureKind::kMissingContentSha256, false, {}, {},
                "S3 requires x-amz-content-sha256 with SigV4 header authentication");
  }
  const std::string_view v = Trim(*header);
  PayloadMode mode;
  if (v == kUnsignedPayload) {
    mode = PayloadMode::kUnsigned;
  } else if (v == kStreamingPayload) {
    mode = PayloadMode::kStreamingSigned;
  } else if (v == kStreamingPayloadTrailer) {
    mode = PayloadMode::kStreamingSignedTrailer;
  } else if (v == kStreamingUnsignedTrailer) {
    mode = PayloadMode::kStreamingUnsignedTrailer;
  } else if (v.size() == 64 && internal::IsHex(v)) {
    mode = PayloadMode::kDeclaredSha256;
  } else if (v.starts_with("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
    return Fail(AuthFailureKind::kUnsupportedAlgorithm, auth.presigned(), UnsupportedAlgorithmMessage(v), {},
                AlgorithmDetail("AWS4-ECDSA-P256-SHA256"));
  } else {
    return Fail(AuthFailureKind::kInvalidContentSha256, auth.presigned(), {}, {},
                "x-amz-content-sha256 is '" + std::string(v) + "'");
  }
  if (auth.presigned() && (mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer)) {
    return Fail(AuthFailureKind::kInvalidContentSha256, true, {}, {},
                "signed streaming payloads chain from an Authorization header signature; a presigned URL has none");
  }
  return mode;
}

AuthResult<VerifiedRequest> Verify(const HttpRequestView& request, const ParsedAuth& auth, std::string_view secret_key,
                                   const VerifyOptions& options) {
  if (auth.anonymous()) {
    return AuthFailure::Of(AuthFailureKind::kMissingAuthentication, "the request carries no SigV4 credentials");
  }
  if (AuthStatus s = CheckTime(auth, options.now); !s.ok()) return s.failure();
  if (AuthStatus s = CheckSignedHeaders(request, auth); !s.ok()) return s.failure();
  if (AuthStatus s = CheckScope(auth, options); !s.ok()) return s.failure();
  const AuthResult<PayloadMode> mode = ClassifyPayload(request, auth);
  if (!mode.ok()) return mode.failure();

  VerifiedRequest verified;
  verified.payload_mode = *mode;
  if (*mode == PayloadMode::kBodySha256) {
    verified.payload_hash = std::string(options.body_sha256);
  } else if (auto header = request.Header("x-amz-content-sha256")) {
    verified.payload_hash = std::string(Trim(*header));
  } else {
    verified.payload_hash = std::string(kUnsignedPayload);  // S3 presigned URL
  }

  const std::string canonical = CanonicalRequest(request, auth, verified.payload_hash);
  const std::string string_to_sign = StringToSign(auth.amz_date, auth.scope, canonical);
  verified.signing_key = options.key_cache != nullptr ? options.key_cache->Get(secret_key, auth.scope)
                                                      : DeriveSigningKey(secret_key, auth.scope);
  const std::string expected = HmacSha256Hex(verified.signing_key, string_to_sign);
  if (!ConstantTimeEquals(expected, auth.signature)) {
    AuthFailure f = Fail(AuthFailureKind::kSignatureDoesNotMatch, auth.presigned(),
                         "The request signature we calculated does not match the signature you provided. Check your "
                         "AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                         "The Canonical String for this request should have been\n'" +
                             canonical + "'\n\nThe String-to-Sign should have been\n'" + string_to_sign + "'\n",
                         {}, "the signature over the canonical request does not match");
    f.fields = {{"AWSAccessKeyId", auth.access_key_id}, {"StringToSign", string_to_sign},
                {"SignatureProvided", auth.signature},  {"StringToSignBytes", SpacedHex(string_to_sign)},
                {"CanonicalRequest", canonical},        {"CanonicalRequestBytes", SpacedHex(canonical)}};
    f.canonical_request = canonical;
    f.string_to_sign = string_to_sign;
    return f;
  }
  verified.amz_date = auth.amz_date;
  verified.scope = auth.scope.ToString();
  verified.seed_signature = expected;
  return verified;
}

}  // namespace xacct::auth
