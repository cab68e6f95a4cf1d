// IAM managed policies: create/get/list/delete, versions (at most five, one default), attachments to
// users, roles and groups, and GetAccountAuthorizationDetails. AWS managed policies live under the
// "aws" account (arn:aws:iam::aws:policy/...).
#include "policy/parser.h"
#include "services/iam/iam_provider.h"

namespace xacct::services {
namespace iam {
namespace {

constexpr size_t kManagedPolicyQuota = 6144;
constexpr size_t kMaxVersions = 5;

std::string OwnerOf(const std::string& arn, const CallContext& ctx) {
  return arn.starts_with("arn:aws:iam::aws:") ? std::string("aws") : ctx.caller.account;
}

Result<json::object> LoadPolicy(CallContext& ctx, const std::string& arn) {
  auto doc = ctx.identities.Get(OwnerOf(arn, ctx), identity::kPolicyKind, arn);
  if (!doc) return doc.error();
  if (!*doc) return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
  return std::move(**doc);
}

Status SavePolicy(CallContext& ctx, const json::object& p) {
  const std::string arn = Str(p, "Arn");
  const std::string body = json::serialize(p);
  const std::string owner = OwnerOf(arn, ctx);
  if (owner == "aws") return AwsError::Client("AccessDenied", "AWS managed policies cannot be changed", 403);
  return ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(store::Scope::Account(owner), identity::kPolicyKind, arn, body); });
}

Status CheckManaged(const std::string& doc) {
  if (auto s = ValidateDocument(doc, policy::PolicyKind::kIdentity); !s) return s;
  return policy::CheckPolicySize(doc, kManagedPolicyQuota, "PolicySize");
}

json::object PublicPolicy(const json::object& p) {
  json::object out;
  for (const auto& [k, v] : p) {
    if (!k.starts_with("x")) out[k] = v;
  }
  return out;
}

Result<json::object> CreatePolicy(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "PolicyName");
  const std::string path = Str(in, "Path").empty() ? "/" : Str(in, "Path");
  const std::string arn = "arn:aws:iam::" + ctx.caller.account + ":policy" + path + name;
  if (auto s = Allow(ctx, "iam:CreatePolicy", arn); !s) return s.error();
  const std::string doc = Str(in, "PolicyDocument");
  if (auto s = CheckManaged(doc); !s) return s.error();
  auto existing = ctx.identities.Get(ctx.caller.account, identity::kPolicyKind, arn);
  if (!existing) return existing.error();
  if (*existing)
    return AwsError::Client("EntityAlreadyExists",
                            "A policy called " + name + " already exists. Duplicate names are not allowed.", 409);
  const std::string now = identity::IsoTime(ctx.request.now);
  json::object p{{"PolicyName", name},
                 {"PolicyId", identity::IdentityStore::NewId("ANPA")},
                 {"Arn", arn},
                 {"Path", path},
                 {"DefaultVersionId", "v1"},
                 {"AttachmentCount", 0},
                 {"PermissionsBoundaryUsageCount", 0},
                 {"IsAttachable", true},
                 {"CreateDate", now},
                 {"UpdateDate", now},
                 {"xVersions", json::object{{"v1", json::object{{"Document", doc}, {"CreateDate", now}}}}},
                 {"xNextVersion", 2}};
  if (const std::string d = Str(in, "Description"); !d.empty()) p["Description"] = d;
  if (const auto* tags = in.if_contains("Tags"); tags && tags->is_array() && !tags->as_array().empty())
    p["Tags"] = *tags;
  if (auto s = SavePolicy(ctx, p); !s) return s.error();
  return json::object{{"Policy", PublicPolicy(p)}};
}

Result<json::object> GetPolicy(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:GetPolicy", Str(*p, "Arn")); !s) return s.error();
  return json::object{{"Policy", PublicPolicy(*p)}};
}

json::object VersionOut(const json::object& p, const std::string& id) {
  const auto& v = p.at("xVersions").as_object().at(id).as_object();
  return json::object{{"Document", v.at("Document")},
                      {"VersionId", id},
                      {"IsDefaultVersion", Str(p, "DefaultVersionId") == id},
                      {"CreateDate", Str(v, "CreateDate")}};
}

