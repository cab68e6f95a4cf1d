// Requests signed by botocore itself (tests/auth/vectors.json, made by tests/auth/make_vectors.py): each
// must verify, must canonicalize to exactly the canonical request botocore signed, and must be refused with
// the right classified failure once any signed part is tampered with. aws-chunked bodies must decode to
// their payload whatever the size of the pieces they arrive in.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/chunked_payload.h"
#include "auth/sigv4.h"
#include "common/json.h"

namespace xacct::auth {
namespace {

std::string Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0;
  unsigned buffer = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

// A vector's request, owning the strings its HttpRequestView borrows.
struct Request {
  std::string name, method, target;
  std::vector<std::pair<std::string, std::string>> headers;

  HttpRequestView View() const {
    HttpRequestView view{method, target, {}};
    for (const auto& [n, v] : headers) view.headers.emplace_back(n, v);
    return view;
  }
  std::string* FindHeader(std::string_view name) {
    for (auto& [n, v] : headers) {
      if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        return &v;
      }
    }
    return nullptr;
  }
};

struct Vector {
  json::object data;
  Request request;
  std::string secret, body_sha256, expect;
  Timestamp now;
};

std::vector<Vector> LoadVectors() {
  std::ifstream in(XACCT_AUTH_VECTORS);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = ParseJson(text.str());
  EXPECT_TRUE(doc.ok()) << XACCT_AUTH_VECTORS;
  std::vector<Vector> out;
  if (!doc.ok()) return out;
  for (const auto& v : doc->as_object().at("vectors").as_array()) {
    Vector vec;
    vec.data = v.as_object();
    vec.request.name = std::string(JsonString(vec.data.at("name")));
    vec.request.method = std::string(JsonString(vec.data.at("method")));
    vec.request.target = std::string(JsonString(vec.data.at("target")));
    for (const auto& h : vec.data.at("headers").as_array()) {
      vec.request.headers.emplace_back(JsonString(h.as_array()[0]), JsonString(h.as_array()[1]));
    }
    vec.secret = std::string(JsonString(vec.data.at("secret_key")));
    vec.body_sha256 = std::string(JsonString(vec.data.at("body_sha256")));
    vec.expect = std::string(JsonString(vec.data.at("expect")));
    vec.now = *ParseAmzDate(JsonString(vec.data.at("now")));
    out.push_back(std::move(vec));
  }
  return out;
}

const std::vector<Vector>& Vectors() {
  static const std::vector<Vector> vectors = LoadVectors();
  return vectors;
}

const char* KindName(AuthFailureKind kind) {
  switch (kind) {
    case AuthFailureKind::kMissingAuthentication:
      return "kMissingAuthentication";
    case AuthFailureKind::kIncompleteSignature:
      return "kIncompleteSignature";
    case AuthFailureKind::kUnsupportedAlgorithm:
      return "kUnsupportedAlgorithm";
    case AuthFailureKind::kInvalidDate:
      return "kInvalidDate";
    case AuthFailureKind::kInvalidScope:
      return "kInvalidScope";
    case AuthFailureKind::kHeadersNotSigned:
      return "kHeadersNotSigned";
    case AuthFailureKind::kSignatureDoesNotMatch:
      return "kSignatureDoesNotMatch";
    case AuthFailureKind::kRequestTimeTooSkewed:
      return "kRequestTimeTooSkewed";
    case AuthFailureKind::kExpired:
      return "kExpired";
    case AuthFailureKind::kNotYetValid:
      return "kNotYetValid";
    case AuthFailureKind::kInvalidAccessKeyId:
      return "kInvalidAccessKeyId";
    case AuthFailureKind::kInvalidToken:
      return "kInvalidToken";
    case AuthFailureKind::kExpiredToken:
      return "kExpiredToken";
    case AuthFailureKind::kMissingContentSha256:
      return "kMissingContentSha256";
    case AuthFailureKind::kInvalidContentSha256:
      return "kInvalidContentSha256";
    case AuthFailureKind::kContentSha256Mismatch:
      return "kContentSha256Mismatch";
    case AuthFailureKind::kIncompleteBody:
      return "kIncompleteBody";
    case AuthFailureKind::kBadDigest:
      return "kBadDigest";
  }
  return "?";
}

// Parses and verifies; "ok" or the failure kind's name.
std::string Outcome(const Request& request, std::string_view secret, std::string_view body_sha256, Timestamp now,
                    AuthResult<VerifiedRequest>* result_out = nullptr) {
  const HttpRequestView view = request.View();
  const AuthResult<ParsedAuth> auth = ParseAuthorization(view);
  if (!auth.ok()) return KindName(auth.failure().kind);
  AuthResult<VerifiedRequest> result =
      Verify(view, *auth, secret, VerifyOptions{.now = now, .body_sha256 = body_sha256});
  std::string outcome = result.ok() ? "ok" : KindName(result.failure().kind);
  if (result_out != nullptr) *result_out = std::move(result);
  return outcome;
}

TEST(SigV4VectorsTest, CoverTheRequestShapesOfTheBrief) {
  ASSERT_GE(Vectors().size(), 16U);
  std::set<std::string> names;
  for (const auto& v : Vectors()) names.insert(v.request.name);
  for (const char* required :
       {"iam_list_users_query_post", "glue_get_table_json_post", "s3_get_object_key_needing_encoding",
        "s3_get_object_dot_segments_not_normalized", "s3_presigned_get", "s3_presigned_get_past_expiry",
        "sts_get_caller_identity_session_token", "json_post_repeated_header_values", "s3_put_streaming_signed",
        "s3_put_streaming_signed_trailer", "s3_put_unsigned_trailer", "s3_chunked_upload_aws_document_example"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
}

TEST(SigV4VectorsTest, EachSignedRequestVerifiesAsBotocoreSignedIt) {
  for (const auto& v : Vectors()) {
    AuthResult<VerifiedRequest> result = AuthFailure::Of(AuthFailureKind::kIncompleteSignature);
    EXPECT_EQ(Outcome(v.request, v.secret, v.body_sha256, v.now, &result), v.expect) << v.request.name;
    if (!result.ok()) {
      EXPECT_EQ(result.failure().canonical_request, "") << v.request.name;
      continue;
    }
    if (const auto* canonical = v.data.if_contains("canonical_request"); canonical && canonical->is_string()) {
      const HttpRequestView view = v.request.View();
      const auto auth = ParseAuthorization(view);
      ASSERT_TRUE(auth.ok());
      EXPECT_EQ(CanonicalRequest(view, *auth, result->payload_hash), JsonString(*canonical)) << v.request.name;
    }
  }
}

TEST(SigV4VectorsTest, TamperingWithASignedPartIsRefused) {
  for (const auto& v : Vectors()) {
    if (v.expect != "ok") continue;
    const HttpRequestView view = v.request.View();
    const auto auth = ParseAuthorization(view);
    ASSERT_TRUE(auth.ok()) << v.request.name;
    SCOPED_TRACE(v.request.name);
    const auto outcome = [&](const Request& r, std::string_view secret = {}, std::string_view body = {}) {
      return Outcome(r, secret.empty() ? v.secret : secret, body.empty() ? v.body_sha256 : body, v.now);
    };

    // A signed header's value (other than the dates and the payload hash, which have their own cases).
    for (const std::string& name : auth->signed_headers) {
      if (name == "x-amz-date" || name == "date" || name == "x-amz-content-sha256") continue;
      Request r = v.request;
      std::string* value = r.FindHeader(name);
      ASSERT_NE(value, nullptr) << name;
      *value += "x";
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "header " << name;
      break;
    }
    {
      Request r = v.request;
      r.target.insert(r.target.find('?') == std::string::npos ? r.target.size() : r.target.find('?'), "x");
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "path";
    }
    {
      Request r = v.request;
      r.target += r.target.find('?') == std::string::npos ? "?tampered=1" : "&tampered=1";
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "query";
    }
    EXPECT_EQ(outcome(v.request, "wrong-secret"), "kSignatureDoesNotMatch") << "secret";

    if (auto mode = ClassifyPayload(view, *auth); mode.ok() && *mode == PayloadMode::kBodySha256) {
      EXPECT_EQ(outcome(v.request, {}, Sha256Hex("tampered body")), "kSignatureDoesNotMatch") << "body hash";
    } else if (mode.ok() && *mode == PayloadMode::kDeclaredSha256) {
      Request r = v.request;
      *r.FindHeader("x-amz-content-sha256") = Sha256Hex("tampered body");
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "declared body hash";
    }

    // The request time: one second later is another signature; an hour earlier is out of the window.
    if (auth->presigned()) {
      Request r = v.request;
      const size_t at = r.target.find("X-Amz-Date=") + 11;
      const std::string later = FormatAmzDate(auth->request_time + std::chrono::seconds(1));
      r.target.replace(at, 16, later);
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "X-Amz-Date";
    } else if (view.Header("x-amz-date").has_value()) {
      Request r = v.request;
      *r.FindHeader("x-amz-date") = FormatAmzDate(auth->request_time + std::chrono::seconds(1));
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "X-Amz-Date";
      *r.FindHeader("x-amz-date") = FormatAmzDate(auth->request_time - std::chrono::hours(1));
      const std::string expected = auth->request_time - std::chrono::hours(1) < v.now - kMaxClockSkew
                                       ? "kRequestTimeTooSkewed"
                                       : "kSignatureDoesNotMatch";
      EXPECT_EQ(outcome(r), expected) << "X-Amz-Date an hour earlier";
    } else {
      Request r = v.request;
      *r.FindHeader("date") = "Wed, 01 May 2024 12:00:01 GMT";
      EXPECT_EQ(outcome(r), "kSignatureDoesNotMatch") << "Date";
    }

    // The server's clock: 16 minutes on is too late for header auth and for non-S3 presigned URLs;
    // an S3 presigned URL lives until X-Amz-Expires.
    const Timestamp late = auth->request_time + std::chrono::minutes(16);
    std::string expected_late = "kRequestTimeTooSkewed";
    if (auth->presigned() && auth->scope.UsesS3Rules()) {
      expected_late = auth->expires_seconds >= 960 ? "ok" : "kExpired";
    }
    EXPECT_EQ(Outcome(v.request, v.secret, v.body_sha256, late), expected_late) << "clock";
  }
}

// Feeds `wire` in pieces of `piece` bytes (0: all at once).
AuthStatus Decode(ChunkedPayloadDecoder& decoder, std::string_view wire, size_t piece, std::string& out) {
  if (piece == 0) piece = wire.size();
  for (size_t at = 0; at < wire.size(); at += piece) {
    if (AuthStatus s = decoder.Feed(wire.substr(at, piece), out); !s.ok()) return s;
  }
  return decoder.Finish();
}

TEST(SigV4VectorsTest, ChunkedBodiesDecodeToTheirPayloadInAnyPieces) {
  int streams = 0;
  for (const auto& v : Vectors()) {
    const auto* chunked = v.data.if_contains("chunked");
    if (chunked == nullptr) continue;
    ++streams;
    SCOPED_TRACE(v.request.name);
    const HttpRequestView view = v.request.View();
    const auto auth = ParseAuthorization(view);
    ASSERT_TRUE(auth.ok());
    const auto verified = Verify(view, *auth, v.secret, VerifyOptions{.now = v.now});
    ASSERT_TRUE(verified.ok()) << verified.failure().detail;
    ASSERT_TRUE(IsStreaming(verified->payload_mode));
    const json::object& c = chunked->as_object();
    const std::string wire = Base64Decode(JsonString(c.at("wire_base64")));
    for (size_t piece : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}, size_t{65537}}) {
      auto decoder = ChunkedPayloadDecoder::Create(view, *verified);
      ASSERT_TRUE(decoder.ok());
      std::string payload;
      const AuthStatus s = Decode(*decoder, wire, piece, payload);
      ASSERT_TRUE(s.ok()) << "piece " << piece << ": " << s.failure().detail;
      EXPECT_EQ(Sha256Hex(payload), JsonString(c.at("payload_sha256"))) << piece;
      EXPECT_EQ(decoder->decoded_bytes(), c.at("payload_length").to_number<std::uint64_t>());
      std::vector<std::pair<std::string, std::string>> trailers;
      for (const auto& t : c.at("trailers").as_array()) {
        trailers.emplace_back(JsonString(t.as_array()[0]), JsonString(t.as_array()[1]));
      }
      EXPECT_EQ(decoder->trailers(), trailers);
    }

    const bool signed_chunks = verified->payload_mode != PayloadMode::kStreamingUnsignedTrailer;
    {  // One payload byte changed: the chunk's signature no longer matches; without chunk signatures the
       // trailing checksum (x-amz-checksum-crc32) catches it.
      std::string bad = wire;
      bad[bad.find("\r\n") + 10] ^= 1;
      auto decoder = ChunkedPayloadDecoder::Create(view, *verified);
      std::string payload;
      const AuthStatus s = Decode(*decoder, bad, 1000, payload);
      ASSERT_FALSE(s.ok());
      if (signed_chunks) {
        EXPECT_EQ(KindName(s.failure().kind), std::string("kSignatureDoesNotMatch"));
        EXPECT_EQ(AuthFailureError(s.failure(), Protocol::kRestXml).code, "SignatureDoesNotMatch");
      } else {
        EXPECT_EQ(KindName(s.failure().kind), std::string("kBadDigest"));
        const AwsError e = AuthFailureError(s.failure(), Protocol::kRestXml);
        EXPECT_EQ(e.code, "BadDigest");
        EXPECT_EQ(e.message, "The CRC32 you specified did not match the calculated checksum.");
      }
    }
    {  // Cut short: the body ended unexpectedly, or not as many bytes as declared.
      auto decoder = ChunkedPayloadDecoder::Create(view, *verified);
      std::string payload;
      const AuthStatus s = Decode(*decoder, std::string_view(wire).substr(0, wire.size() - 20), 0, payload);
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(KindName(s.failure().kind), std::string("kIncompleteBody"));
    }
    {  // A decoded length other than x-amz-decoded-content-length.
      Request r = v.request;
      *r.FindHeader("x-amz-decoded-content-length") = "5";
      auto decoder = ChunkedPayloadDecoder::Create(r.View(), *verified);
      ASSERT_TRUE(decoder.ok());
      std::string payload;
      const AuthStatus s = Decode(*decoder, wire, 0, payload);
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(AuthFailureError(s.failure(), Protocol::kRestXml).message,
                "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
  }
  EXPECT_EQ(streams, 4);
}

}  // namespace
}  // namespace xacct::auth
