#include "auth/sigv2.h"

#include "auth/sigv4_internal.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <set>
#include <vector>

namespace xacct::auth {

namespace {

// The query parameters S3 includes in the CanonicalizedResource.
const std::set<std::string, std::less<>>& SignedSubresources() {
  static const std::set<std::string, std::less<>> kNames{"acl",
                                                         "cors",
                                                         "delete",
                                                         "lifecycle",
                                                         "location",
                                                         "logging",
                                                         "notification",
                                                         "partNumber",
                                                         "policy",
                                                         "requestPayment",
                                                         "response-cache-control",
                                                         "response-content-disposition",
                                                         "response-content-encoding",
                                                         "response-content-language",
                                                         "response-content-type",
                                                         "response-expires",
                                                         "restore",
                                                         "tagging",
                                                         "torrent",
                                                         "uploadId",
                                                         "uploads",
                                                         "versionId",
                                                         "versioning",
                                                         "versions",
                                                         "website",
                                                         "accelerate",
                                                         "encryption",
                                                         "publicAccessBlock",
                                                         "ownershipControls",
                                                         "policyStatus",
                                                         "object-lock",
                                                         "retention",
                                                         "legal-hold",
                                                         "select",
                                                         "select-type",
                                                         "analytics",
                                                         "inventory",
                                                         "metrics",
                                                         "replication",
                                                         "intelligent-tiering",
                                                         "attributes"};
  return kNames;
}

// The query's parameters in order, names and values decoded; a value is nullopt when the parameter has no '='.
std::vector<std::pair<std::string, std::optional<std::string>>> QueryParameters(std::string_view query) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = part.find('=');
    out.emplace_back(
        PercentDecode(part.substr(0, eq)),
        eq == std::string_view::npos ? std::nullopt : std::optional<std::string>(PercentDecode(part.substr(eq + 1))));
  }
  return out;
}

}  // namespace

std::optional<SigV2Presign> ParseSigV2Presign(const HttpRequestView& request) {
  SigV2Presign p;
  bool key = false, sig = false, exp = false;
  for (const auto& [name, maybe_value] : QueryParameters(request.RawQuery())) {
    if (!maybe_value) continue;
    const std::string& value = *maybe_value;
    if (name == "AWSAccessKeyId") {
      p.access_key_id = value;
      key = true;
    } else if (name == "Signature") {
      p.signature = value;
      sig = true;
    } else if (name == "x-amz-security-token") {
      p.security_token = value;
    } else if (name == "Expires") {
      try {
        p.expires = std::stoll(value);
        exp = true;
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  if (!key || !sig || !exp) return std::nullopt;
  if (p.security_token.empty()) p.security_token = std::string(request.Header("x-amz-security-token").value_or(""));
  return p;
}

std::string SigV2StringToSign(const HttpRequestView& request, const SigV2Presign& presign,
                              std::string_view vhost_bucket) {
  std::string s(request.method);
  s += '\n';
  s += request.Header("Content-MD5").value_or("");
  s += '\n';
  s += request.Header("Content-Type").value_or("");
  s += '\n';
  s += std::to_string(presign.expires);
  s += '\n';
  std::vector<std::pair<std::string, std::string>> amz;
  for (const auto& [k, v] : request.headers) {
    const std::string name = internal::AsciiLower(k);
    if (name.starts_with("x-amz-")) amz.emplace_back(name, std::string(v));
  }
  std::sort(amz.begin(), amz.end());
  for (size_t i = 0; i < amz.size(); ++i) {
    if (i > 0 && amz[i].first == amz[i - 1].first) {
      s.back() = ',';
      s += amz[i].second;
      s += '\n';
      continue;
    }
    s += amz[i].first + ":" + amz[i].second + "\n";
  }
  if (!vhost_bucket.empty()) {
    s += '/';
    s += vhost_bucket;
  }
  s += request.RawPath();
  std::vector<std::pair<std::string, std::optional<std::string>>> subs;
  for (auto& [name, value] : QueryParameters(request.RawQuery())) {
    if (SignedSubresources().contains(name)) subs.emplace_back(std::move(name), std::move(value));
  }
  std::sort(subs.begin(), subs.end());
  for (size_t i = 0; i < subs.size(); ++i) {
    s += i == 0 ? '?' : '&';
    s += subs[i].first;
    if (subs[i].second) s += "=" + *subs[i].second;
  }
  return s;
}

AuthStatus VerifySigV2Presign(const HttpRequestView& request, const SigV2Presign& presign, std::string_view secret,
                              Timestamp now, std::string_view vhost_bucket) {
  if (now.time_since_epoch().count() > presign.expires) {
    AuthFailure f = AuthFailure::Of(AuthFailureKind::kExpired,
                                    "the SigV2 presigned URL expired at " + std::to_string(presign.expires));
    f.presigned = true;
    f.fields = {{"Expires", FormatIso8601(Timestamp(std::chrono::seconds(presign.expires)))},
                {"ServerTime", FormatIso8601(now)}};
    return f;
  }
  const std::string string_to_sign = SigV2StringToSign(request, presign, vhost_bucket);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), mac, &mac_len);
  const std::string expected = internal::Base64(mac, mac_len);
  if (!ConstantTimeEquals(expected, presign.signature)) {
    AuthFailure f = AuthFailure::Of(AuthFailureKind::kSignatureDoesNotMatch,
                                    "SigV2 signature mismatch; xacct signed: " + string_to_sign);
    f.presigned = true;
    f.fields = {{"AWSAccessKeyId", presign.access_key_id},
                {"StringToSign", string_to_sign},
                {"SignatureProvided", presign.signature}};
    return f;
  }
  return Ok{};
}

}  // namespace xacct::auth