Result<json::object> GetPolicyVersion(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:GetPolicyVersion", Str(*p, "Arn")); !s) return s.error();
  const std::string id = Str(in, "VersionId");
  if (!p->at("xVersions").as_object().contains(id)) {
    return NoSuchEntity("Policy " + Str(*p, "Arn") + " version " + id + " does not exist or is not attachable.");
  }
  return json::object{{"PolicyVersion", VersionOut(*p, id)}};
}

Result<json::object> ListPolicyVersions(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:ListPolicyVersions", Str(*p, "Arn")); !s) return s.error();
  json::array versions;
  for (const auto& [id, v] : p->at("xVersions").as_object()) {
    json::object out = VersionOut(*p, std::string(id));
    out.erase("Document");
    versions.push_back(std::move(out));
  }
  return json::object{{"Versions", std::move(versions)}, {"IsTruncated", false}};
}

Result<json::object> CreatePolicyVersion(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:CreatePolicyVersion", Str(*p, "Arn")); !s) return s.error();
  const std::string doc = Str(in, "PolicyDocument");
  if (auto s = CheckManaged(doc); !s) return s.error();
  auto& versions = (*p)["xVersions"].as_object();
  if (versions.size() >= kMaxVersions) {
    return AwsError::Client("LimitExceeded",
                            "A managed policy can have up to 5 versions. Before you create a new "
                            "version, you must delete an existing version.",
                            409);
  }
  const int64_t next = Int(*p, "xNextVersion").value_or(static_cast<int64_t>(versions.size()) + 1);
  const std::string id = "v" + std::to_string(next);
  versions[id] = json::object{{"Document", doc}, {"CreateDate", identity::IsoTime(ctx.request.now)}};
  (*p)["xNextVersion"] = next + 1;
  const auto* set_default = in.if_contains("SetAsDefault");
  if (set_default != nullptr &&
      ((set_default->is_bool() && set_default->as_bool()) || JsonString(*set_default) == "true")) {
    (*p)["DefaultVersionId"] = id;
  }
  (*p)["UpdateDate"] = identity::IsoTime(ctx.request.now);
  if (auto s = SavePolicy(ctx, *p); !s) return s.error();
  json::object out = VersionOut(*p, id);
  out.erase("Document");
  return json::object{{"PolicyVersion", std::move(out)}};
}

Result<json::object> SetDefaultPolicyVersion(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:SetDefaultPolicyVersion", Str(*p, "Arn")); !s) return s.error();
  const std::string id = Str(in, "VersionId");
  if (!p->at("xVersions").as_object().contains(id)) {
    return NoSuchEntity("Policy " + Str(*p, "Arn") + " version " + id + " does not exist or is not attachable.");
  }
  (*p)["DefaultVersionId"] = id;
  if (auto s = SavePolicy(ctx, *p); !s) return s.error();
  return json::object{};
}

Result<json::object> DeletePolicyVersion(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:DeletePolicyVersion", Str(*p, "Arn")); !s) return s.error();
  const std::string id = Str(in, "VersionId");
  auto& versions = (*p)["xVersions"].as_object();
  if (!versions.contains(id)) {
    return NoSuchEntity("Policy " + Str(*p, "Arn") + " version " + id + " does not exist or is not attachable.");
  }
  if (Str(*p, "DefaultVersionId") == id) {
    return AwsError::Client("DeleteConflict", "Cannot delete the default version of a policy.", 409);
  }
  versions.erase(id);
  if (auto s = SavePolicy(ctx, *p); !s) return s.error();
  return json::object{};
}

Result<json::object> DeletePolicy(CallContext& ctx, const json::object& in) {
  auto p = LoadPolicy(ctx, Str(in, "PolicyArn"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, "iam:DeletePolicy", Str(*p, "Arn")); !s) return s.error();
  if (Int(*p, "AttachmentCount").value_or(0) > 0) {
    return AwsError::Client("DeleteConflict", "Cannot delete a policy attached to entities.", 409);
  }
  if (p->at("xVersions").as_object().size() > 1) {
    return AwsError::Client("DeleteConflict",
                            "This policy has more than one version. Before you delete a policy, "
                            "you must delete the policy's versions. The default version is "
                            "deleted with the policy.",
                            409);
  }
  const std::string arn = Str(*p, "Arn");
  if (auto s = ctx.identities.db().Write([&](store::Transaction& tx) {
        return tx.Delete(store::Scope::Account(ctx.caller.account), identity::kPolicyKind, arn);
      });
      !s) {
    return s.error();
  }
  return json::object{};
}

