// Amazon S3 in xacct: buckets, objects, versions, multipart uploads and bucket policies, served over S3's
// REST/XML protocol (Amazon S3 API Reference, 2006-03-01). The gateway authenticates a request's head
// and hands it to S3Service::Open, which returns the sink that consumes the body as it arrives: uploads
// stream into the blob store and become visible only when their bytes are durable and their metadata row
// commits (DESIGN.md "Data on disk").
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "authz/authorizer.h"
#include "identity/identity_store.h"
#include "server/http_types.h"
#include "services/service.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace xacct::services::s3 {

//! What authentication established about a request, handed over by the gateway.
struct Authenticated {
  identity::Principal principal;  //!< anonymous when the request carried no credentials
  auth::AuthMethod method = auth::AuthMethod::kAnonymous;
  std::optional<auth::VerifiedRequest> verified;       //!< absent for anonymous and SigV2-presigned requests
  std::string signature_version = "AWS4-HMAC-SHA256";  //!< s3:signatureversion: "AWS" for SigV2
};

//! The bucket a virtual-hosted request names in its Host header ("" for path-style requests).
std::string VirtualHostBucket(const server::HttpRequest& head);

class S3Service {
 public:
  S3Service(store::Database& db, store::BlobStore& blobs, identity::IdentityStore& identities,
            authz::Authorizer& authorizer)
      : db_(db), blobs_(blobs), identities_(identities), authorizer_(authorizer) {}

  //! The sink serving one S3 request; `info` carries the request id, region, client address and time.
  std::unique_ptr<server::StreamSink> Open(const server::HttpRequest& head, Authenticated who, authz::RequestInfo info);

  //! The bucket record as of the store's current generation (cached: a GET must not parse it every time).
  Result<std::shared_ptr<const struct Bucket>> FindBucket(const std::string& name);

  store::Database& db() { return db_; }
  store::BlobStore& blobs() { return blobs_; }
  identity::IdentityStore& identities() { return identities_; }
  authz::Authorizer& authorizer() { return authorizer_; }

 private:
  store::Database& db_;
  store::BlobStore& blobs_;
  identity::IdentityStore& identities_;
  authz::Authorizer& authorizer_;
  std::mutex bucket_mu_;
  std::map<std::string, std::pair<uint64_t, std::shared_ptr<const struct Bucket>>, std::less<>> buckets_;
};

//! S3's XML error body for `e` (Code, Message, the error's extra fields, RequestId, HostId).
server::HttpResponse S3ErrorResponse(const AwsError& e, std::string_view request_id, bool head_request = false);

//! The S3 operations xacct implements (for docs/coverage/s3.md).
const std::vector<std::string_view>& ImplementedOperations();

}  // namespace xacct::services::s3
