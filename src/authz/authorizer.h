// Gathers every policy that applies to a request — the principal's identity policies, permissions
// boundary and session policy, the resource's policy, the SCPs of the principal's account and the RCPs
// of the resource's account per organization level — builds the request context as AWS does ("AWS
// global condition context keys"), asks the policy engine, and records the decision in the audit log.
// Denials carry AWS's AccessDenied wording; xacct's own explanation goes to the audit log and the
// x-xacct-explanation header (and, with --explain-denials, into the message).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "authz/audit_log.h"
#include "common/result.h"
#include "identity/identity_store.h"
#include "identity/principal.h"
#include "policy/evaluator.h"

namespace xacct::authz {

//! What the server knows of the request as a whole.
struct RequestInfo {
  std::string request_id;
  std::string service;    //!< signing name: "iam", "sts", ...
  std::string operation;  //!< "CreateRole"
  std::string region;
  std::string source_ip;
  bool secure_transport = false;
  int64_t now = 0;                      //!< epoch seconds
  std::vector<std::string> called_via;  //!< services acting for the caller, first first
};

//! One authorization check of a request.
struct Check {
  std::string action;                                        //!< "iam:CreateRole"
  std::string resource;                                      //!< an ARN, or "*"
  std::string resource_account;                              //!< the account that owns the resource
  std::shared_ptr<const policy::Policy> resource_policy;     //!< or the role trust policy for sts:AssumeRole
  std::vector<std::pair<std::string, std::string>> context;  //!< request keys
  std::vector<std::pair<std::string, std::vector<std::string>>> multi_context;  //!< multivalued request keys
  std::string denied_code = "AccessDenied";  //!< the service's AccessDenied error code
  int denied_status = 403;
};

class Authorizer {
 public:
  Authorizer(identity::IdentityStore& identities, AuditLog* audit, bool explain_denials)
      : identities_(identities), audit_(audit), explain_denials_(explain_denials) {}

  //! Ok when allowed; the AWS-shaped AccessDenied error otherwise. `explanation` receives xacct's words.
  Status Authorize(const identity::Principal& principal, const RequestInfo& request, const Check& check,
                   std::string* explanation = nullptr);

 private:
  //! Compiled policies and the pointers into them that a PolicySet borrows.
  struct Compiled {
    uint64_t generation = 0;
    std::vector<std::shared_ptr<const policy::Policy>> keep;
    std::vector<const policy::Policy*> identity;
    const policy::Policy* boundary = nullptr;
    const policy::Policy* session = nullptr;
    std::vector<std::vector<const policy::Policy*>> levels;  //!< SCPs (principal side) or RCPs (resource side)
  };
  //! The principal's side (identity policies, boundary, session policy, SCPs), cached per credential
  //! while the store's generation stays the same.
  Result<std::shared_ptr<const Compiled>> PrincipalSide(const identity::Principal& principal);
  //! The RCP levels of a resource account, cached the same way.
  Result<std::shared_ptr<const Compiled>> ResourceSide(const std::string& account);
  Status AddOrgLevels(std::string_view account, std::string_view type, Compiled* out);
  void BuildContext(const identity::Principal& principal, const RequestInfo& request, const Check& check,
                    policy::Context* context) const;

  identity::IdentityStore& identities_;
  AuditLog* audit_;
  bool explain_denials_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const Compiled>> principal_cache_;
  std::unordered_map<std::string, std::shared_ptr<const Compiled>> resource_cache_;
};

}  // namespace xacct::authz