Result<json::object> ListPolicies(CallContext& ctx, const json::object& in) {
  if (auto s = Allow(ctx, "iam:ListPolicies", "arn:aws:iam::" + ctx.caller.account + ":policy/"); !s) return s.error();
  const std::string scope = Str(in, "Scope").empty() ? "All" : Str(in, "Scope");
  const bool only_attached =
      Str(in, "OnlyAttached") == "true" ||
      (in.if_contains("OnlyAttached") && in.at("OnlyAttached").is_bool() && in.at("OnlyAttached").as_bool());
  json::array out;
  for (const std::string& owner : {std::string("aws"), ctx.caller.account}) {
    if ((scope == "AWS" && owner != "aws") || (scope == "Local" && owner == "aws")) continue;
    auto all = ctx.identities.db().List(store::Scope::Account(owner), identity::kPolicyKind);
    if (!all) return all.error();
    for (const auto& d : *all) {
      auto p = ParseJson(d.body);
      if (!p || !p->is_object()) continue;
      if (only_attached && Int(p->as_object(), "AttachmentCount").value_or(0) == 0) continue;
      json::object item = PublicPolicy(p->as_object());
      item.erase("Tags");
      item.erase("Description");
      out.push_back(std::move(item));
    }
  }
  return json::object{{"Policies", std::move(out)}, {"IsTruncated", false}};
}

// Attach/Detach{User,Role,Group}Policy and ListAttached{User,Role,Group}Policies.
template <const EntityKind& kKind>
Result<json::object> ChangeAttachment(CallContext& ctx, const json::object& in, bool attach) {
  auto e = Load(ctx, kKind, Str(in, kKind.name_field));
  if (!e) return e.error();
  const std::string arn = Str(in, "PolicyArn");
  authz::Check check{
      .action = std::string(attach ? "iam:Attach" : "iam:Detach") + std::string(kKind.api_type) + "Policy",
      .resource = Str(*e, "Arn"),
      .resource_account = ctx.caller.account};
  check.context.emplace_back("iam:PolicyARN", arn);
  if (auto s = ctx.Authorize(check); !s) return s.error();
  auto p = LoadPolicy(ctx, arn);
  if (!p) return p.error();
  json::value& slot = (*e)["xAttachedPolicies"];
  if (!slot.is_array()) slot.emplace_array();
  json::array& attached = slot.as_array();
  const bool present =
      std::any_of(attached.begin(), attached.end(), [&](const json::value& v) { return JsonString(v) == arn; });
  if (!attach && !present) return NoSuchEntity("Policy " + arn + " was not found.");
  if (attach == present) return json::object{};
  if (attach) {
    if (attached.size() >= 10) {
      return AwsError::Client("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10", 409);
    }
    attached.emplace_back(arn);
  } else {
    EraseIf(attached, [&](const json::value& v) { return JsonString(v) == arn; });
  }
  if (auto s = Save(ctx, kKind, *e); !s) return s.error();
  if (OwnerOf(arn, ctx) != "aws") {
    (*p)["AttachmentCount"] = Int(*p, "AttachmentCount").value_or(0) + (attach ? 1 : -1);
    if (auto s = SavePolicy(ctx, *p); !s) return s.error();
  }
  return json::object{};
}

template <const EntityKind& kKind>
Result<json::object> Attach(CallContext& ctx, const json::object& in) {
  return ChangeAttachment<kKind>(ctx, in, true);
}
template <const EntityKind& kKind>
Result<json::object> Detach(CallContext& ctx, const json::object& in) {
  return ChangeAttachment<kKind>(ctx, in, false);
}

