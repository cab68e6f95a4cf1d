// SigV4 credentials parsed and verified as AWS does: where each kind of malformed credential is refused and
// with which words (AWS General Reference "Elements of an AWS API request signature"; S3 API Reference
// "Authenticating Requests: Using Query Parameters"), then Verify's clock, scope, signed-header and payload
// rules on requests signed here with the library's own pieces and bent one way at a time.
#include <gtest/gtest.h>

#include "auth/sigv4.h"

namespace xacct::auth {
namespace {
// ---- Parsing credentials ----

constexpr const char* kCredential = "AKIDEXAMPLE/20240101/us-east-1/sts/aws4_request";

struct ParseCase {
  const char* name;
  std::vector<std::pair<std::string, std::string>> headers;  // owned: the views below borrow them
  const char* target;
  const char* outcome;      // "anonymous", "header", "presigned" or a failure kind
  const char* message_has;  // part of the JSON/query message ("" to skip)
  const char* s3_code;      // the rest-xml error code ("" to skip)
};

const char* Name(AuthFailureKind kind) {
  switch (kind) {
    case AuthFailureKind::kIncompleteSignature:
      return "kIncompleteSignature";
    case AuthFailureKind::kUnsupportedAlgorithm:
      return "kUnsupportedAlgorithm";
    case AuthFailureKind::kInvalidDate:
      return "kInvalidDate";
    case AuthFailureKind::kInvalidScope:
      return "kInvalidScope";
    default:
      return "other";
  }
}

TEST(SigV4ParseTest, CredentialsAreFoundOrRefusedAsAwsDoes) {
  const std::string good =
      std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ", SignedHeaders=host;x-amz-date, Signature=abcd";
  const std::pair<std::string, std::string> date{"X-Amz-Date", "20240101T000000Z"};
  const std::vector<ParseCase> cases = {
      {"no credentials at all", {{"Host", "h"}}, "/?Action=GetCallerIdentity", "anonymous", "", ""},
      {"header", {{"Authorization", good}, date}, "/", "header", "", ""},
      {"header without spaces after commas",
       {{"Authorization",
         std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ",SignedHeaders=host,Signature=ab"},
        date},
       "/",
       "header",
       "",
       ""},
      {"missing Signature",
       {{"Authorization", std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ", SignedHeaders=host"}, date},
       "/",
       "kIncompleteSignature",
       "Authorization header requires 'Signature' parameter. Authorization=AWS4",
       "AuthorizationHeaderMalformed"},
      {"no date header",
       {{"Authorization", good}},
       "/",
       "kInvalidDate",
       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
       "AccessDenied"},
      {"bad X-Amz-Date",
       {{"Authorization", good}, {"X-Amz-Date", "2024-01-01"}},
       "/",
       "kInvalidDate",
       "Date must be in ISO-8601 'basic format'. Got '2024-01-01'.",
       "AccessDenied"},
      {"SigV4a",
       {{"Authorization",
         "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, "
         "SignedHeaders=host, Signature=30440220"},
        date},
       "/",
       "kUnsupportedAlgorithm",
       "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'",
       "InvalidArgument"},
      {"not SigV4 at all",
       {{"Authorization", "Bearer token"}, date},
       "/",
       "kUnsupportedAlgorithm",
       "Authorization header requires 'Credential' parameter.",
       "InvalidArgument"},
      {"credential with four parts",
       {{"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/aws4_request, SignedHeaders=host, "
         "Signature=ab"},
        date},
       "/",
       "kIncompleteSignature",
       "Credential must have exactly 5 slash-delimited elements",
       "AuthorizationHeaderMalformed"},
      {"credential with a wrong terminator",
       {{"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws5_request, "
         "SignedHeaders=host, Signature=ab"},
        date},
       "/",
       "kInvalidScope",
       "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'",
       "AuthorizationHeaderMalformed"},
      {"presigned",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "presigned",
       "",
       ""},
      {"presigned without X-Amz-Expires",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "kIncompleteSignature",
       "Re-examine the query-string parameters.",
       "AuthorizationQueryParametersError"},
      {"presigned without X-Amz-Credential",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab",
       "kIncompleteSignature",
       "AWS query-string parameters must include 'X-Amz-Credential'.",
       "AuthorizationQueryParametersError"},
      {"presigned for more than a week",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "kIncompleteSignature",
       "X-Amz-Expires must be less than a week",
       "AuthorizationQueryParametersError"},
      {"presigned with negative expiry",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=-1&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "kIncompleteSignature",
       "X-Amz-Expires must be non-negative",
       "AuthorizationQueryParametersError"},
      {"presigned with a non-numeric expiry",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=1h&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "kIncompleteSignature",
       "X-Amz-Expires should be a number",
       "AuthorizationQueryParametersError"},
      {"presigned with a bad date",
       {},
       "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
       "&X-Amz-Date=yesterday&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
       "kInvalidDate",
       "Date must be in ISO-8601 'basic format'",
       "AuthorizationQueryParametersError"},
      {"presigned SigV4a",
       {},
       "/k?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=x&X-Amz-Signature=ab",
       "kUnsupportedAlgorithm",
       "Unsupported AWS 'algorithm'",
       "AuthorizationQueryParametersError"},
  };
  for (const auto& c : cases) {
    HttpRequestView request{"GET", c.target, {}};
    for (const auto& [n, v] : c.headers) request.headers.emplace_back(n, v);
    const auto auth = ParseAuthorization(request);
    if (!auth.ok()) {
      EXPECT_STREQ(Name(auth.failure().kind), c.outcome) << c.name;
      EXPECT_NE(auth.failure().message.find(c.message_has), std::string::npos)
          << c.name << ": " << auth.failure().message;
      if (*c.s3_code != 0) {
        EXPECT_EQ(AuthFailureError(auth.failure(), Protocol::kRestXml).code, c.s3_code) << c.name;
      }
      continue;
    }
    const char* method = auth->anonymous() ? "anonymous" : auth->presigned() ? "presigned" : "header";
    EXPECT_STREQ(method, c.outcome) << c.name;
  }
}

TEST(SigV4ParseTest, ParsedFieldsAndSecurityToken) {
  const std::string authorization = std::string("AWS4-HMAC-SHA256 Credential=") + kCredential +
                                    ", SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=abcd";
  const HttpRequestView header_auth{
      "POST",
      "/",
      {{"authorization", authorization}, {"x-amz-date", "20240101T000000Z"}, {"X-Amz-Security-Token", "token/+="}}};
  const auto a = ParseAuthorization(header_auth);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(a->scope.ToString(), "20240101/us-east-1/sts/aws4_request");
  EXPECT_EQ(a->SignedHeadersString(), "host;x-amz-date;x-amz-security-token");
  EXPECT_EQ(a->signature, "abcd");
  EXPECT_EQ(a->security_token, "token/+=");
  EXPECT_EQ(a->amz_date, "20240101T000000Z");

  const HttpRequestView presigned{"GET",
                                  "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1"
                                  "%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604800"
                                  "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%2Bb%3D&X-Amz-Signature=ab",
                                  {}};
  const auto p = ParseAuthorization(presigned);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->presigned());
  EXPECT_EQ(p->expires_seconds, 604800);
  EXPECT_EQ(p->security_token, "a+b=");

