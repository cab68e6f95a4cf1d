#include "services/organizations/organizations_provider.h"

#include "policy/parser.h"

namespace xacct::services {

namespace {

using identity::Organization;

// Organizations errors are JSON-protocol exceptions (AWS Organizations API Reference, "Errors").
AwsError NotInUse() {
  return AwsError::Client("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
}

Result<const Organization*> Org(CallContext& ctx) {
  const auto& org = ctx.identities.config().organization;
  if (!org || (!org->IsMember(ctx.caller.account) && ctx.caller.account != org->management_account)) return NotInUse();
  return &*org;
}

std::string Base(const Organization& o) { return "arn:aws:organizations::" + o.management_account + ":"; }
std::string OrgArn(const Organization& o) { return Base(o) + "organization/" + o.id; }
std::string AccountArn(const Organization& o, std::string_view account) {
  return Base(o) + "account/" + o.id + "/" + std::string(account);
}
std::string RootArn(const Organization& o) { return Base(o) + "root/" + o.id + "/" + o.root_id; }
std::string OuArn(const Organization& o, std::string_view ou) { return Base(o) + "ou/" + o.id + "/" + std::string(ou); }
std::string PolicyArn(const Organization& o, const identity::OrgPolicy& p) {
  if (p.id == "p-FullAWSAccess") return "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
  return Base(o) + "policy/" + o.id + "/" +
         (p.type == "SERVICE_CONTROL_POLICY" ? "service_control_policy/" : "resource_control_policy/") + p.id;
}

// Management-account operations authorize like AWS: organizations:<Operation> on the resource.
Status Allow(CallContext& ctx, const Organization& o, const std::string& action, const std::string& resource,
             bool management_only = true) {
  if (management_only && ctx.caller.account != o.management_account) {
    return AwsError::Client("AccessDeniedException", "You don't have permissions to access this resource.");
  }
  // Organizations resources belong to the management account, which is the only caller of the
  // management operations; the rest (DescribeOrganization) have no resource-level permissions.
  authz::Check check{.action = action, .resource = resource, .resource_account = ctx.caller.account};
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  return ctx.Authorize(check);
}

json::object AccountJson(CallContext& ctx, const Organization& o, const std::string& id) {
  const auto* a = ctx.identities.config().FindAccount(id);
  const std::string name = a != nullptr ? a->name : id;
  return json::object{{"Id", id},
                      {"Arn", AccountArn(o, id)},
                      {"Email", name + "@example.com"},
                      {"Name", name},
                      {"Status", "ACTIVE"},
                      {"JoinedMethod", id == o.management_account ? "CREATED" : "INVITED"},
                      {"JoinedTimestamp", "2024-01-01T00:00:00Z"}};
}

Result<json::object> DescribeOrganization(CallContext& ctx, const json::object&) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:DescribeOrganization", "*", false); !s) return s.error();
  const Organization& org = **o;
  return json::object{
      {"Organization",
       json::object{{"Id", org.id},
                    {"Arn", OrgArn(org)},
                    {"FeatureSet", "ALL"},
                    {"MasterAccountArn", AccountArn(org, org.management_account)},
                    {"MasterAccountId", org.management_account},
                    {"MasterAccountEmail", AccountJson(ctx, org, org.management_account)["Email"]},
                    {"AvailablePolicyTypes",
                     json::array{json::object{{"Type", "SERVICE_CONTROL_POLICY"}, {"Status", "ENABLED"}}}}}}};
}

Result<json::object> ListAccounts(CallContext& ctx, const json::object&) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:ListAccounts", "*"); !s) return s.error();
  json::array accounts;
  for (const auto& a : ctx.identities.config().accounts) {
    if ((*o)->IsMember(a.id) || a.id == (*o)->management_account) accounts.push_back(AccountJson(ctx, **o, a.id));
  }
  return json::object{{"Accounts", std::move(accounts)}};
}

Result<json::object> ListRoots(CallContext& ctx, const json::object&) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:ListRoots", "*"); !s) return s.error();
  json::array types{json::object{{"Type", "SERVICE_CONTROL_POLICY"}, {"Status", "ENABLED"}},
                    json::object{{"Type", "RESOURCE_CONTROL_POLICY"}, {"Status", "ENABLED"}}};
  return json::object{
      {"Roots", json::array{json::object{
                    {"Id", (*o)->root_id}, {"Arn", RootArn(**o)}, {"Name", "Root"}, {"PolicyTypes", types}}}}};
}

