// The request path of DESIGN.md: route a request to its service and protocol (X-Amz-Target for the JSON
// protocols, else the SigV4 credential scope's service, else the query protocol's Action, else S3),
// authenticate it (SigV4), decode its input from the AWS service model, call the provider, and encode the
// output or the error in the protocol's exact shape.
#pragma once

#include <memory>
#include <string>

#include "auth/sigv4.h"
#include "authz/authorizer.h"
#include "identity/identity_store.h"
#include "server/http_types.h"
#include "services/s3/s3.h"
#include "services/service.h"

namespace xacct::server {

class Gateway {
 public:
  Gateway(identity::IdentityStore& identities, authz::Authorizer& authorizer, services::Backends backends = {})
      : identities_(identities), authorizer_(authorizer), backends_(backends), s3_(backends.s3) {}
  HttpResponse Handle(const HttpRequest& request);
  //! For a request head routed to a service whose bodies stream (S3), the sink that consumes the body;
  //! null for the query and JSON protocols, whose bodies are read whole.
  std::unique_ptr<StreamSink> Stream(const HttpRequest& head);

 private:
  HttpResponse Handle(const HttpRequest& request, const std::string& request_id);
  //! Who signed the request: its credential and verified signature, or the AWS error (under `protocol`).
  struct Signed {
    const identity::Credential* credential = nullptr;
    auth::VerifiedRequest verified;
  };
  Result<Signed> Authenticate(const auth::HttpRequestView& view, const auth::ParsedAuth& parsed,
                              std::optional<identity::Credential>& credential, auth::Protocol protocol,
                              std::string_view body, std::chrono::sys_seconds now);

  identity::IdentityStore& identities_;
  authz::Authorizer& authorizer_;
  services::Backends backends_;
  services::s3::S3Service* s3_;
  auth::SigningKeyCache key_cache_;
};

//! A request id in AWS's form (a random UUID).
std::string NewRequestId();

}  // namespace xacct::server