  const std::string date_authorization =
      std::string("AWS4-HMAC-SHA256 Credential=") + kCredential + ", SignedHeaders=date;host, Signature=ab";
  const HttpRequestView date_header{
      "GET", "/", {{"Authorization", date_authorization}, {"Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}};
  const auto d = ParseAuthorization(date_header);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->amz_date, "20240101T000000Z");  // the string to sign carries ISO 8601 basic
}

// ---- Verify: a request signed here with the library's own pieces, then bent one way at a time ----

struct Signed {
  std::string method = "POST";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  HttpRequestView View() const {
    HttpRequestView v{method, target, {}};
    for (const auto& [n, val] : headers) v.headers.emplace_back(n, val);
    return v;
  }
};

constexpr const char* kSecret = "secret/key+example";

// Signs `r` for `scope` with the given signed headers at `amz_date` and adds the Authorization header.
void SignRequest(Signed& r, const CredentialScope& scope, std::vector<std::string> signed_headers,
                 const std::string& amz_date, std::string_view payload_hash) {
  ParsedAuth auth;
  auth.method = AuthMethod::kHeader;
  auth.scope = scope;
  auth.signed_headers = std::move(signed_headers);
  const std::string canonical = CanonicalRequest(r.View(), auth, payload_hash);
  const std::string signature =
      HmacSha256Hex(DeriveSigningKey(kSecret, scope), StringToSign(amz_date, scope, canonical));
  r.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/" + scope.ToString() + ", SignedHeaders=" +
                                              auth.SignedHeadersString() + ", Signature=" + signature);
}

AuthResult<VerifiedRequest> VerifyAt(const Signed& r, const std::string& now, VerifyOptions options = {}) {
  const auto auth = ParseAuthorization(r.View());
  if (!auth.ok()) return auth.failure();
  options.now = *ParseAmzDate(now);
  return Verify(r.View(), *auth, kSecret, options);
}

Signed JsonRequest(const std::string& amz_date, const std::string& scope_date = "20240101") {
  Signed r;
  r.headers = {{"Host", "localhost:4566"}, {"X-Amz-Date", amz_date}, {"X-Amz-Target", "AWSGlue.GetTable"}};
  SignRequest(r, CredentialScope{scope_date, "us-east-1", "glue"}, {"host", "x-amz-date", "x-amz-target"}, amz_date,
              kEmptySha256);
  return r;
}

TEST(SigV4VerifyTest, ClockSkewOfFifteenMinutesIsToleratedAndNoMore) {
  const Signed r = JsonRequest("20240101T000000Z");
  EXPECT_TRUE(VerifyAt(r, "20240101T000000Z").ok());
  EXPECT_TRUE(VerifyAt(r, "20240101T001500Z").ok());
  EXPECT_TRUE(VerifyAt(r, "20231231T234500Z").ok());

  const auto late = VerifyAt(r, "20240101T003000Z");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.failure().kind, AuthFailureKind::kRequestTimeTooSkewed);
  const AwsError json = AuthFailureError(late.failure(), Protocol::kJson);
  EXPECT_EQ(json.code, "InvalidSignatureException");
  EXPECT_EQ(json.http_status, 400);
  EXPECT_EQ(json.message,
            "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)");
  const AwsError query = AuthFailureError(late.failure(), Protocol::kQuery);
  EXPECT_EQ(query.code, "SignatureDoesNotMatch");
  EXPECT_EQ(query.http_status, 403);
  EXPECT_EQ(query.message, json.message);
  const AwsError s3 = AuthFailureError(late.failure(), Protocol::kRestXml);
  EXPECT_EQ(s3.code, "RequestTimeTooSkewed");
  EXPECT_EQ(s3.message, "The difference between the request time and the current time is too large.");
  const std::vector<std::pair<std::string, std::string>> fields = {{"RequestTime", "20240101T000000Z"},
                                                                   {"ServerTime", "2024-01-01T00:30:00Z"},
                                                                   {"MaxAllowedSkewMilliseconds", "900000"}};
  EXPECT_EQ(late.failure().fields, fields);

