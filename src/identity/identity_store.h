// IAM users, roles, groups, managed policies, access keys and STS sessions, as JSON documents in the
// metadata store, and the lookups the request path needs: which principal an access key stands for, and
// which policies apply to that principal (IAM User Guide: "Policy evaluation logic" — identity-based
// policies of a user include its groups'; a role session has its role's policies, its permissions
// boundary, and its session policies).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "identity/config.h"
#include "identity/principal.h"
#include "policy/policy.h"
#include "store/database.h"

namespace xacct::identity {

//! Document kinds in the metadata store.
inline constexpr std::string_view kUserKind = "iam-user";
inline constexpr std::string_view kRoleKind = "iam-role";
inline constexpr std::string_view kGroupKind = "iam-group";
inline constexpr std::string_view kPolicyKind = "iam-policy";     //!< id: the policy ARN
inline constexpr std::string_view kAccessKeyKind = "access-key";  //!< global scope, id: the key id
inline constexpr std::string_view kSessionKind = "sts-session";   //!< global scope, id: the key id
inline constexpr std::string_view kOrgPolicyKind = "org-policy";  //!< scope "organization", id: the policy id
inline const store::Scope kOrganizationScope{"organization", ""};

//! A compiled policy and the words explanations use for it.
struct NamedPolicy {
  std::shared_ptr<const policy::Policy> policy;
};

//! Every identity-side policy of a principal, compiled.
struct PrincipalPolicies {
  std::vector<std::shared_ptr<const policy::Policy>> identity;
  std::shared_ptr<const policy::Policy> boundary;
  std::shared_ptr<const policy::Policy> session;
};

class IdentityStore {
 public:
  IdentityStore(store::Database& db, const Config& config) : db_(db), config_(config) {}

  store::Database& db() { return db_; }
  const Config& config() const { return config_; }

  //! The credential an access key id stands for; nullopt for an unknown key.
  Result<std::optional<Credential>> LookupAccessKey(std::string_view access_key_id);
  //! The identity-based policies, boundary and session policy of `principal`.
  Result<PrincipalPolicies> PoliciesOf(const Principal& principal);
  //! Compiles a policy document once; the same text returns the same compiled policy.
  Result<std::shared_ptr<const policy::Policy>> Compile(std::string_view document, policy::PolicyKind kind,
                                                        std::string label);

  //! The organization's policies: those of the configuration and those created through the
  //! Organizations API (cached while the store's generation stays the same).
  Result<std::shared_ptr<const std::vector<OrgPolicy>>> OrganizationPolicies();

  //! A document by kind and id in an account's IAM scope, parsed; nullopt when absent.
  Result<std::optional<json::object>> Get(std::string_view account, std::string_view kind, std::string_view id);

  //! Random ids as AWS forms them: a 4-letter prefix (AIDA, AROA, AKIA, ASIA, ANPA, AGPA) and 16 or 17
  //! upper-case letters and digits.
  static std::string NewId(std::string_view prefix, size_t length = 17);
  static std::string NewSecret(size_t length = 40);

 private:
  Result<std::optional<json::object>> GetScoped(const store::Scope& scope, std::string_view kind, std::string_view id);
  Status AddAttached(std::string_view account, const json::object& entity, PrincipalPolicies* out);

  store::Database& db_;
  const Config& config_;
  Result<std::optional<Credential>> LookupUncached(std::string_view access_key_id);
  //! An IAM user of `account` as a principal; nullopt when the user does not exist.
  Result<std::optional<Principal>> UserPrincipal(const std::string& account, const std::string& name);

  struct CachedCredential {
    uint64_t generation;
    std::optional<Credential> credential;
  };
  std::mutex credentials_mu_;
  std::unordered_map<std::string, CachedCredential> credentials_;
  std::mutex org_mu_;
  std::shared_ptr<const std::vector<OrgPolicy>> org_policies_;
  uint64_t org_generation_ = 0;
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const policy::Policy>> cache_;
};

//! ISO 8601 UTC with seconds, as IAM prints dates: 2024-05-01T12:00:00Z.
std::string IsoTime(int64_t epoch_seconds);
int64_t NowSeconds();

}  // namespace xacct::identity
