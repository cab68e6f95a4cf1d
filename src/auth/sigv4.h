// AWS Signature Version 4: parsing a request's credentials, rebuilding its canonical request and
// verifying its signature the way AWS does. Follows the AWS General Reference / IAM User Guide
// "Signature Version 4 signing process", "Create a canonical request", "Create a string to sign",
// "Calculate the signature" and "Elements of an AWS API request signature"; the Amazon S3 API Reference
// "Authenticating Requests: Using the Authorization Header (AWS Signature Version 4)" and
// "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)" (presigned URLs).
// Streaming (aws-chunked) bodies are in auth/chunked_payload.h; the AWS errors each failure becomes
// are tabled in auth/sigv4_errors.cpp.
//
// Flow for a server: ParseAuthorization(request) -> anonymous, or a ParsedAuth naming an access key ->
// look the key up (unknown: AuthFailure::Of(kInvalidAccessKeyId)) -> ClassifyPayload tells whether the
// body's SHA-256 is needed -> Verify -> for streaming payloads, a ChunkedPayloadDecoder.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"

namespace xacct::auth {

//! One header line as received. Names compare case-insensitively; a name may appear more than once.
using HeaderField = std::pair<std::string_view, std::string_view>;

//! A transport-neutral view of an HTTP request head. It borrows everything and copies nothing; the body
//! is not part of it (its SHA-256, when needed, is passed to Verify).
struct HttpRequestView {
  std::string_view method;  //!< e.g. "GET", as sent
  //! The request-target as sent: "/path?query", still percent-encoded. Absolute-form
  //! ("http://host/path?query") is accepted and its scheme and authority are skipped.
  std::string_view target;
  std::vector<HeaderField> headers;  //!< in the order received

  //! The path part of the target, still percent-encoded ("/" when the target has none).
  std::string_view RawPath() const;
  //! The query part of the target without its '?', still percent-encoded.
  std::string_view RawQuery() const;
  //! The first value of header `name` (case-insensitive), if present.
  std::optional<std::string_view> Header(std::string_view name) const;
  //! Every value of header `name` (case-insensitive), in the order received.
  std::vector<std::string_view> HeaderValues(std::string_view name) const;
};

//! Seconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_seconds;

//! Parses SigV4's ISO 8601 basic format, "20240101T000000Z".
std::optional<Timestamp> ParseAmzDate(std::string_view text);
//! Formats as "20240101T000000Z".
std::string FormatAmzDate(Timestamp t);
//! Formats as "2024-01-01T00:00:00Z" (S3's ServerTime).
std::string FormatIso8601(Timestamp t);
//! Parses an HTTP Date header in the RFC 1123 form "Mon, 01 Jan 2024 00:00:00 GMT".
std::optional<Timestamp> ParseHttpDate(std::string_view text);

//! SigV4's only supported algorithm; SigV4a ("AWS4-ECDSA-P256-SHA256") is rejected.
inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
//! The literal payload hashes x-amz-content-sha256 may carry instead of a hex digest.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
//! SHA-256 of the empty string, hex.
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
//! The clock skew AWS tolerates between X-Amz-Date (or Date) and its own clock.
inline constexpr std::chrono::seconds kMaxClockSkew{15 * 60};
//! The longest validity of a presigned URL (X-Amz-Expires), seven days.
inline constexpr std::int64_t kMaxPresignExpires = 604800;

//! The scope a signature is valid for: "DATE/REGION/SERVICE/aws4_request".
struct CredentialScope {
  std::string date;  //!< YYYYMMDD
  std::string region;
  std::string service;

  //! "DATE/REGION/SERVICE/aws4_request".
  std::string ToString() const;
  //! True when the service signs the S3 way: path neither normalized nor encoded twice, and a presigned
  //! URL's payload is UNSIGNED-PAYLOAD.
  bool UsesS3Rules() const;
};

//! How a request carries its credentials.
enum class AuthMethod {
  kAnonymous,  //!< no Authorization header and no X-Amz-* signing parameters: not an error
  kHeader,     //!< Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...
  kPresigned,  //!< X-Amz-Algorithm, X-Amz-Credential, ... in the query string
};

//! What ParseAuthorization found.
struct ParsedAuth {
  AuthMethod method = AuthMethod::kAnonymous;
  std::string access_key_id;
  CredentialScope scope;
  std::vector<std::string> signed_headers;  //!< as listed, in order
  std::string signature;                    //!< hex, as sent
  std::string security_token;               //!< X-Amz-Security-Token (header or query); empty when absent
  //! The request time as it enters the string to sign: X-Amz-Date, or the Date header reformatted.
  std::string amz_date;
  Timestamp request_time{};
  std::int64_t expires_seconds = 0;  //!< presigned only: X-Amz-Expires
  std::string raw_authorization;     //!< the Authorization header as sent (AWS quotes it in some errors)

