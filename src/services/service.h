// What every service provider sees of a request, and how it registers its operations.
// Handlers are named after the AWS operation they serve; input and output are JSON objects keyed by the
// model's member names (the protocol layer converts to and from the wire).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "authz/authorizer.h"
#include "common/json.h"
#include "common/result.h"
#include "identity/identity_store.h"
#include "identity/principal.h"

namespace xacct::services {

namespace s3 {
class S3Service;
}
namespace athena {
class QueryRunner;
}
namespace states {
class ExecutionRunner;
}

//! The stateful parts a handler may reach beyond the identity store; null where a server runs without them.
struct Backends {
  s3::S3Service* s3 = nullptr;
  athena::QueryRunner* queries = nullptr;         //!< Athena's background query pool
  states::ExecutionRunner* executions = nullptr;  //!< Step Functions' background executions
};

struct CallContext {
  const identity::Principal& caller;
  authz::RequestInfo& request;
  authz::Authorizer& authz;
  identity::IdentityStore& identities;
  std::string explanation;  //!< the last authorization decision, in xacct's words
  Backends backends = {};

  //! Authorizes one check as the caller; the error is AWS's AccessDenied for this service.
  Status Authorize(const authz::Check& check) { return authz.Authorize(caller, request, check, &explanation); }
};

using Handler = Result<json::object> (*)(CallContext&, const json::object& input);
using HandlerTable = std::map<std::string, Handler, std::less<>>;

//! The operations a service implements; the rest of its model's operations answer NotImplemented.
struct Provider {
  std::string_view service;  //!< the model's endpoint prefix: "iam", "sts", "organizations"
  const HandlerTable* handlers;
};

//! Every provider xacct has.
const std::vector<Provider>& Providers();
const Provider* FindProvider(std::string_view service);

//! Helpers for handlers.
std::string Str(const json::object& o, std::string_view key);
std::optional<int64_t> Int(const json::object& o, std::string_view key);
AwsError NoSuchEntity(const std::string& message);
AwsError ValidationError(const std::string& message);

}  // namespace xacct::services