  const auto early = VerifyAt(r, "20231231T234459Z");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(AuthFailureError(early.failure(), Protocol::kJson).message,
            "Signature not yet current: 20240101T000000Z is still later than 20231231T235959Z "
            "(20231231T234459Z + 15 min.)");
}

TEST(SigV4VerifyTest, ScopeMustMatchTheRequestDateServiceAndRegion) {
  const Signed r = JsonRequest("20240101T000000Z", "20240102");
  const auto f = VerifyAt(r, "20240101T000000Z");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.failure().kind, AuthFailureKind::kInvalidScope);
  EXPECT_EQ(AuthFailureError(f.failure(), Protocol::kJson).message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240102' != "
            "'20240101', from '20240101T000000Z'.");
  EXPECT_EQ(AuthFailureError(f.failure(), Protocol::kRestXml).message,
            "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");

  const Signed ok = JsonRequest("20240101T000000Z");
  const auto service = VerifyAt(ok, "20240101T000000Z", VerifyOptions{.expected_service = "athena"});
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(AuthFailureError(service.failure(), Protocol::kJson).message,
            "Credential should be scoped to correct service: 'athena'. ");
  const auto region = VerifyAt(ok, "20240101T000000Z", VerifyOptions{.expected_region = "eu-west-1"});
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(AuthFailureError(region.failure(), Protocol::kQuery).message,
            "Credential should be scoped to a valid region, not 'us-east-1'. ");
  EXPECT_EQ(AuthFailureError(region.failure(), Protocol::kRestXml).message,
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
  EXPECT_TRUE(
      VerifyAt(ok, "20240101T000000Z", VerifyOptions{.expected_service = "glue", .expected_region = "us-east-1"}).ok());
}

TEST(SigV4VerifyTest, HostMustBeSignedAndForS3EveryXAmzHeader) {
  Signed r;
  r.headers = {{"Host", "h"}, {"X-Amz-Date", "20240101T000000Z"}};
  SignRequest(r, CredentialScope{"20240101", "us-east-1", "glue"}, {"x-amz-date"}, "20240101T000000Z", kEmptySha256);
  const auto f = VerifyAt(r, "20240101T000000Z");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.failure().kind, AuthFailureKind::kHeadersNotSigned);
  EXPECT_EQ(AuthFailureError(f.failure(), Protocol::kJson).message,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

  Signed s3;
  s3.method = "PUT";
  s3.target = "/b/k";
  s3.headers = {{"Host", "h"},
                {"X-Amz-Date", "20240101T000000Z"},
                {"x-amz-content-sha256", std::string(kUnsignedPayload)},
                {"X-Amz-Meta-Owner", "me"}};
  SignRequest(s3, CredentialScope{"20240101", "us-east-1", "s3"}, {"host", "x-amz-content-sha256", "x-amz-date"},
              "20240101T000000Z", kUnsignedPayload);
  const auto g = VerifyAt(s3, "20240101T000000Z");
  ASSERT_FALSE(g.ok());
  const AwsError e = AuthFailureError(g.failure(), Protocol::kRestXml);
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "There were headers present in the request which were not signed");
  EXPECT_EQ(g.failure().fields,
            (std::vector<std::pair<std::string, std::string>>{{"HeadersNotSigned", "x-amz-meta-owner"}}));
}