template <const EntityKind& kKind>
Result<json::object> ListAttached(CallContext& ctx, const json::object& in) {
  auto e = LoadForAction(ctx, kKind, in, "ListAttached", "Policies");
  if (!e) return e.error();
  json::array out;
  if (const auto* attached = e->if_contains("xAttachedPolicies"); attached && attached->is_array()) {
    for (const auto& a : attached->as_array()) {
      const std::string arn(JsonString(a));
      out.push_back(json::object{{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
    }
  }
  return json::object{{"AttachedPolicies", std::move(out)}, {"IsTruncated", false}};
}

// Every user, group, role and managed policy of the account, with their policies.
Result<json::object> GetAccountAuthorizationDetails(CallContext& ctx, const json::object&) {
  if (auto s = Allow(ctx, "iam:GetAccountAuthorizationDetails", "*"); !s) return s.error();
  auto details = [&](const EntityKind& kind, std::string_view list_field) -> Result<json::array> {
    auto all = ctx.identities.db().List(store::Scope::Account(ctx.caller.account), kind.store_kind);
    if (!all) return all.error();
    json::array out;
    for (const auto& d : *all) {
      auto e = ParseJson(d.body);
      if (!e || !e->is_object()) continue;
      const json::object& o = e->as_object();
      json::object item = Public(o);
      json::array inline_list;
      if (const auto* policies = o.if_contains("xInlinePolicies"); policies && policies->is_object()) {
        for (const auto& [name, doc] : policies->as_object()) {
          inline_list.push_back(json::object{{"PolicyName", name}, {"PolicyDocument", doc}});
        }
      }
      item[std::string(list_field)] = std::move(inline_list);
      json::array attached;
      if (const auto* a = o.if_contains("xAttachedPolicies"); a && a->is_array()) {
        for (const auto& arn_value : a->as_array()) {
          const std::string arn(JsonString(arn_value));
          attached.push_back(json::object{{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
        }
      }
      item["AttachedManagedPolicies"] = std::move(attached);
      if (&kind == &kUser) {
        json::array groups;
        if (const auto* g = o.if_contains("xGroups"); g && g->is_array()) groups = g->as_array();
        item["GroupList"] = std::move(groups);
      }
      out.push_back(std::move(item));
    }
    return out;
  };
  auto users = details(kUser, "UserPolicyList");
  if (!users) return users.error();
  auto groups = details(kGroup, "GroupPolicyList");
  if (!groups) return groups.error();
  auto roles = details(kRole, "RolePolicyList");
  if (!roles) return roles.error();
  auto policies = ctx.identities.db().List(store::Scope::Account(ctx.caller.account), identity::kPolicyKind);
  if (!policies) return policies.error();
  json::array policy_list;
  for (const auto& d : *policies) {
    auto p = ParseJson(d.body);
    if (!p || !p->is_object()) continue;
    json::object item = PublicPolicy(p->as_object());
    json::array versions;
    for (const auto& [id, v] : p->as_object().at("xVersions").as_object())
      versions.push_back(VersionOut(p->as_object(), std::string(id)));
    item["PolicyVersionList"] = std::move(versions);
    policy_list.push_back(std::move(item));
  }
  return json::object{{"UserDetailList", std::move(*users)},
                      {"GroupDetailList", std::move(*groups)},
                      {"RoleDetailList", std::move(*roles)},
                      {"Policies", std::move(policy_list)},
                      {"IsTruncated", false}};
}

}  // namespace

void AddPolicyHandlers(HandlerTable* t) {
  t->insert({{"CreatePolicy", &CreatePolicy},
             {"GetPolicy", &GetPolicy},
             {"DeletePolicy", &DeletePolicy},
             {"ListPolicies", &ListPolicies},
             {"CreatePolicyVersion", &CreatePolicyVersion},
             {"GetPolicyVersion", &GetPolicyVersion},
             {"ListPolicyVersions", &ListPolicyVersions},
             {"SetDefaultPolicyVersion", &SetDefaultPolicyVersion},
             {"DeletePolicyVersion", &DeletePolicyVersion},
             {"AttachUserPolicy", &Attach<kUser>},
             {"AttachRolePolicy", &Attach<kRole>},
             {"AttachGroupPolicy", &Attach<kGroup>},
             {"DetachUserPolicy", &Detach<kUser>},
             {"DetachRolePolicy", &Detach<kRole>},
             {"DetachGroupPolicy", &Detach<kGroup>},
             {"ListAttachedUserPolicies", &ListAttached<kUser>},
             {"ListAttachedRolePolicies", &ListAttached<kRole>},
             {"ListAttachedGroupPolicies", &ListAttached<kGroup>},
             {"GetAccountAuthorizationDetails", &GetAccountAuthorizationDetails}});
}

}  // namespace iam
}  // namespace xacct::services
