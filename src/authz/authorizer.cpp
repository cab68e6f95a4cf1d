#include "authz/authorizer.h"

#include "policy/explain.h"

namespace xacct::authz {

namespace {

using identity::PrincipalType;

constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

std::string PrincipalTypeKey(PrincipalType t) {
  switch (t) {
    case PrincipalType::kRoot:
      return "Account";
    case PrincipalType::kUser:
      return "User";
    case PrincipalType::kAssumedRole:
      return "AssumedRole";
    case PrincipalType::kService:
      return "AWSService";
    case PrincipalType::kAnonymous:
      return "Anonymous";
  }
  return "Anonymous";
}

std::string EpochText(int64_t t) { return std::to_string(t); }

}  // namespace

Status Authorizer::AddOrgLevels(std::string_view account, std::string_view type, Compiled* out) {
  const auto& org = identities_.config().organization;
  // Neither SCPs nor RCPs apply to the management account (AWS Organizations User Guide).
  if (!org || account == org->management_account) return Ok{};
  const auto path = org->LevelsOf(account);
  if (path.empty()) return Ok{};
  const auto kind = type == "SERVICE_CONTROL_POLICY" ? policy::PolicyKind::kScp : policy::PolicyKind::kAny;
  auto policies = identities_.OrganizationPolicies();
  if (!policies) return policies.error();
  for (const auto& level : path) {
    auto& compiled = out->levels.emplace_back();
    for (const auto& p : **policies) {
      if (p.type != type || std::find(p.targets.begin(), p.targets.end(), level) == p.targets.end()) continue;
      auto c = identities_.Compile(p.document, kind, p.name + " (" + p.id + ") attached to " + level);
      if (!c) return c.error();
      out->keep.push_back(*c);
      compiled.push_back(c->get());
    }
  }
  return Ok{};
}

Result<std::shared_ptr<const Authorizer::Compiled>> Authorizer::PrincipalSide(const identity::Principal& principal) {
  const uint64_t generation = identities_.db().generation();
  const std::string key =
      std::to_string(static_cast<int>(principal.type)) + principal.arn + "|" + principal.access_key_id;
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = principal_cache_.find(key); it != principal_cache_.end() && it->second->generation == generation) {
      return it->second;
    }
  }
  auto side = std::make_shared<Compiled>();
  side->generation = generation;
  if (principal.type == PrincipalType::kRoot) {
    auto all = identities_.Compile(kAllowAll, policy::PolicyKind::kIdentity, "the account root's full access");
    if (!all) return all.error();
    side->keep.push_back(*all);
    side->identity.push_back(all->get());
  } else if (principal.type == PrincipalType::kUser || principal.type == PrincipalType::kAssumedRole) {
    auto policies = identities_.PoliciesOf(principal);
    if (!policies) return policies.error();
    for (auto& p : policies->identity) {
      side->identity.push_back(p.get());
      side->keep.push_back(std::move(p));
    }
    if (policies->boundary) {
      side->boundary = policies->boundary.get();
      side->keep.push_back(policies->boundary);
    }
    if (policies->session) {
      side->session = policies->session.get();
      side->keep.push_back(policies->session);
    }
  }
  if (principal.type != PrincipalType::kAnonymous && principal.type != PrincipalType::kService) {
    if (auto s = AddOrgLevels(principal.account, "SERVICE_CONTROL_POLICY", side.get()); !s) return s.error();
  }
  std::lock_guard lock(cache_mu_);
  if (principal_cache_.size() > 10000) principal_cache_.clear();
  principal_cache_[key] = side;
  return std::shared_ptr<const Compiled>(side);
}

Result<std::shared_ptr<const Authorizer::Compiled>> Authorizer::ResourceSide(const std::string& account) {
  const uint64_t generation = identities_.db().generation();
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = resource_cache_.find(account); it != resource_cache_.end() && it->second->generation == generation) {
      return it->second;
    }
  }
  auto side = std::make_shared<Compiled>();
  side->generation = generation;
  if (auto s = AddOrgLevels(account, "RESOURCE_CONTROL_POLICY", side.get()); !s) return s.error();
  std::lock_guard lock(cache_mu_);
  if (resource_cache_.size() > 10000) resource_cache_.clear();
  resource_cache_[account] = side;
  return std::shared_ptr<const Compiled>(side);
}

