// SigV4 pieces as the AWS documents define them: URI encoding, canonical URI/query/headers ("Create a
// canonical request"), dates, the signing key ("Calculate the signature"), and the AWS error each failure
// becomes per protocol. Parsing and Verify are in sigv4_verify_test.cpp; whole requests signed by real
// clients in sigv4_vectors_test.cpp.
#include "auth/sigv4.h"

#include <gtest/gtest.h>

namespace xacct::auth {
namespace {

// ---- Encoding and canonical forms ("Create a canonical request") ----

struct EncodeCase {
  const char* text;
  bool encode_slash;
  const char* encoded;
};

TEST(SigV4EncodingTest, UriEncodeKeepsOnlyUnreservedCharacters) {
  const EncodeCase cases[] = {
      {"AZaz09-._~", true, "AZaz09-._~"},
      {"a b", false, "a%20b"},
      {"a/b", false, "a/b"},
      {"a/b", true, "a%2Fb"},
      {"+=&$@!*'()", true, "%2B%3D%26%24%40%21%2A%27%28%29"},
      {"caf\xc3\xa9", true, "caf%C3%A9"},
      {"%", true, "%25"},
  };
  for (const auto& c : cases) EXPECT_EQ(UriEncode(c.text, c.encode_slash), c.encoded) << c.text;
}

TEST(SigV4EncodingTest, PercentDecodeLeavesBadEscapesAndPlusAlone) {
  EXPECT_EQ(PercentDecode("%41%2b%2B"), "A++");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%"), "%");
}

struct UriCase {
  const char* raw;
  bool s3;
  const char* canonical;
};

TEST(SigV4CanonicalTest, S3SignsThePathOnceAndAsIsOthersNormalizeAndEncodeTwice) {
  const UriCase cases[] = {
      {"/", true, "/"},
      {"", false, "/"},
      {"/a/../b//c/./d", true, "/a/../b//c/./d"},  // S3: no normalization
      {"/a/../b//c/./d", false, "/b/c/d"},         // others: RFC 3986 5.2.4 and "//" collapsed
      {"/a b", true, "/a%20b"},
      {"/a%20b", true, "/a%20b"},
      {"/a%20b", false, "/a%2520b"},  // encoded twice
      {"/%7Ekey+x=y", true, "/~key%2Bx%3Dy"},
      {"/foo/", false, "/foo/"},
      {"/..", false, "/"},
      {"/a/./b/../../c", false, "/c"},
      {"/bucket/%E2%82%AC", true, "/bucket/%E2%82%AC"},
      {"/bucket/\xe2\x82\xac", true, "/bucket/%E2%82%AC"},
  };
  for (const auto& c : cases) EXPECT_EQ(CanonicalUri(c.raw, c.s3), c.canonical) << c.raw << " s3=" << c.s3;
}

TEST(SigV4CanonicalTest, QueryIsSortedByEncodedNameThenValue) {
  EXPECT_EQ(CanonicalQueryString("b=2&a=1&a=0", false), "a=0&a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("acl", false), "acl=");
  EXPECT_EQ(CanonicalQueryString("uploads&partNumber=1", false), "partNumber=1&uploads=");
  EXPECT_EQ(CanonicalQueryString("x=a+b", false), "x=a%2Bb");
  EXPECT_EQ(CanonicalQueryString("x=a%20b&y=%7e", false), "x=a%20b&y=~");
  EXPECT_EQ(CanonicalQueryString("&&a=1&", false), "a=1");
  EXPECT_EQ(CanonicalQueryString("prefix=a/b", false), "prefix=a%2Fb");
  // Sorting is by the encoded bytes: '%' (0x25) < '-' (0x2D) < 'B' (0x42) < '_' (0x5F) < 'b' (0x62).
  EXPECT_EQ(CanonicalQueryString("a_=1&ab=1&a-=1&aB=1&a%20=1", false), "a%20=1&a-=1&aB=1&a_=1&ab=1");
}

TEST(SigV4CanonicalTest, PresignedQueryLeavesOutOnlyTheSignature) {
  const char* query = "X-Amz-Signature=abc&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host";
  EXPECT_EQ(CanonicalQueryString(query, true), "X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host");
  EXPECT_EQ(CanonicalQueryString(query, false),
            "X-Amz-Date=20240101T000000Z&X-Amz-Signature=abc&X-Amz-SignedHeaders=host");
}

TEST(SigV4CanonicalTest, HeadersAreTrimmedCollapsedAndRepeatedValuesJoined) {
  const HttpRequestView request{
      "GET", "/", {{"Host", "example.com"}, {"My-Header", "  a   b  "}, {"my-header", "c\t\td"}, {"X-Empty", ""}}};
  EXPECT_EQ(CanonicalHeaders(request, {"host", "my-header", "x-empty"}),
            "host:example.com\nmy-header:a b,c d\nx-empty:\n");
}

TEST(SigV4CanonicalTest, RequestViewSplitsTheTarget) {
  HttpRequestView r{"GET", "/p/a%20th?x=1&y", {}};
  EXPECT_EQ(r.RawPath(), "/p/a%20th");
  EXPECT_EQ(r.RawQuery(), "x=1&y");
  r.target = "http://bucket.localhost:4566/key?acl";
  EXPECT_EQ(r.RawPath(), "/key");
  EXPECT_EQ(r.RawQuery(), "acl");
  r.target = "?a=b";
  EXPECT_EQ(r.RawPath(), "/");
}

// ---- Dates ----

TEST(SigV4DateTest, AmzDateIsIso8601BasicUtc) {
  const auto t = ParseAmzDate("20240229T235959Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatAmzDate(*t), "20240229T235959Z");
  EXPECT_EQ(FormatIso8601(*t), "2024-02-29T23:59:59Z");
  for (const char* bad : {"20230229T000000Z", "20241301T000000Z", "20240101T240000Z", "20240101T000000",
                          "2024-01-01T00:00:00Z", "20240101 000000Z", "2024010AT000000Z", ""}) {
    EXPECT_FALSE(ParseAmzDate(bad).has_value()) << bad;
  }
}

TEST(SigV4DateTest, HttpDateAcceptsGmtAndNumericZones) {
  const Timestamp expected = *ParseAmzDate("20240501T120000Z");
  EXPECT_EQ(ParseHttpDate("Wed, 01 May 2024 12:00:00 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Wed, 01 May 2024 12:00:00 -0000"), expected);  // botocore's formatdate()
  EXPECT_EQ(ParseHttpDate("Wed, 01 May 2024 14:00:00 +0200"), expected);
  EXPECT_EQ(ParseHttpDate("1 May 2024 12:00:00 GMT"), expected);
  EXPECT_FALSE(ParseHttpDate("Wed, 01 Foo 2024 12:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("20240501T120000Z").has_value());
}

// ---- Crypto ----

TEST(SigV4CryptoTest, SigningKeyMatchesTheAwsDocumentExample) {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  const SigningKey key =
      DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", CredentialScope{"20120215", "us-east-1", "iam"});
  std::string hex;
  for (unsigned char b : key) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xf];
  }
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4CryptoTest, GetVanillaFromTheAwsTestSuite) {
  // aws-sig-v4-test-suite "get-vanilla": GET / with host and x-amz-date signed.
  const HttpRequestView request{"GET",
                                "/",
                                {{"Host", "example.amazonaws.com"},
                                 {"X-Amz-Date", "20150830T123600Z"},
                                 {"Authorization",
                                  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                                  "SignedHeaders=host;x-amz-date, "
                                  "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}}};
  const auto auth = ParseAuthorization(request);
  ASSERT_TRUE(auth.ok());
  const auto verified = Verify(request, *auth, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                               VerifyOptions{.now = *ParseAmzDate("20150830T123600Z")});
  EXPECT_TRUE(verified.ok()) << verified.failure().detail;
}

TEST(SigV4CryptoTest, CacheGivesTheDerivedKey) {
  SigningKeyCache cache(2);
  const CredentialScope a{"20240101", "us-east-1", "s3"}, b{"20240102", "us-east-1", "s3"};
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(cache.Get("secret", a), DeriveSigningKey("secret", a));
    EXPECT_EQ(cache.Get("secret", b), DeriveSigningKey("secret", b));
    EXPECT_EQ(cache.Get("other", a), DeriveSigningKey("other", a));
  }
  EXPECT_NE(DeriveSigningKey("secret", a), DeriveSigningKey("secret", b));
}

TEST(SigV4CryptoTest, IncrementalSha256AndComparison) {
  Sha256 h;
  h.Update("hello ");
  h.Update("");
  h.Update("world");
  EXPECT_EQ(h.FinishHex(), Sha256Hex("hello world"));
  EXPECT_EQ(h.FinishHex(), kEmptySha256);  // starts over
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

// ---- The AWS error of each failure, per protocol ----

struct ErrorCase {
  AuthFailureKind kind;
  const char* rest_xml;
  int rest_xml_status;
  const char* query;
  int query_status;
  const char* json;
  int json_status;
  const char* json_message;  // nullptr: request-dependent
};

TEST(SigV4ErrorTest, EachFailureHasItsAwsErrorPerProtocol) {
  const ErrorCase cases[] = {
      {AuthFailureKind::kInvalidAccessKeyId, "InvalidAccessKeyId", 403, "InvalidClientTokenId", 403,
       "UnrecognizedClientException", 400, "The security token included in the request is invalid."},
      {AuthFailureKind::kSignatureDoesNotMatch, "SignatureDoesNotMatch", 403, "SignatureDoesNotMatch", 403,
       "InvalidSignatureException", 400,
       "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
       "Key and signing method. Consult the service documentation for details."},
      {AuthFailureKind::kRequestTimeTooSkewed, "RequestTimeTooSkewed", 403, "SignatureDoesNotMatch", 403,
       "InvalidSignatureException", 400, nullptr},
      {AuthFailureKind::kExpiredToken, "ExpiredToken", 400, "ExpiredToken", 403, "ExpiredTokenException", 400,
       "The security token included in the request is expired"},
      {AuthFailureKind::kInvalidToken, "InvalidToken", 400, "InvalidClientTokenId", 403, "UnrecognizedClientException",
       400, "The security token included in the request is invalid."},
      {AuthFailureKind::kMissingAuthentication, "AccessDenied", 403, "MissingAuthenticationToken", 403,
       "MissingAuthenticationTokenException", 400, "Request is missing Authentication Token"},
      {AuthFailureKind::kIncompleteSignature, "AuthorizationHeaderMalformed", 400, "IncompleteSignature", 400,
       "IncompleteSignatureException", 400, nullptr},
      {AuthFailureKind::kUnsupportedAlgorithm, "InvalidArgument", 400, "IncompleteSignature", 400,
       "IncompleteSignatureException", 400, nullptr},
      {AuthFailureKind::kInvalidDate, "AccessDenied", 403, "IncompleteSignature", 400, "IncompleteSignatureException",
       400, nullptr},
      {AuthFailureKind::kInvalidScope, "AuthorizationHeaderMalformed", 400, "SignatureDoesNotMatch", 403,
       "InvalidSignatureException", 400, nullptr},
      {AuthFailureKind::kHeadersNotSigned, "AccessDenied", 403, "SignatureDoesNotMatch", 403,
       "InvalidSignatureException", 400, nullptr},
      {AuthFailureKind::kExpired, "AccessDenied", 403, "SignatureDoesNotMatch", 403, "InvalidSignatureException", 400,
       "Request has expired"},
      {AuthFailureKind::kNotYetValid, "AccessDenied", 403, "SignatureDoesNotMatch", 403, "InvalidSignatureException",
       400, "Request is not yet valid"},
      {AuthFailureKind::kMissingContentSha256, "InvalidRequest", 400, "IncompleteSignature", 400,
       "IncompleteSignatureException", 400, "Missing required header for this request: x-amz-content-sha256"},
      {AuthFailureKind::kInvalidContentSha256, "InvalidArgument", 400, "IncompleteSignature", 400,
       "IncompleteSignatureException", 400, nullptr},
      {AuthFailureKind::kContentSha256Mismatch, "XAmzContentSHA256Mismatch", 400, "SignatureDoesNotMatch", 403,
       "InvalidSignatureException", 400, nullptr},
      {AuthFailureKind::kIncompleteBody, "IncompleteBody", 400, "IncompleteBody", 400, "IncompleteBody", 400,
       "The request body terminated unexpectedly"},
  };
  for (const auto& c : cases) {
    const AuthFailure f = AuthFailure::Of(c.kind, "why");
    const AwsError s3 = AuthFailureError(f, Protocol::kRestXml);
    const AwsError query = AuthFailureError(f, Protocol::kQuery);
    const AwsError json = AuthFailureError(f, Protocol::kJson);
    EXPECT_EQ(s3.code, c.rest_xml);
    EXPECT_EQ(s3.http_status, c.rest_xml_status) << c.rest_xml;
    EXPECT_EQ(query.code, c.query);
    EXPECT_EQ(query.http_status, c.query_status) << c.query;
    EXPECT_EQ(json.code, c.json);
    EXPECT_EQ(json.http_status, c.json_status) << c.json;
    if (c.json_message != nullptr) {
      EXPECT_EQ(json.message, c.json_message) << c.json;
    }
    EXPECT_EQ(json.detail, "why");
    EXPECT_TRUE(s3.sender_fault);
  }
  const AuthFailure unknown = AuthFailure::UnknownAccessKey("AKIAUNKNOWN");
  EXPECT_EQ(AuthFailureError(unknown, Protocol::kRestXml).message,
            "The AWS Access Key Id you provided does not exist in our records.");
  EXPECT_EQ(unknown.fields, (std::vector<std::pair<std::string, std::string>>{{"AWSAccessKeyId", "AKIAUNKNOWN"}}));
  EXPECT_EQ(AuthFailureError(AuthFailure::Of(AuthFailureKind::kExpiredToken), Protocol::kRestXml).message,
            "The provided token has expired.");
}

}  // namespace
}  // namespace xacct::auth
