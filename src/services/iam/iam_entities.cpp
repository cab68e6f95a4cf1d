// IAM users, roles, groups: create/get/list/delete, inline policies, tags, permissions boundaries,
// access keys, group membership.
#include <algorithm>

#include "policy/parser.h"
#include "services/iam/iam_provider.h"

namespace xacct::services {
namespace iam {

const EntityKind kUser{identity::kUserKind, "user", "User", "UserName", "UserId", "AIDA", 2048};
const EntityKind kRole{identity::kRoleKind, "role", "Role", "RoleName", "RoleId", "AROA", 10240};
const EntityKind kGroup{identity::kGroupKind, "group", "Group", "GroupName", "GroupId", "AGPA", 5120};

std::string EntityArn(std::string_view account, const EntityKind& kind, std::string_view path, std::string_view name) {
  return "arn:aws:iam::" + std::string(account) + ":" + std::string(kind.type) + std::string(path) + std::string(name);
}

Result<json::object> Load(CallContext& ctx, const EntityKind& kind, std::string_view name) {
  auto doc = ctx.identities.Get(ctx.caller.account, kind.store_kind, name);
  if (!doc) return doc.error();
  if (!*doc)
    return NoSuchEntity("The " + std::string(kind.type) + " with name " + std::string(name) + " cannot be found.");
  return std::move(**doc);
}

Status Save(CallContext& ctx, const EntityKind& kind, const json::object& entity) {
  const std::string name = Str(entity, kind.name_field);
  const std::string body = json::serialize(entity);
  return ctx.identities.db().Write([&](store::Transaction& tx) {
    return tx.Put(store::Scope::Account(ctx.caller.account), kind.store_kind, name, body);
  });
}

json::object Public(const json::object& entity) {
  json::object out;
  for (const auto& [k, v] : entity) {
    if (!k.starts_with("x")) out[k] = v;
  }
  return out;
}

Result<json::object> LoadForAction(CallContext& ctx, const EntityKind& kind, const json::object& in,
                                   std::string_view verb, std::string_view suffix) {
  auto e = Load(ctx, kind, Str(in, kind.name_field));
  if (!e) return e.error();
  const std::string action = "iam:" + std::string(verb) + std::string(kind.api_type) + std::string(suffix);
  if (auto s = Allow(ctx, action, Str(*e, "Arn")); !s) return s.error();
  return e;
}

Status Allow(CallContext& ctx, std::string_view action, const std::string& resource) {
  authz::Check check{.action = std::string(action), .resource = resource, .resource_account = ctx.caller.account};
  return ctx.Authorize(check);
}

Status ValidateDocument(std::string_view document, policy::PolicyKind kind) {
  auto parsed = policy::ParsePolicy(document, {.kind = kind});
  if (!parsed) return parsed.error();
  return Ok{};
}

namespace {

std::string PathOf(const json::object& in) {
  std::string path = Str(in, "Path");
  return path.empty() ? "/" : path;
}

json::array TagsOf(const json::object& in) {
  const auto* tags = in.if_contains("Tags");
  return tags != nullptr && tags->is_array() ? tags->as_array() : json::array{};
}

Status CheckPath(const std::string& path) {
  if (path.front() != '/' || path.back() != '/') {
    return ValidationError(
        "The specified value for path is invalid. It must begin and end with / and contain only "
        "alphanumeric characters and/or / characters.");
  }
  return Ok{};
}

// Create{User,Role,Group}: the common part.
Result<json::object> CreateEntity(CallContext& ctx, const EntityKind& kind, const json::object& in,
                                  json::object extra) {
  const std::string name = Str(in, kind.name_field);
  const std::string path = PathOf(in);
  if (auto s = CheckPath(path); !s) return s.error();
  const std::string arn = EntityArn(ctx.caller.account, kind, path, name);
  const std::string type(kind.api_type);
  // Tags and a permissions boundary given at creation are part of the request's context, and tags
  // also need iam:Tag<Type> (IAM User Guide, "Controlling access to IAM principals using tags").
  authz::Check check{.action = "iam:Create" + type, .resource = arn, .resource_account = ctx.caller.account};
  std::vector<std::string> tag_keys;
  for (const auto& t : TagsOf(in)) {
    tag_keys.push_back(Str(t.as_object(), "Key"));
    check.context.emplace_back("aws:RequestTag/" + tag_keys.back(), Str(t.as_object(), "Value"));
  }
  if (!tag_keys.empty()) check.multi_context.emplace_back("aws:TagKeys", tag_keys);
  if (const std::string boundary = Str(in, "PermissionsBoundary"); !boundary.empty()) {
    check.context.emplace_back("iam:PermissionsBoundary", boundary);
  }
  if (auto s = ctx.Authorize(check); !s) return s.error();
  if (!tag_keys.empty() && kind.type != "group") {
    check.action = "iam:Tag" + type;
    if (auto s = ctx.Authorize(check); !s) return s.error();
  }
  auto existing = ctx.identities.Get(ctx.caller.account, kind.store_kind, name);
  if (!existing) return existing.error();
  if (*existing) {
    return AwsError::Client("EntityAlreadyExists", type + " with name " + name + " already exists.", 409);
  }
  json::object e{{"Path", path},
                 {std::string(kind.name_field), name},
                 {std::string(kind.id_field), identity::IdentityStore::NewId(kind.id_prefix)},
                 {"Arn", arn},
                 {"CreateDate", identity::IsoTime(ctx.request.now)}};
  for (auto& [k, v] : extra) e[k] = std::move(v);
  if (const auto tags = TagsOf(in); !tags.empty()) e["Tags"] = tags;
  if (const std::string boundary = Str(in, "PermissionsBoundary"); !boundary.empty()) {
    e["PermissionsBoundary"] =
        json::object{{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", boundary}};
  }
  if (auto s = Save(ctx, kind, e); !s) return s.error();
  return e;
}

Result<json::object> CreateUser(CallContext& ctx, const json::object& in) {
  auto e = CreateEntity(ctx, kUser, in, {});
  if (!e) return e.error();
  return json::object{{"User", Public(*e)}};
}

Result<json::object> CreateRole(CallContext& ctx, const json::object& in) {
  const std::string trust = Str(in, "AssumeRolePolicyDocument");
  if (auto s = ValidateDocument(trust, policy::PolicyKind::kTrust); !s) return s.error();
  if (policy::PolicySize(trust) > 2048)
    return AwsError::Client("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409);
  const int64_t max = Int(in, "MaxSessionDuration").value_or(3600);
  if (max < 3600 || max > 43200) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(max) +
                           "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than "
                           "or equal to 43200");
  }
  json::object extra{{"AssumeRolePolicyDocument", trust}, {"MaxSessionDuration", max}};
  if (const std::string d = Str(in, "Description"); !d.empty()) extra["Description"] = d;
  auto e = CreateEntity(ctx, kRole, in, std::move(extra));
  if (!e) return e.error();
  return json::object{{"Role", Public(*e)}};
}

Result<json::object> CreateGroup(CallContext& ctx, const json::object& in) {
  auto e = CreateEntity(ctx, kGroup, in, {});
  if (!e) return e.error();
  return json::object{{"Group", Public(*e)}};
}

template <const EntityKind& kKind>
Result<json::object> GetEntity(CallContext& ctx, const json::object& in) {
  std::string name = Str(in, kKind.name_field);
  if (name.empty() && &kKind == &kUser) {
    // GetUser without a name describes the caller.
    if (ctx.caller.type != identity::PrincipalType::kUser) {
      return ValidationError("Must specify userName when calling with non-User credentials");
    }
    name = ctx.caller.name;
  }
  auto e = Load(ctx, kKind, name);
  if (!e) return e.error();
  const std::string type(kKind.api_type);
  if (auto s = Allow(ctx, "iam:Get" + type, Str(*e, "Arn")); !s) return s.error();
  json::object out{{type, Public(*e)}};
  if (&kKind == &kGroup) {
    json::array users;
    auto all = ctx.identities.db().List(store::Scope::Account(ctx.caller.account), identity::kUserKind);
    if (!all) return all.error();
    for (const auto& d : *all) {
      auto u = ParseJson(d.body);
      if (!u || !u->is_object()) continue;
      const auto* groups = u->as_object().if_contains("xGroups");
      if (groups == nullptr || !groups->is_array()) continue;
      for (const auto& g : groups->as_array()) {
        if (JsonString(g) == name) users.push_back(Public(u->as_object()));
      }
    }
    out["Users"] = std::move(users);
    out["IsTruncated"] = false;
  }
  return out;
}

template <const EntityKind& kKind>
Result<json::object> ListEntities(CallContext& ctx, const json::object& in) {
  const std::string type(kKind.api_type);
  if (auto s = Allow(ctx, "iam:List" + type + "s",
                     "arn:aws:iam::" + ctx.caller.account + ":" + std::string(kKind.type) + "/");
      !s) {
    return s.error();
  }
  const std::string prefix = Str(in, "PathPrefix").empty() ? "/" : Str(in, "PathPrefix");
  auto all = ctx.identities.db().List(store::Scope::Account(ctx.caller.account), kKind.store_kind);
  if (!all) return all.error();
  json::array items;
  for (const auto& d : *all) {
    auto e = ParseJson(d.body);
    if (!e || !e->is_object()) continue;
    if (!Str(e->as_object(), "Path").starts_with(prefix)) continue;
    json::object item = Public(e->as_object());
    item.erase("Tags");  // List* omit tags, as IAM does
    items.push_back(std::move(item));
  }
  return json::object{{type + "s", std::move(items)}, {"IsTruncated", false}};
}

template <const EntityKind& kKind>
Result<json::object> DeleteEntity(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Delete");
  if (!e) return e.error();
  const auto* inline_policies = e->if_contains("xInlinePolicies");
  if (inline_policies != nullptr && inline_policies->is_object() && !inline_policies->as_object().empty()) {
    return AwsError::Client("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
  }
  const auto* attached = e->if_contains("xAttachedPolicies");
  if (attached != nullptr && attached->is_array() && !attached->as_array().empty()) {
    return AwsError::Client("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409);
  }
  if (&kKind == &kUser) {
    auto keys = ctx.identities.db().List(store::Scope::Global(), identity::kAccessKeyKind);
    if (!keys) return keys.error();
    for (const auto& k : *keys) {
      auto key = ParseJson(k.body);
      if (key && Str(key->as_object(), "Account") == ctx.caller.account &&
          Str(key->as_object(), "UserName") == Str(*e, "UserName")) {
        return AwsError::Client("DeleteConflict", "Cannot delete entity, must delete access keys first.", 409);
      }
    }
  }
  const std::string name = Str(*e, kKind.name_field);
  if (auto s = ctx.identities.db().Write([&](store::Transaction& tx) {
        return tx.Delete(store::Scope::Account(ctx.caller.account), kKind.store_kind, name);
      });
      !s) {
    return s.error();
  }
  return json::object{};
}

Result<json::object> UpdateAssumeRolePolicy(CallContext& ctx, const json::object& in) {
  auto e = Load(ctx, kRole, Str(in, "RoleName"));
  if (!e) return e.error();
  if (auto s = Allow(ctx, "iam:UpdateAssumeRolePolicy", Str(*e, "Arn")); !s) return s.error();
  const std::string doc = Str(in, "PolicyDocument");
  if (auto s = ValidateDocument(doc, policy::PolicyKind::kTrust); !s) return s.error();
  if (policy::PolicySize(doc) > 2048)
    return AwsError::Client("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409);
  (*e)["AssumeRolePolicyDocument"] = doc;
  if (auto s = Save(ctx, kRole, *e); !s) return s.error();
  return json::object{};
}

// Inline policies: Put/Get/Delete/List{User,Role,Group}Policy.
template <const EntityKind& kKind>
Result<json::object> PutInlinePolicy(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Put", "Policy");
  if (!e) return e.error();
  const std::string name = Str(in, "PolicyName");
  const std::string doc = Str(in, "PolicyDocument");
  if (auto s = ValidateDocument(doc, policy::PolicyKind::kIdentity); !s) return s.error();
  json::value& slot = (*e)["xInlinePolicies"];
  if (!slot.is_object()) slot.emplace_object();
  json::object& policies = slot.as_object();
  policies[name] = doc;
  size_t total = 0;
  for (const auto& [k, v] : policies) total += policy::PolicySize(JsonString(v));
  if (total > kKind.inline_quota) {
    return AwsError::Client("LimitExceeded",
                            "Maximum policy size of " + std::to_string(kKind.inline_quota) + " bytes exceeded for " +
                                std::string(kKind.type) + " " + Str(*e, kKind.name_field),
                            409);
  }
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> GetInlinePolicy(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Get", "Policy");
  if (!e) return e.error();
  const std::string name = Str(in, "PolicyName");
  const auto* policies = e->if_contains("xInlinePolicies");
  if (policies == nullptr || !policies->is_object() || !policies->as_object().contains(name)) {
    return NoSuchEntity("The " + std::string(kKind.type) + " policy with name " + name + " cannot be found.");
  }
  return json::object{{std::string(kKind.name_field), Str(*e, kKind.name_field)},
                      {"PolicyName", name},
                      {"PolicyDocument", policies->as_object().at(name)}};
}

template <const EntityKind& kKind>
Result<json::object> DeleteInlinePolicy(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Delete", "Policy");
  if (!e) return e.error();
  const std::string name = Str(in, "PolicyName");
  auto* policies = e->if_contains("xInlinePolicies");
  if (policies == nullptr || !policies->is_object() || !policies->as_object().contains(name)) {
    return NoSuchEntity("The " + std::string(kKind.type) + " policy with name " + name + " cannot be found.");
  }
  policies->as_object().erase(name);
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> ListInlinePolicies(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "List", "Policies");
  if (!e) return e.error();
  json::array names;
  if (const auto* policies = e->if_contains("xInlinePolicies"); policies && policies->is_object()) {
    for (const auto& [k, v] : policies->as_object()) names.emplace_back(k);
  }
  return json::object{{"PolicyNames", std::move(names)}, {"IsTruncated", false}};
}

// Tags on users and roles.
template <const EntityKind& kKind>
Result<json::object> TagEntity(CallContext& ctx, const json::object& in) {
  auto e = Load(ctx, kKind, Str(in, kKind.name_field));
  if (!e) return e.error();
  const std::string type(kKind.api_type);
  authz::Check check{.action = "iam:Tag" + type, .resource = Str(*e, "Arn"), .resource_account = ctx.caller.account};
  std::vector<std::string> keys;
  for (const auto& t : TagsOf(in)) {
    keys.push_back(Str(t.as_object(), "Key"));
    check.context.emplace_back("aws:RequestTag/" + keys.back(), Str(t.as_object(), "Value"));
  }
  check.multi_context.emplace_back("aws:TagKeys", keys);
  if (auto s = ctx.Authorize(check); !s) return s.error();
  json::array tags = TagsOf(*e);
  for (const auto& t : TagsOf(in)) {
    const std::string key = Str(t.as_object(), "Key");
    EraseIf(tags, [&](const json::value& x) { return Str(x.as_object(), "Key") == key; });
    tags.push_back(t);
  }
  if (tags.size() > 50) return AwsError::Client("LimitExceeded", "Cannot exceed quota for TagsPerRole: 50", 409);
  (*e)["Tags"] = std::move(tags);
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> UntagEntity(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Untag");
  if (!e) return e.error();
  json::array tags = TagsOf(*e);
  if (const auto* keys = in.if_contains("TagKeys"); keys && keys->is_array()) {
    for (const auto& k : keys->as_array()) {
      EraseIf(tags, [&](const json::value& x) { return Str(x.as_object(), "Key") == JsonString(k); });
    }
  }
  (*e)["Tags"] = std::move(tags);
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> ListEntityTags(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "List", "Tags");
  if (!e) return e.error();
  return json::object{{"Tags", TagsOf(*e)}, {"IsTruncated", false}};
}

// Permissions boundaries on users and roles.
template <const EntityKind& kKind>
Result<json::object> PutBoundary(CallContext& ctx, const json::object& in) {
  auto e = Load(ctx, kKind, Str(in, kKind.name_field));
  if (!e) return e.error();
  const std::string type(kKind.api_type);
  const std::string arn = Str(in, "PermissionsBoundary");
  authz::Check check{.action = "iam:Put" + type + "PermissionsBoundary",
                     .resource = Str(*e, "Arn"),
                     .resource_account = ctx.caller.account};
  check.context.emplace_back("iam:PermissionsBoundary", arn);
  if (auto s = ctx.Authorize(check); !s) return s.error();
  const std::string owner = arn.starts_with("arn:aws:iam::aws:") ? "aws" : ctx.caller.account;
  auto policy = ctx.identities.Get(owner, identity::kPolicyKind, arn);
  if (!policy) return policy.error();
  if (!*policy)
    return AwsError::Client("NoSuchEntity", "Scope ARN: " + arn + " does not exist or is not attachable.", 404);
  (*e)["PermissionsBoundary"] = json::object{{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", arn}};
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> DeleteBoundary(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "Delete", "PermissionsBoundary");
  if (!e) return e.error();
  e->erase("PermissionsBoundary");
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  return json::object{};
}

// Group membership.
Result<json::object> ChangeMembership(CallContext& ctx, const json::object& in, bool add) {
  auto group = Load(ctx, kGroup, Str(in, "GroupName"));
  if (!group) return group.error();
  auto user = Load(ctx, kUser, Str(in, "UserName"));
  if (!user) return user.error();
  if (auto s = Allow(ctx, add ? "iam:AddUserToGroup" : "iam:RemoveUserFromGroup", Str(*group, "Arn")); !s) {
    return s.error();
  }
  json::array groups;
  if (const auto* g = user->if_contains("xGroups"); g && g->is_array()) groups = g->as_array();
  const std::string name = Str(*group, "GroupName");
  EraseIf(groups, [&](const json::value& x) { return JsonString(x) == name; });
  if (add) groups.emplace_back(name);
  (*user)["xGroups"] = std::move(groups);
  if (auto s = Save(ctx, kUser, *user); !s) return s.error();
  return json::object{};
}
Result<json::object> AddUserToGroup(CallContext& ctx, const json::object& in) {
  return ChangeMembership(ctx, in, true);
}
Result<json::object> RemoveUserFromGroup(CallContext& ctx, const json::object& in) {
  return ChangeMembership(ctx, in, false);
}

// Access keys of IAM users.
Result<json::object> CreateAccessKey(CallContext& ctx, const json::object& in) {
  std::string name = Str(in, "UserName");
  if (name.empty()) {
    if (ctx.caller.type != identity::PrincipalType::kUser) {
      return ValidationError("Must specify userName when calling with non-User credentials");
    }
    name = ctx.caller.name;
  }
  auto user = Load(ctx, kUser, name);
  if (!user) return user.error();
  if (auto s = Allow(ctx, "iam:CreateAccessKey", Str(*user, "Arn")); !s) return s.error();
  auto keys = ctx.identities.db().List(store::Scope::Global(), identity::kAccessKeyKind);
  if (!keys) return keys.error();
  int count = 0;
  for (const auto& k : *keys) {
    auto key = ParseJson(k.body);
    if (key && Str(key->as_object(), "Account") == ctx.caller.account && Str(key->as_object(), "UserName") == name)
      ++count;
  }
  if (count >= 2) return AwsError::Client("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409);
  json::object key{{"UserName", name},
                   {"AccessKeyId", identity::IdentityStore::NewId("AKIA", 16)},
                   {"Status", "Active"},
                   {"SecretAccessKey", identity::IdentityStore::NewSecret(40)},
                   {"CreateDate", identity::IsoTime(ctx.request.now)},
                   {"Account", ctx.caller.account}};
  const std::string id = Str(key, "AccessKeyId");
  const std::string body = json::serialize(key);
  if (auto s = ctx.identities.db().Write(
          [&](store::Transaction& tx) { return tx.Put(store::Scope::Global(), identity::kAccessKeyKind, id, body); });
      !s) {
    return s.error();
  }
  key.erase("Account");
  return json::object{{"AccessKey", std::move(key)}};
}

Result<json::object> ListAccessKeys(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "UserName").empty() ? ctx.caller.name : Str(in, "UserName");
  auto user = Load(ctx, kUser, name);
  if (!user) return user.error();
  if (auto s = Allow(ctx, "iam:ListAccessKeys", Str(*user, "Arn")); !s) return s.error();
  auto keys = ctx.identities.db().List(store::Scope::Global(), identity::kAccessKeyKind);
  if (!keys) return keys.error();
  json::array out;
  for (const auto& k : *keys) {
    auto key = ParseJson(k.body);
    if (!key) continue;
    const auto& o = key->as_object();
    if (Str(o, "Account") != ctx.caller.account || Str(o, "UserName") != name) continue;
    out.push_back(json::object{{"UserName", name},
                               {"AccessKeyId", Str(o, "AccessKeyId")},
                               {"Status", Str(o, "Status")},
                               {"CreateDate", Str(o, "CreateDate")}});
  }
  return json::object{{"AccessKeyMetadata", std::move(out)}, {"IsTruncated", false}};
}

// Finds one of the caller account's keys by id (and user, when named).
Result<json::object> FindKey(CallContext& ctx, const json::object& in, std::string* user_arn) {
  const std::string id = Str(in, "AccessKeyId");
  auto doc = ctx.identities.db().Get(store::Scope::Global(), identity::kAccessKeyKind, id);
  if (!doc) return doc.error();
  std::optional<json::object> key;
  if (*doc) {
    auto v = ParseJson(**doc);
    if (v && v->is_object() && Str(v->as_object(), "Account") == ctx.caller.account) key = v->as_object();
  }
  const std::string name = Str(in, "UserName").empty() ? ctx.caller.name : Str(in, "UserName");
  if (!key || (!Str(in, "UserName").empty() && Str(*key, "UserName") != name)) {
    return NoSuchEntity("The Access Key with id " + id + " cannot be found.");
  }
  auto user = Load(ctx, kUser, Str(*key, "UserName"));
  if (!user) return user.error();
  *user_arn = Str(*user, "Arn");
  return std::move(*key);
}

Result<json::object> DeleteAccessKey(CallContext& ctx, const json::object& in) {
  std::string user_arn;
  auto key = FindKey(ctx, in, &user_arn);
  if (!key) return key.error();
  if (auto s = Allow(ctx, "iam:DeleteAccessKey", user_arn); !s) return s.error();
  const std::string id = Str(*key, "AccessKeyId");
  if (auto s = ctx.identities.db().Write(
          [&](store::Transaction& tx) { return tx.Delete(store::Scope::Global(), identity::kAccessKeyKind, id); });
      !s) {
    return s.error();
  }
  return json::object{};
}

Result<json::object> UpdateAccessKey(CallContext& ctx, const json::object& in) {
  std::string user_arn;
  auto key = FindKey(ctx, in, &user_arn);
  if (!key) return key.error();
  if (auto s = Allow(ctx, "iam:UpdateAccessKey", user_arn); !s) return s.error();
  (*key)["Status"] = Str(in, "Status");
  const std::string id = Str(*key, "AccessKeyId");
  const std::string body = json::serialize(*key);
  if (auto s = ctx.identities.db().Write(
          [&](store::Transaction& tx) { return tx.Put(store::Scope::Global(), identity::kAccessKeyKind, id, body); });
      !s) {
    return s.error();
  }
  return json::object{};
}

}  // namespace
}  // namespace iam

const HandlerTable& IamHandlers() {
  using namespace iam;
  static const HandlerTable table = [] {
    HandlerTable t{
        {"CreateUser", &CreateUser},
        {"CreateRole", &CreateRole},
        {"CreateGroup", &CreateGroup},
        {"GetUser", &GetEntity<kUser>},
        {"GetRole", &GetEntity<kRole>},
        {"GetGroup", &GetEntity<kGroup>},
        {"ListUsers", &ListEntities<kUser>},
        {"ListRoles", &ListEntities<kRole>},
        {"ListGroups", &ListEntities<kGroup>},
        {"DeleteUser", &DeleteEntity<kUser>},
        {"DeleteRole", &DeleteEntity<kRole>},
        {"DeleteGroup", &DeleteEntity<kGroup>},
        {"UpdateAssumeRolePolicy", &UpdateAssumeRolePolicy},
        {"PutUserPolicy", &PutInlinePolicy<kUser>},
        {"PutRolePolicy", &PutInlinePolicy<kRole>},
        {"PutGroupPolicy", &PutInlinePolicy<kGroup>},
        {"GetUserPolicy", &GetInlinePolicy<kUser>},
        {"GetRolePolicy", &GetInlinePolicy<kRole>},
        {"GetGroupPolicy", &GetInlinePolicy<kGroup>},
        {"DeleteUserPolicy", &DeleteInlinePolicy<kUser>},
        {"DeleteRolePolicy", &DeleteInlinePolicy<kRole>},
        {"DeleteGroupPolicy", &DeleteInlinePolicy<kGroup>},
        {"ListUserPolicies", &ListInlinePolicies<kUser>},
        {"ListRolePolicies", &ListInlinePolicies<kRole>},
        {"ListGroupPolicies", &ListInlinePolicies<kGroup>},
        {"TagUser", &TagEntity<kUser>},
        {"TagRole", &TagEntity<kRole>},
        {"UntagUser", &UntagEntity<kUser>},
        {"UntagRole", &UntagEntity<kRole>},
        {"ListUserTags", &ListEntityTags<kUser>},
        {"ListRoleTags", &ListEntityTags<kRole>},
        {"PutUserPermissionsBoundary", &PutBoundary<kUser>},
        {"PutRolePermissionsBoundary", &PutBoundary<kRole>},
        {"DeleteUserPermissionsBoundary", &DeleteBoundary<kUser>},
        {"DeleteRolePermissionsBoundary", &DeleteBoundary<kRole>},
        {"AddUserToGroup", &AddUserToGroup},
        {"RemoveUserFromGroup", &RemoveUserFromGroup},
        {"CreateAccessKey", &CreateAccessKey},
        {"ListAccessKeys", &ListAccessKeys},
        {"DeleteAccessKey", &DeleteAccessKey},
        {"UpdateAccessKey", &UpdateAccessKey},
    };
    AddPolicyHandlers(&t);
    return t;
  }();
  return table;
}

}  // namespace xacct::services