  bool anonymous() const { return method == AuthMethod::kAnonymous; }
  bool presigned() const { return method == AuthMethod::kPresigned; }
  //! The signed-headers list as it appears in the canonical request, "host;x-amz-date".
  std::string SignedHeadersString() const;
};

//! Why a request failed authentication. Each kind maps to one AWS error per protocol
//! (AuthFailureError); the table and the sources of its wording are in sigv4_errors.cpp.
enum class AuthFailureKind {
  kMissingAuthentication,  //!< no credentials where the operation needs them (decided by the caller)
  kIncompleteSignature,    //!< Authorization header or presign parameters missing or unparsable
  kUnsupportedAlgorithm,   //!< not AWS4-HMAC-SHA256 (SigV2, SigV4a, anything else)
  kInvalidDate,            //!< X-Amz-Date / Date missing or not in the required format
  kInvalidScope,           //!< credential scope date differs from X-Amz-Date, wrong service/region/terminator
  kHeadersNotSigned,       //!< Host (or, for S3, an x-amz-* header) sent but not in SignedHeaders
  kSignatureDoesNotMatch,  //!< the signature (or a chunk's or trailer's) is not the one computed
  kRequestTimeTooSkewed,   //!< header auth: more than 15 minutes between the request time and now
  kExpired,                //!< presigned URL past X-Amz-Date + X-Amz-Expires
  kNotYetValid,            //!< presigned URL dated more than 15 minutes in the future
  kInvalidAccessKeyId,     //!< no such access key (decided by the caller)
  kInvalidToken,           //!< session token missing, unknown or not matching the key (decided by the caller)
  kExpiredToken,           //!< session expired (decided by the caller)
  kMissingContentSha256,   //!< S3 header auth without x-amz-content-sha256
  kInvalidContentSha256,   //!< x-amz-content-sha256 neither a known literal nor a SHA-256 hex digest
  kContentSha256Mismatch,  //!< the body does not hash to the x-amz-content-sha256 it declared
  kIncompleteBody,         //!< aws-chunked body truncated, badly framed, or not x-amz-decoded-content-length long
  kBadDigest,              //!< a trailing x-amz-checksum-* does not match the decoded payload
};

//! A classified authentication failure. Messages that depend on the request are rendered when the failure
//! is found, in both wordings AWS uses: its JSON/query front end's and S3's.
struct AuthFailure {
  AuthFailureKind kind = AuthFailureKind::kIncompleteSignature;
  bool presigned = false;  //!< the credentials came in the query string (S3 words those errors differently)
  std::string message;     //!< JSON/query protocols' message, when it depends on the request
  std::string s3_message;  //!< S3's message, when it depends on the request
  std::string detail;      //!< xacct's own explanation (AwsError::detail)
  //! Extra elements of S3's XML error body, in the order S3 sends them (e.g. StringToSign, RequestTime).
  std::vector<std::pair<std::string, std::string>> fields;
  std::string canonical_request;  //!< kSignatureDoesNotMatch: what xacct signed
  std::string string_to_sign;     //!< kSignatureDoesNotMatch: what xacct signed