TEST(SigV4VerifyTest, S3PayloadHashRules) {
  const CredentialScope scope{"20240101", "us-east-1", "s3"};
  const auto signed_with = [&](std::optional<std::string> content_sha256) {
    Signed r;
    r.method = "GET";
    r.target = "/b/k";
    r.headers = {{"Host", "h"}, {"X-Amz-Date", "20240101T000000Z"}};
    std::vector<std::string> names = {"host", "x-amz-date"};
    if (content_sha256) {
      r.headers.emplace_back("x-amz-content-sha256", *content_sha256);
      names = {"host", "x-amz-content-sha256", "x-amz-date"};
    }
    SignRequest(r, scope, names, "20240101T000000Z", content_sha256.value_or(std::string(kEmptySha256)));
    return VerifyAt(r, "20240101T000000Z");
  };
  const auto missing = signed_with(std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(AuthFailureError(missing.failure(), Protocol::kRestXml).message,
            "Missing required header for this request: x-amz-content-sha256");
  const auto bad = signed_with("sha256-of-nothing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(AuthFailureError(bad.failure(), Protocol::kRestXml).code, "InvalidArgument");
  const auto sigv4a = signed_with("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");
  ASSERT_FALSE(sigv4a.ok());
  EXPECT_EQ(sigv4a.failure().kind, AuthFailureKind::kUnsupportedAlgorithm);

  const struct {
    std::string_view literal;
    PayloadMode mode;
  } modes[] = {{kUnsignedPayload, PayloadMode::kUnsigned},
               {kStreamingPayload, PayloadMode::kStreamingSigned},
               {kStreamingPayloadTrailer, PayloadMode::kStreamingSignedTrailer},
               {kStreamingUnsignedTrailer, PayloadMode::kStreamingUnsignedTrailer},
               {kEmptySha256, PayloadMode::kDeclaredSha256}};
  for (const auto& m : modes) {
    const auto v = signed_with(std::string(m.literal));
    ASSERT_TRUE(v.ok()) << m.literal;
    EXPECT_EQ(v->payload_mode, m.mode) << m.literal;
    EXPECT_EQ(v->payload_hash, m.literal);
  }
}

TEST(SigV4VerifyTest, PresignedS3UrlsLiveUntilTheirExpiry) {
  // Signed here the way S3SigV4QueryAuth does: host only, UNSIGNED-PAYLOAD, X-Amz-Signature last.
  const CredentialScope scope{"20240101", "us-east-1", "s3"};
  const std::string query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
  Signed r;
  r.method = "GET";
  r.target = "/b/k?" + query;
  r.headers = {{"Host", "h"}};
  ParsedAuth auth;
  auth.method = AuthMethod::kPresigned;
  auth.scope = scope;
  auth.signed_headers = {"host"};
  const std::string signature =
      HmacSha256Hex(DeriveSigningKey(kSecret, scope),
                    StringToSign("20240101T000000Z", scope, CanonicalRequest(r.View(), auth, kUnsignedPayload)));
  r.target += "&X-Amz-Signature=" + signature;

  EXPECT_TRUE(VerifyAt(r, "20240101T000500Z").ok());
  EXPECT_TRUE(VerifyAt(r, "20231231T234500Z").ok());  // up to 15 minutes early is fine
  const auto expired = VerifyAt(r, "20240101T000501Z");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.failure().kind, AuthFailureKind::kExpired);
  const AwsError e = AuthFailureError(expired.failure(), Protocol::kRestXml);
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "Request has expired");
  EXPECT_EQ(
      expired.failure().fields,
      (std::vector<std::pair<std::string, std::string>>{
          {"X-Amz-Expires", "300"}, {"Expires", "2024-01-01T00:05:00Z"}, {"ServerTime", "2024-01-01T00:05:01Z"}}));
  const auto future = VerifyAt(r, "20231231T234459Z");
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(AuthFailureError(future.failure(), Protocol::kRestXml).message, "Request is not yet valid");
}

