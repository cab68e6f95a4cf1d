// AWS IAM (query protocol), per the IAM API Reference: users, groups, roles (trust policy, maximum session
// duration, path), inline and managed policies (versions, default version), attach/detach, access keys,
// permissions boundaries, tags, GetAccountAuthorizationDetails. Every policy written is validated by
// the policy engine (MalformedPolicyDocument) and sized against IAM's quotas.
#pragma once

#include "services/service.h"

namespace xacct::services {

const HandlerTable& IamHandlers();

namespace iam {

//! The kinds of IAM identity that carry policies.
struct EntityKind {
  std::string_view store_kind;  //!< identity::kUserKind, ...
  std::string_view type;        //!< "user", "role", "group" (in ARNs and messages)
  std::string_view api_type;    //!< "User", "Role", "Group" (in operation and action names)
  std::string_view name_field;  //!< "UserName", "RoleName", "GroupName"
  std::string_view id_field;    //!< "UserId", "RoleId", "GroupId"
  std::string_view id_prefix;   //!< "AIDA", "AROA", "AGPA"
  size_t inline_quota;          //!< aggregate inline policy size: 2048, 10240, 5120
};
extern const EntityKind kUser;
extern const EntityKind kRole;
extern const EntityKind kGroup;

std::string EntityArn(std::string_view account, const EntityKind& kind, std::string_view path, std::string_view name);
//! Loads an entity of the caller's account; NoSuchEntity in IAM's words when absent.
Result<json::object> Load(CallContext& ctx, const EntityKind& kind, std::string_view name);
Status Save(CallContext& ctx, const EntityKind& kind, const json::object& entity);
//! The entity as IAM returns it: internal fields removed (the query codec URL-encodes policy documents).
json::object Public(const json::object& entity);
//! Loads the entity named by the input's name field and authorizes "iam:" + verb + api_type + suffix
//! (e.g. "Put", "Policy": iam:PutRolePolicy) on its ARN.
Result<json::object> LoadForAction(CallContext& ctx, const EntityKind& kind, const json::object& in,
                                   std::string_view verb, std::string_view suffix = {});
//! Authorizes `action` on the entity's ARN (or `resource`) in the caller's account.
Status Allow(CallContext& ctx, std::string_view action, const std::string& resource);
//! Validates an identity policy document as IAM does on write.
Status ValidateDocument(std::string_view document, policy::PolicyKind kind);

void AddPolicyHandlers(HandlerTable* table);  //!< managed policies, versions, attachments (iam_policies.cpp)

}  // namespace iam
}  // namespace xacct::services