Result<json::object> ListOrganizationalUnitsForParent(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  const std::string parent = Str(in, "ParentId");
  const std::string parent_arn = parent == (*o)->root_id ? RootArn(**o) : OuArn(**o, parent);
  if (auto s = Allow(ctx, **o, "organizations:ListOrganizationalUnitsForParent", parent_arn); !s) return s.error();
  json::array units;
  bool known = parent == (*o)->root_id;
  for (const auto& u : (*o)->units) {
    known = known || u.id == parent;
    if (u.parent_id == parent) units.push_back(json::object{{"Id", u.id}, {"Arn", OuArn(**o, u.id)}, {"Name", u.name}});
  }
  if (!known)
    return AwsError::Client("ParentNotFoundException",
                            "We can't find a root or OU with the ParentId that you specified.");
  return json::object{{"OrganizationalUnits", std::move(units)}};
}

Result<json::object> ListAccountsForParent(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  const std::string parent = Str(in, "ParentId");
  const std::string parent_arn = parent == (*o)->root_id ? RootArn(**o) : OuArn(**o, parent);
  if (auto s = Allow(ctx, **o, "organizations:ListAccountsForParent", parent_arn); !s) return s.error();
  json::array accounts;
  if (parent == (*o)->root_id) {
    accounts.push_back(AccountJson(ctx, **o, (*o)->management_account));
  } else {
    bool known = false;
    for (const auto& u : (*o)->units) {
      if (u.id != parent) continue;
      known = true;
      for (const auto& a : u.accounts) accounts.push_back(AccountJson(ctx, **o, a));
    }
    if (!known)
      return AwsError::Client("ParentNotFoundException",
                              "We can't find a root or OU with the ParentId that you specified.");
  }
  return json::object{{"Accounts", std::move(accounts)}};
}

json::object Summary(const Organization& o, const identity::OrgPolicy& p) {
  return json::object{{"Id", p.id},     {"Arn", PolicyArn(o, p)},
                      {"Name", p.name}, {"Description", p.description},
                      {"Type", p.type}, {"AwsManaged", p.id == "p-FullAWSAccess"}};
}

Status StorePolicy(CallContext& ctx, const identity::OrgPolicy& p) {
  json::array targets;
  for (const auto& t : p.targets) targets.emplace_back(t);
  const std::string body = json::serialize(json::object{{"Id", p.id},
                                                        {"Name", p.name},
                                                        {"Type", p.type},
                                                        {"Description", p.description},
                                                        {"Content", p.document},
                                                        {"Targets", std::move(targets)}});
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) {
    return tx.Put(identity::kOrganizationScope, identity::kOrgPolicyKind, p.id, body);
  });
  return s;
}