  //! A failure whose wording is fixed (the caller-decided kinds).
  static AuthFailure Of(AuthFailureKind kind, std::string detail = {});
  //! InvalidAccessKeyId for `access_key_id` (S3 echoes the key in AWSAccessKeyId).
  static AuthFailure UnknownAccessKey(std::string_view access_key_id);
};

//! The three wire protocols whose errors differ.
enum class Protocol { kRestXml, kQuery, kJson };

//! The AWS error a failure becomes under `protocol` (code, message, HTTP status; detail carried over).
//! The extra XML elements S3 sends stay in AuthFailure::fields.
AwsError AuthFailureError(const AuthFailure& failure, Protocol protocol);

//! Either a value or an AuthFailure. Check ok() before value().
template <typename T>
class [[nodiscard]] AuthResult {
 public:
  AuthResult(T value) : data_(std::move(value)) {}                // NOLINT(google-explicit-constructor)
  AuthResult(AuthFailure failure) : data_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const AuthFailure& failure() const { return std::get<1>(data_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, AuthFailure> data_;
};
using AuthStatus = AuthResult<Ok>;

//! Finds the request's credentials: the Authorization header, else the presign query parameters, else
//! none (AuthMethod::kAnonymous). Checks their syntax and the request date's; the signature, the clock
//! and the scope are Verify's.
AuthResult<ParsedAuth> ParseAuthorization(const HttpRequestView& request);

//! Where the payload hash of the canonical request comes from.
enum class PayloadMode {
  kBodySha256,               //!< no x-amz-content-sha256: the caller hashes the body for Verify
  kDeclaredSha256,           //!< x-amz-content-sha256 is a digest: the caller must check the body against it
  kUnsigned,                 //!< UNSIGNED-PAYLOAD (or an S3 presigned URL without the header)
  kStreamingSigned,          //!< STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signed
  kStreamingSignedTrailer,   //!< STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: chunks and trailer signed
  kStreamingUnsignedTrailer  //!< STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, no chunk signatures
};

//! True for the three aws-chunked modes.
bool IsStreaming(PayloadMode mode);

//! Reads x-amz-content-sha256 as the service would. S3 header auth requires it; presigned S3 URLs default
//! to UNSIGNED-PAYLOAD; other services sign the body's hash unless the header says otherwise. Streaming
//! modes need header auth (their chunk signatures chain from the Authorization signature).
AuthResult<PayloadMode> ClassifyPayload(const HttpRequestView& request, const ParsedAuth& auth);

//! A derived SigV4 signing key (HMAC chain over date, region, service, "aws4_request").
using SigningKey = std::array<unsigned char, 32>;

//! kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
SigningKey DeriveSigningKey(std::string_view secret_key, const CredentialScope& scope);

//! A thread-safe, bounded cache of signing keys per (secret, date, region, service): a key is valid for a
//! day, so a busy server derives each once. Keys are indexed by a digest of the secret, not the secret.
class SigningKeyCache {
 public:
  explicit SigningKeyCache(size_t capacity = 1024) : capacity_(capacity) {}
  //! The signing key, derived on a miss.
  SigningKey Get(std::string_view secret_key, const CredentialScope& scope);

 private:
  std::mutex mutex_;
  size_t capacity_;
  std::map<std::string, SigningKey> keys_;
};

//! RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~) kept, every
//! other byte as %XX with upper-case hex; '/' kept unless `encode_slash`.
std::string UriEncode(std::string_view text, bool encode_slash);
//! Decodes %XX escapes; a '%' not followed by two hex digits stays as it is; '+' stays '+'.
std::string PercentDecode(std::string_view text);

//! The canonical URI of a raw (as-sent) path. S3: each segment URI-encoded once, no normalization.
//! Other services: '.'/'..' segments resolved and empty segments dropped (RFC 3986 5.2.4 plus AWS's "//"
//! rule), then encoded again (the path is encoded twice).
std::string CanonicalUri(std::string_view raw_path, bool s3_rules);
//! The canonical query string of a raw query: each name and value decoded then URI-encoded, sorted by name
//! then value, "name=value" joined with '&'. `presigned` leaves X-Amz-Signature out.
std::string CanonicalQueryString(std::string_view raw_query, bool presigned);
//! "name:value\n" for each signed header: all of the request's values for that name, each trimmed with
//! inner runs of white space collapsed to one space, joined with ','.
std::string CanonicalHeaders(const HttpRequestView& request, const std::vector<std::string>& signed_headers);
//! The whole canonical request: method, URI, query, headers, signed headers, payload hash.
std::string CanonicalRequest(const HttpRequestView& request, const ParsedAuth& auth, std::string_view payload_hash);
//! "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + hex(SHA-256(canonical_request)).
std::string StringToSign(std::string_view amz_date, const CredentialScope& scope, std::string_view canonical_request);

//! Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
//! Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(const SigningKey& key, std::string_view data);
//! Compares in time independent of where the strings differ (their lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

//! Incremental SHA-256, for hashing a body as it streams in.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  //! The lower-case hex digest; the hasher starts over afterwards.
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept out of this header
};

//! What Verify checks against besides the signature.
struct VerifyOptions {
  Timestamp now{};  //!< the server's clock
  //! Lower-case hex SHA-256 of the body; used only when ClassifyPayload says kBodySha256.
  std::string_view body_sha256 = kEmptySha256;
  std::string_view expected_service;     //!< when set, the credential scope must name this service
  std::string_view expected_region;      //!< when set, the credential scope must name this region
  SigningKeyCache* key_cache = nullptr;  //!< optional; derives the key afresh when null
};

//! A verified request: what the chunk decoder needs to check the chunk signatures that follow.
struct VerifiedRequest {
  PayloadMode payload_mode = PayloadMode::kBodySha256;
  std::string payload_hash;  //!< as signed in the canonical request
  SigningKey signing_key{};
  std::string amz_date;
  std::string scope;           //!< CredentialScope::ToString()
  std::string seed_signature;  //!< the request's signature, lower-case hex: the first chunk chains from it
};

//! Checks the request time (15 minutes of skew for header auth; X-Amz-Expires for presigned URLs), the
//! credential scope, the signed-header rules and the signature, given the secret of the access key the
//! caller looked up. On a signature mismatch the failure carries the canonical request and string to sign.
AuthResult<VerifiedRequest> Verify(const HttpRequestView& request, const ParsedAuth& auth, std::string_view secret_key,
                                   const VerifyOptions& options);

}  // namespace xacct::auth
