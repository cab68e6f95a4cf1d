// The authorization decision, per the IAM User Guide "Policy evaluation logic", "Cross-account
// policy evaluation logic", "Permissions boundaries for IAM entities", "Session policies", and the
// AWS Organizations guide on SCPs and RCPs. In order:
//  1. sts:GetCallerIdentity needs no permission for an authenticated caller.
//  2. An applicable Deny anywhere (identity, resource, boundary, session, SCP, RCP) wins.
//  3. Every SCP level must allow (IAM principals of member accounts; the caller passes the levels).
//  4. Grants: service principals and anonymous callers need the resource policy; across accounts both
//     sides must allow; within one account the identity side (capped by boundary and session policy)
//     or a resource-policy grant naming the caller (user or session ARN, "*"), or the role ARN when the
//     boundary and session policy allow too. Role trust policies must allow even in one account.
// Evaluating allocates nothing: the decision refers to the statements that decided it, and
// explain.h renders it to text only when someone reads it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "policy/context.h"
#include "policy/policy.h"
#include "policy/principal.h"

namespace xacct::policy {

//! One authorization check, prepared once (lowercased action, split resource ARN, context).
struct Request {
  Caller caller;
  ActionName action;
  ResourceName resource;
  std::string resource_account;
  Context context;
};

//! Every policy that applies to a request. Pointers are borrowed; the caller keeps the policies alive.
struct PolicySet {
  std::vector<const Policy*> identity;
  const Policy* resource = nullptr;  //!< resource-based policy, or the role trust policy for sts:AssumeRole
  const Policy* boundary = nullptr;
  const Policy* session = nullptr;
  std::vector<std::vector<const Policy*>> scps;  //!< per level, root first, account last
  std::vector<std::vector<const Policy*>> rcps;  //!< per level; custom RCPs only (RCPFullAWSAccess is implicit)
};

enum class Verdict : uint8_t { kAllowed, kImplicitlyDenied, kExplicitlyDenied };
enum class PolicyRole : uint8_t { kIdentity, kResource, kBoundary, kSession, kScp, kRcp };

struct StatementRef {
  const Policy* policy = nullptr;
  const Statement* statement = nullptr;
  PolicyRole role = PolicyRole::kIdentity;
  uint8_t level = 0;  //!< SCP/RCP level
};

//! Why the verdict is what it is.
enum class Basis : uint8_t {
  kCallerIdentity,   //!< sts:GetCallerIdentity
  kExplicitDeny,     //!< deny: the Deny statement
  kScpLevelNoAllow,  //!< SCP level scp_level has no applicable Allow
  kIdentityAllows,   //!< same account: identity side
  kResourceAllows,   //!< resource policy alone (names the caller; service principal; anonymous)
  kBothAllow,        //!< identity side and resource policy (cross account, trust naming an account)
  kMissingGrant,     //!< implicit deny: see Decision::missing
};

//! Bits of Decision::missing: what an implicitly denied request lacked.
enum Missing : uint8_t {
  kMissingIdentity = 1,       //!< no identity-based policy allows
  kMissingBoundary = 2,       //!< the permissions boundary does not allow
  kMissingSession = 4,        //!< the session policy does not allow
  kMissingResource = 8,       //!< the resource policy grants nothing to the caller
  kNoResourcePolicy = 16,     //!< the resource has no resource policy
  kResourceOnlyAccount = 32,  //!< the resource policy names only the caller's account (delegation)
};

struct Decision {
  Verdict verdict = Verdict::kImplicitlyDenied;
  Basis basis = Basis::kMissingGrant;
  bool cross_account = false;
  bool trust = false;  //!< a role trust policy decided (sts:AssumeRole and friends)
  int8_t scp_level = -1;
  uint8_t missing = 0;
  PrincipalMatch resource_match = PrincipalMatch::kNone;
  std::array<StatementRef, 4> refs{};  //!< deciding statements: the deny, or the allows used
  uint8_t ref_count = 0;

  void Add(const StatementRef& ref) {
    if (ref.statement != nullptr && ref_count < refs.size()) refs[ref_count++] = ref;
  }
};

//! True for the services whose resources RCPs apply to (AWS Organizations, "Resource control policies").
bool RcpSupportsService(std::string_view service_lower);

//! True when the request is checked against a role trust policy: an sts action on an IAM role.
bool IsTrustCheck(const Request& request);

//! Decides one request. Pure; allocates nothing.
Decision Evaluate(const Request& request, const PolicySet& policies);

}  // namespace xacct::policy