Result<identity::OrgPolicy> FindPolicy(CallContext& ctx, const std::string& id) {
  auto policies = ctx.identities.OrganizationPolicies();
  if (!policies) return policies.error();
  for (const auto& p : **policies) {
    if (p.id == id) return p;
  }
  return AwsError::Client("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
}

Result<json::object> CreatePolicy(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:CreatePolicy", "*"); !s) return s.error();
  identity::OrgPolicy p{"p-" + identity::IdentityStore::NewSecret(8),
                        Str(in, "Name"),
                        Str(in, "Type"),
                        Str(in, "Description"),
                        Str(in, "Content"),
                        {}};
  for (char& c : p.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::erase_if(p.id, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; });
  while (p.id.size() < 10) p.id += '0';
  if (p.type != "SERVICE_CONTROL_POLICY" && p.type != "RESOURCE_CONTROL_POLICY") {
    return AwsError::Client(
        "PolicyTypeNotAvailableForOrganizationException",
        "You can't use the specified policy type with the feature set currently enabled for this organization.");
  }
  auto parsed = policy::ParsePolicy(
      p.document, {.kind = p.type == "SERVICE_CONTROL_POLICY" ? policy::PolicyKind::kScp : policy::PolicyKind::kRcp});
  if (!parsed) {
    return AwsError::Client(
        "MalformedPolicyDocumentException",
        "The provided policy document doesn't meet the requirements of the specified policy type. " +
            parsed.error().message);
  }
  if (auto s = StorePolicy(ctx, p); !s) return s.error();
  return json::object{{"Policy", json::object{{"PolicySummary", Summary(**o, p)}, {"Content", p.document}}}};
}

Result<json::object> DescribePolicy(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  auto p = FindPolicy(ctx, Str(in, "PolicyId"));
  if (!p) return p.error();
  if (auto s = Allow(ctx, **o, "organizations:DescribePolicy", PolicyArn(**o, *p)); !s) return s.error();
  return json::object{{"Policy", json::object{{"PolicySummary", Summary(**o, *p)}, {"Content", p->document}}}};
}

Result<json::object> ListPolicies(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:ListPolicies", "*"); !s) return s.error();
  auto policies = ctx.identities.OrganizationPolicies();
  if (!policies) return policies.error();
  json::array out;
  for (const auto& p : **policies) {
    if (p.type == Str(in, "Filter")) out.push_back(Summary(**o, p));
  }
  return json::object{{"Policies", std::move(out)}};
}

Result<json::object> ChangeAttachment(CallContext& ctx, const json::object& in, bool attach) {
  auto o = Org(ctx);
  if (!o) return o.error();
  auto p = FindPolicy(ctx, Str(in, "PolicyId"));
  if (!p) return p.error();
  const std::string target = Str(in, "TargetId");
  if (auto s =
          Allow(ctx, **o, attach ? "organizations:AttachPolicy" : "organizations:DetachPolicy", PolicyArn(**o, *p));
      !s) {
    return s.error();
  }
  const bool known = target == (*o)->root_id || ctx.identities.config().FindAccount(target) != nullptr ||
                     std::any_of((*o)->units.begin(), (*o)->units.end(), [&](const auto& u) { return u.id == target; });
  if (!known)
    return AwsError::Client("TargetNotFoundException",
                            "We can't find a root, OU, account, or policy with the TargetId that you specified.");
  const bool present = std::find(p->targets.begin(), p->targets.end(), target) != p->targets.end();
  if (attach && present) {
    return AwsError::Client("DuplicatePolicyAttachmentException",
                            "The selected policy is already attached to the specified target.");
  }
  if (!attach && !present) {
    return AwsError::Client("PolicyNotAttachedException",
                            "The policy isn't attached to the specified target in the specified root.");
  }
  if (attach) {
    p->targets.push_back(target);
  } else {
    std::erase(p->targets, target);
  }
  if (auto s = StorePolicy(ctx, *p); !s) return s.error();
  return json::object{};
}
Result<json::object> AttachPolicy(CallContext& ctx, const json::object& in) { return ChangeAttachment(ctx, in, true); }
Result<json::object> DetachPolicy(CallContext& ctx, const json::object& in) { return ChangeAttachment(ctx, in, false); }

Result<json::object> EnablePolicyType(CallContext& ctx, const json::object& in) {
  auto o = Org(ctx);
  if (!o) return o.error();
  if (auto s = Allow(ctx, **o, "organizations:EnablePolicyType", RootArn(**o)); !s) return s.error();
  if (Str(in, "RootId") != (*o)->root_id) {
    return AwsError::Client("RootNotFoundException", "We can't find a root with the RootId that you specified.");
  }
  // Both policy types are enabled from the start in xacct; enabling one again is what AWS answers then.
  return AwsError::Client("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.");
}

}  // namespace

const HandlerTable& OrganizationsHandlers() {
  static const HandlerTable table{
      {"AttachPolicy", &AttachPolicy},
      {"CreatePolicy", &CreatePolicy},
      {"DescribeOrganization", &DescribeOrganization},
      {"DescribePolicy", &DescribePolicy},
      {"DetachPolicy", &DetachPolicy},
      {"EnablePolicyType", &EnablePolicyType},
      {"ListAccounts", &ListAccounts},
      {"ListAccountsForParent", &ListAccountsForParent},
      {"ListOrganizationalUnitsForParent", &ListOrganizationalUnitsForParent},
      {"ListPolicies", &ListPolicies},
      {"ListRoots", &ListRoots},
  };
  return table;
}

}  // namespace xacct::services
