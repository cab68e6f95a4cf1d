// The AWS error each authentication failure becomes, per protocol. Wording is AWS's, from responses quoted
// in public bug reports and SDK issues, and from dynalite's and scratchstack's records of DynamoDB's and
// IAM's answers:
//  - S3 (rest-xml): SignatureDoesNotMatch "...Check your key and signing method." with StringToSign,
//    CanonicalRequest and their bytes (aws-cli#4356, s3cmd#1053); RequestTimeTooSkewed with RequestTime,
//    ServerTime, MaxAllowedSkewMilliseconds 900000 (minio-py#285); presigned expiry AccessDenied "Request has
//    expired" with X-Amz-Expires, Expires, ServerTime (aws-sdk-php#1333); "Request is not yet valid"
//    (s3-signer#16); InvalidAccessKeyId "The AWS Access Key Id you provided does not exist in our records.";
//    AccessDenied "There were headers present in the request which were not signed" with HeadersNotSigned;
//    AuthorizationHeaderMalformed / AuthorizationQueryParametersError texts; InvalidArgument "Unsupported
//    Authorization Type" with ArgumentName/ArgumentValue; XAmzContentSHA256Mismatch; IncompleteBody.
//  - JSON protocol (DynamoDB, Glue, Athena, Step Functions): InvalidSignatureException for signature, clock
//    and scope; IncompleteSignatureException for missing parts; UnrecognizedClientException "The security
//    token included in the request is invalid."; ExpiredTokenException; MissingAuthenticationTokenException.
//  - Query protocol (IAM, STS): the same texts under SignatureDoesNotMatch (403), IncompleteSignature,
//    InvalidClientTokenId (403), ExpiredToken (403), MissingAuthenticationToken (403).
#include <array>

#include "auth/sigv4.h"

