// S3's Signature Version 2 query-string authentication (presigned URLs with AWSAccessKeyId, Signature and
// Expires), which botocore still produces by default for S3 presigned URLs in regions that launched before
// 2014 (ap-northeast-1 among them). Follows the Amazon S3 Developer Guide (2006-03-01) "Signing and
// authenticating REST requests": "Query string request authentication alternative" and "Constructing the
// CanonicalizedResource element". Header-signed SigV2 requests are not accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/sigv4.h"

namespace xacct::auth {

struct SigV2Presign {
  std::string access_key_id;
  std::string signature;  //!< base64, as sent (decoded from the query)
  std::int64_t expires = 0;
  std::string security_token;  //!< x-amz-security-token from the query or a header; empty when absent
};

//! The SigV2 query parameters, if the request carries all three.
std::optional<SigV2Presign> ParseSigV2Presign(const HttpRequestView& request);

//! The string to sign: verb, Content-MD5, Content-Type, Expires, x-amz-* headers, then the resource
//! ("/bucket/key" plus the sub-resources that S3 signs). `bucket` is prefixed for virtual-hosted requests.
std::string SigV2StringToSign(const HttpRequestView& request, const SigV2Presign& presign,
                              std::string_view vhost_bucket);

//! Checks expiry and the HMAC-SHA1 signature. Failures carry S3's wording.
AuthStatus VerifySigV2Presign(const HttpRequestView& request, const SigV2Presign& presign, std::string_view secret,
                              Timestamp now, std::string_view vhost_bucket);

}  // namespace xacct::auth