void Authorizer::BuildContext(const identity::Principal& p, const RequestInfo& r, const Check& check,
                              policy::Context* c) const {
  const auto& org = identities_.config().organization;
  if (p.type != PrincipalType::kAnonymous && p.type != PrincipalType::kService) {
    c->Set("aws:PrincipalArn", p.IsSession() ? p.role_arn : p.arn);
    c->Set("aws:PrincipalAccount", p.account);
    c->Set("aws:PrincipalType", PrincipalTypeKey(p.type));
    c->Set("aws:userid", p.user_id);
    c->Set("aws:PrincipalIsAWSService", "false");
    if (p.type == PrincipalType::kUser) c->Set("aws:username", p.name);
    if (org && org->IsMember(p.account)) {
      c->Set("aws:PrincipalOrgID", org->id);
      c->SetMulti("aws:PrincipalOrgPaths", {org->OrgPathOf(p.account)});
    }
    for (const auto& [k, v] : p.tags) c->Set("aws:PrincipalTag/" + k, v);
    if (p.temporary) {
      // Temporary credentials without MFA say so; long-term keys leave the key out (IAM User Guide).
      c->Set("aws:MultiFactorAuthPresent", "false");
      c->Set("aws:TokenIssueTime", identity::IsoTime(p.issued_at));
    }
    if (p.IsSession()) {
      if (!p.source_identity.empty()) c->Set("aws:SourceIdentity", p.source_identity);
    }
  }
  if (org && org->IsMember(check.resource_account)) {
    c->Set("aws:ResourceOrgID", org->id);
    c->SetMulti("aws:ResourceOrgPaths", {org->OrgPathOf(check.resource_account)});
  }
  c->Set("aws:ResourceAccount", check.resource_account);
  c->Set("aws:CurrentTime", identity::IsoTime(r.now));
  c->Set("aws:EpochTime", EpochText(r.now));
  c->Set("aws:SecureTransport", r.secure_transport ? "true" : "false");
  if (!r.region.empty()) c->Set("aws:RequestedRegion", r.region);
  if (r.called_via.empty()) {
    if (!r.source_ip.empty()) c->Set("aws:SourceIp", r.source_ip);
    c->Set("aws:ViaAWSService", "false");
  } else {
    // A service acting for the caller: CalledVia instead of the client's address (IAM User Guide).
    c->SetMulti("aws:CalledVia", r.called_via);
    c->Set("aws:CalledViaFirst", r.called_via.front());
    c->Set("aws:CalledViaLast", r.called_via.back());
    c->Set("aws:ViaAWSService", "true");
  }
  for (const auto& [k, v] : check.context) c->Set(k, v);
  for (const auto& [k, v] : check.multi_context) c->SetMulti(k, v);
}

Status Authorizer::Authorize(const identity::Principal& principal, const RequestInfo& request, const Check& check,
                             std::string* explanation) {
  auto principal_side = PrincipalSide(principal);
  if (!principal_side) return principal_side.error();
  auto resource_side = ResourceSide(check.resource_account);
  if (!resource_side) return resource_side.error();
  const policy::PolicySet set{.identity = (*principal_side)->identity,
                              .resource = check.resource_policy.get(),
                              .boundary = (*principal_side)->boundary,
                              .session = (*principal_side)->session,
                              .scps = (*principal_side)->levels,
                              .rcps = (*resource_side)->levels};
  policy::Request r;
  if (principal.type == PrincipalType::kRoot) {
    r.caller.kind = policy::CallerKind::kOther;
    r.caller.arn = principal.arn;
    r.caller.account = principal.account;
  } else if (principal.type == PrincipalType::kService) {
    r.caller = policy::Caller::From(principal.arn);
  } else if (principal.type == PrincipalType::kAnonymous) {
    r.caller = policy::Caller::From(std::nullopt);
  } else {
    r.caller = policy::Caller::From(principal.arn);
    if (principal.IsSession()) r.caller.WithRoleArn(principal.role_arn);
  }
  r.action = policy::ActionName::From(check.action);
  r.resource = policy::ResourceName::From(check.resource);
  r.resource_account = check.resource_account;
  BuildContext(principal, request, check, &r.context);
  const policy::Decision d = policy::Evaluate(r, set);
  std::string words = policy::Explain(d, r, set);
  if (audit_ != nullptr) {
    json::object record{{"time", identity::IsoTime(request.now)},
                        {"requestId", request.request_id},
                        {"service", request.service},
                        {"operation", request.operation},
                        {"principal", principal.type == PrincipalType::kAnonymous ? "anonymous" : principal.arn},
                        {"accessKeyId", principal.access_key_id},
                        {"action", check.action},
                        {"resource", check.resource},
                        {"resourceAccount", check.resource_account},
                        {"decision", policy::VerdictName(d.verdict)},
                        {"explanation", words}};
    if (!request.called_via.empty()) {
      json::array via;
      for (const auto& s : request.called_via) via.emplace_back(s);
      record["calledVia"] = std::move(via);
    }
    audit_->Append(record);
  }
  if (explanation != nullptr) *explanation = words;
  if (d.verdict == policy::Verdict::kAllowed) return Ok{};
  const std::string who = principal.type == PrincipalType::kAnonymous ? "anonymous" : principal.arn;
  std::string message = "User: " + who + " is not authorized to perform: " + check.action +
                        " on resource: " + check.resource + " " + policy::AwsDenialReason(d, r);
  if (explain_denials_) message += " (xacct: " + words + ")";
  AwsError e = AwsError::Client(check.denied_code, std::move(message), check.denied_status);
  e.detail = std::move(words);
  return e;
}

}  // namespace xacct::authz