namespace xacct::auth {
namespace {

struct Wire {
  const char* code;
  int status;
  const char* message;  // nullptr: the failure's own (request-dependent) message
};

struct Row {
  AuthFailureKind kind;
  Wire rest_xml;
  Wire rest_xml_presigned;  // code == nullptr: same as rest_xml
  Wire query;
  Wire json;
  const char* fallback = "";  // when the failure brings no message of its own (e.g. AuthFailure::Of)
};

constexpr const char* kSignatureMismatchS3 =
    "The request signature we calculated does not match the signature you provided. Check your key and signing "
    "method.";
constexpr const char* kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";
constexpr const char* kTokenInvalid = "The security token included in the request is invalid.";
constexpr const char* kTokenExpired = "The security token included in the request is expired";
constexpr const char* kMissingToken = "Request is missing Authentication Token";

constexpr std::array<Row, 18> kTable = {{
    {AuthFailureKind::kMissingAuthentication,
     {"AccessDenied", 403, "Access Denied"},
     {},
     {"MissingAuthenticationToken", 403, kMissingToken},
     {"MissingAuthenticationTokenException", 400, kMissingToken}},
    {AuthFailureKind::kIncompleteSignature,
     {"AuthorizationHeaderMalformed", 400, nullptr},
     {"AuthorizationQueryParametersError", 400, nullptr},
     {"IncompleteSignature", 400, nullptr},
     {"IncompleteSignatureException", 400, nullptr}},
    {AuthFailureKind::kUnsupportedAlgorithm,
     {"InvalidArgument", 400, "Unsupported Authorization Type"},
     {"AuthorizationQueryParametersError", 400, nullptr},
     {"IncompleteSignature", 400, nullptr},
     {"IncompleteSignatureException", 400, nullptr}},
    {AuthFailureKind::kInvalidDate,
     {"AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"},
     {"AuthorizationQueryParametersError", 400, nullptr},
     {"IncompleteSignature", 400, nullptr},
     {"IncompleteSignatureException", 400, nullptr}},
    {AuthFailureKind::kInvalidScope,
     {"AuthorizationHeaderMalformed", 400, nullptr},
     {"AuthorizationQueryParametersError", 400, nullptr},
     {"SignatureDoesNotMatch", 403, nullptr},
     {"InvalidSignatureException", 400, nullptr}},
    {AuthFailureKind::kHeadersNotSigned,
     {"AccessDenied", 403, "There were headers present in the request which were not signed"},
     {},
     {"SignatureDoesNotMatch", 403, nullptr},
     {"InvalidSignatureException", 400, nullptr}},
    {AuthFailureKind::kSignatureDoesNotMatch,
     {"SignatureDoesNotMatch", 403, kSignatureMismatchS3},
     {},
     {"SignatureDoesNotMatch", 403, nullptr},
     {"InvalidSignatureException", 400, nullptr},
     kSignatureMismatch},
    {AuthFailureKind::kRequestTimeTooSkewed,
     {"RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large."},
     {},
     {"SignatureDoesNotMatch", 403, nullptr},
     {"InvalidSignatureException", 400, nullptr}},
    {AuthFailureKind::kExpired,
     {"AccessDenied", 403, "Request has expired"},
     {},
     {"SignatureDoesNotMatch", 403, "Request has expired"},
     {"InvalidSignatureException", 400, "Request has expired"}},
    {AuthFailureKind::kNotYetValid,
     {"AccessDenied", 403, "Request is not yet valid"},
     {},
     {"SignatureDoesNotMatch", 403, "Request is not yet valid"},
     {"InvalidSignatureException", 400, "Request is not yet valid"}},
    {AuthFailureKind::kInvalidAccessKeyId,
     {"InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."},
     {},
     {"InvalidClientTokenId", 403, kTokenInvalid},
     {"UnrecognizedClientException", 400, kTokenInvalid}},
    {AuthFailureKind::kInvalidToken,
     {"InvalidToken", 400, "The provided token is malformed or otherwise invalid."},
     {},
     {"InvalidClientTokenId", 403, kTokenInvalid},
     {"UnrecognizedClientException", 400, kTokenInvalid}},
    {AuthFailureKind::kExpiredToken,
     {"ExpiredToken", 400, "The provided token has expired."},
     {},
     {"ExpiredToken", 403, kTokenExpired},
     {"ExpiredTokenException", 400, kTokenExpired}},
    {AuthFailureKind::kMissingContentSha256,
     {"InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"},
     {},
     {"IncompleteSignature", 400, "Missing required header for this request: x-amz-content-sha256"},
     {"IncompleteSignatureException", 400, "Missing required header for this request: x-amz-content-sha256"}},
    {AuthFailureKind::kInvalidContentSha256,
     {"InvalidArgument", 400,
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value."},
     {},
     {"IncompleteSignature", 400,
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value."},
     {"IncompleteSignatureException", 400,
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value."}},
    {AuthFailureKind::kContentSha256Mismatch,
     {"XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed."},
     {},
     {"SignatureDoesNotMatch", 403, kSignatureMismatch},
     {"InvalidSignatureException", 400, kSignatureMismatch}},
    {AuthFailureKind::kIncompleteBody,
     {"IncompleteBody", 400, nullptr},
     {},
     {"IncompleteBody", 400, nullptr},
     {"IncompleteBody", 400, nullptr},
     "The request body terminated unexpectedly"},
    // Amazon S3 API Reference, "Error responses": BadDigest for a checksum that does not match; the
    // message names the algorithm ("The CRC32 you specified did not match the calculated checksum.").
    {AuthFailureKind::kBadDigest,
     {"BadDigest", 400, nullptr},
     {},
     {"BadDigest", 400, nullptr},
     {"BadDigest", 400, nullptr},
     "The checksum you specified did not match the calculated checksum."},
}};

const Row& RowFor(AuthFailureKind kind) {
  for (const Row& row : kTable) {
    if (row.kind == kind) return row;
  }
  return kTable[1];  // unreachable: every kind has a row (checked by the unit tests)
}

}  // namespace

AuthFailure AuthFailure::Of(AuthFailureKind kind, std::string detail) {
  AuthFailure f;
  f.kind = kind;
  f.detail = std::move(detail);
  return f;
}

AuthFailure AuthFailure::UnknownAccessKey(std::string_view access_key_id) {
  AuthFailure f = Of(AuthFailureKind::kInvalidAccessKeyId, "no access key " + std::string(access_key_id));
  f.fields = {{"AWSAccessKeyId", std::string(access_key_id)}};
  return f;
}

AwsError AuthFailureError(const AuthFailure& failure, Protocol protocol) {
  const Row& row = RowFor(failure.kind);
  Wire wire = row.json;
  std::string own = failure.message;
  if (protocol == Protocol::kQuery) wire = row.query;
  if (protocol == Protocol::kRestXml) {
    wire = failure.presigned && row.rest_xml_presigned.code != nullptr ? row.rest_xml_presigned : row.rest_xml;
    own = failure.s3_message.empty() ? failure.message : failure.s3_message;
  }
  if (own.empty()) own = row.fallback;
  AwsError error = AwsError::Client(wire.code, wire.message != nullptr ? wire.message : own, wire.status);
  error.detail = failure.detail;
  if (protocol == Protocol::kRestXml) error.fields = failure.fields;
  return error;
}

}  // namespace xacct::auth