TEST(SigV4VerifyTest, SignatureMismatchCarriesWhatWasSigned) {
  Signed r = JsonRequest("20240101T000000Z");
  r.headers[2].second = "AWSGlue.GetTables";
  const auto f = VerifyAt(r, "20240101T000000Z");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.failure().kind, AuthFailureKind::kSignatureDoesNotMatch);
  EXPECT_EQ(f.failure().canonical_request,
            "POST\n/\n\nhost:localhost:4566\nx-amz-date:20240101T000000Z\nx-amz-target:AWSGlue.GetTables\n\n"
            "host;x-amz-date;x-amz-target\n" +
                std::string(kEmptySha256));
  EXPECT_EQ(
      f.failure().string_to_sign.find("AWS4-HMAC-SHA256\n20240101T000000Z\n20240101/us-east-1/glue/aws4_request\n"),
      0U);
  const AwsError json = AuthFailureError(f.failure(), Protocol::kJson);
  EXPECT_EQ(json.code, "InvalidSignatureException");
  EXPECT_EQ(
      json.message.find("The request signature we calculated does not match the signature you provided. "
                        "Check your AWS Secret Access Key and signing method. Consult the service "
                        "documentation for details.\n\nThe Canonical String for this request should have been\n'"),
      0U);
  const AwsError s3 = AuthFailureError(f.failure(), Protocol::kRestXml);
  EXPECT_EQ(s3.message,
            "The request signature we calculated does not match the signature you provided. Check your key and "
            "signing method.");
  ASSERT_EQ(f.failure().fields.size(), 6U);
  EXPECT_EQ(f.failure().fields[0], (std::pair<std::string, std::string>{"AWSAccessKeyId", "AKID"}));
  EXPECT_EQ(f.failure().fields[3].second.substr(0, 14), "41 57 53 34 2d");
}

TEST(SigV4VerifyTest, AnonymousRequestsAreNotVerifiable) {
  const HttpRequestView r{"GET", "/", {{"Host", "h"}}};
  const auto auth = ParseAuthorization(r);
  ASSERT_TRUE(auth.ok());
  EXPECT_TRUE(auth->anonymous());
  const auto v = Verify(r, *auth, "", VerifyOptions{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(AuthFailureError(v.failure(), Protocol::kJson).code, "MissingAuthenticationTokenException");
}

}  // namespace
}  // namespace xacct::auth
