// Who makes a request (the caller) and how a policy's Principal / NotPrincipal element matches it.
// Follows the IAM User Guide "AWS JSON policy elements: Principal" and "NotPrincipal": an account id
// or account root ARN matches every principal of the account; a role ARN matches the role's sessions
// (session ARNs carry no role path); "*" and {"AWS": "*"} match everyone, anonymous callers included;
// no partial wildcards in principal ARNs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xacct::policy {

enum class CallerKind : uint8_t { kUser, kRole, kSession, kService, kAnonymous, kOther };

//! The principal that signs a request.
struct Caller {
  CallerKind kind = CallerKind::kAnonymous;
  std::string arn;        //!< IAM/STS ARN, or the service principal's name
  std::string account;    //!< empty for service principals and anonymous callers
  std::string role_name;  //!< for kRole and kSession
  std::string role_arn;   //!< for kSession: the role's ARN; From() cannot know the path, WithRoleArn() can

  //! Sets the ARN of a session's role (path included) when `role_arn` names that same role.
  void WithRoleArn(std::string_view role_arn);

  //! Classifies a caller the way the case format names it: user, role, assumed-role session,
  //! service principal ("x.amazonaws.com"), or nullopt for anonymous.
  static Caller From(const std::optional<std::string>& principal);
  bool IsIamPrincipal() const {
    return kind == CallerKind::kUser || kind == CallerKind::kRole || kind == CallerKind::kSession;
  }
};

//! How a Principal element matched the caller, strongest last. The strength decides which
//! permissions boundary / session policy limits a resource-policy grant (IAM User Guide,
//! "Permissions boundaries": user ARN and session ARN grants are not limited by an implicit deny in
//! the boundary, role ARN grants are; account grants only delegate to identity policies).
enum class PrincipalMatch : uint8_t {
  kNone,
  kAccount,  //!< the caller's account (id or :root)
  kRoleArn,  //!< the role of the calling session
  kDirect,   //!< the caller's own ARN (user or session), a service principal, "*", or NotPrincipal
};

struct PrincipalEntry {
  enum class Type : uint8_t { kEveryone, kAccount, kUser, kRole, kArn, kService, kFederated, kCanonicalUser };
  Type type;
  std::string value;      //!< as written
  std::string account;    //!< kAccount, kUser, kRole, kArn
  std::string role_name;  //!< kRole: the last path segment
};

//! A statement's Principal or NotPrincipal element.
struct PrincipalBlock {
  bool present = false;
  bool negated = false;  //!< NotPrincipal
  std::vector<PrincipalEntry> entries;

  //! The strongest match of any entry (for NotPrincipal: kDirect when no entry matches).
  PrincipalMatch Match(const Caller& caller) const;
};

//! Parses one value of a Principal's "AWS" list; nullopt when IAM would reject it.
std::optional<PrincipalEntry> ParseAwsPrincipal(std::string_view value);

}  // namespace xacct::policy
