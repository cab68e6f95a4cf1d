#include "policy/explain.h"

#include <vector>

namespace xacct::policy {

namespace {

std::string_view RoleName(PolicyRole role, bool trust) {
  switch (role) {
    case PolicyRole::kIdentity:
      return "identity-based policy";
    case PolicyRole::kResource:
      return trust ? "role trust policy" : "resource-based policy";
    case PolicyRole::kBoundary:
      return "permissions boundary";
    case PolicyRole::kSession:
      return "session policy";
    case PolicyRole::kScp:
      return "service control policy";
    case PolicyRole::kRcp:
      return "resource control policy";
  }
  return "policy";
}

std::string Describe(const StatementRef& ref, bool trust) {
  std::string out = "statement ";
  if (!ref.statement->sid.empty()) out += "\"" + ref.statement->sid + "\" ";
  out += "(Statement[" + std::to_string(ref.statement->index) + "]) of ";
  const std::string kind(RoleName(ref.role, trust));
  out += ref.policy->label.empty() ? "the " + kind : ref.policy->label + " (" + kind + ")";
  if (ref.role == PolicyRole::kScp || ref.role == PolicyRole::kRcp) {
    out += " at organization level " + std::to_string(ref.level) + " (0 = root)";
  }
  return out;
}

std::string CallerName(const Request& r) {
  if (r.caller.kind == CallerKind::kAnonymous) return "an anonymous caller";
  return r.caller.arn;
}

std::string Side(const Decision& d, const Request& r) {
  if (r.caller.kind == CallerKind::kService) return "service principal request";
  if (r.caller.kind == CallerKind::kAnonymous) return "anonymous request";
  if (d.cross_account) return "cross-account request (" + r.caller.account + " -> " + r.resource_account + ")";
  return "same-account request";
}

// The deciding statements, optionally only those of the identity side or of the resource policy.
enum class Only { kAll, kIdentitySide, kResource };
std::string Refs(const Decision& d, Only only = Only::kAll) {
  std::vector<std::string> parts;
  for (uint8_t i = 0; i < d.ref_count; ++i) {
    const bool resource = d.refs[i].role == PolicyRole::kResource;
    if ((only == Only::kIdentitySide && resource) || (only == Only::kResource && !resource)) continue;
    parts.push_back(Describe(d.refs[i], d.trust));
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllowed:
      return "Allowed";
    case Verdict::kImplicitlyDenied:
      return "ImplicitlyDenied";
    case Verdict::kExplicitlyDenied:
      return "ExplicitlyDenied";
  }
  return "ImplicitlyDenied";
}

std::string ResourcePolicyOwner(const Request& r) {
  const ResourceName& res = r.resource;
  if (!res.is_arn) return res.text;
  const auto& parts = res.parts;
  const std::string prefix = "arn:" + parts[1] + ":" + parts[2] + ":" + parts[3] + ":" + parts[4] + ":";
  if (parts[2] == "glue") return prefix + "catalog";
  if (parts[2] == "s3") return prefix + parts[5].substr(0, parts[5].find('/'));
  if (parts[2] == "dynamodb" && parts[5].starts_with("table/")) {
    const auto cut = parts[5].find('/', 6);
    return prefix + (cut == std::string::npos ? parts[5] : parts[5].substr(0, cut));
  }
  return res.text;
}

std::string Explain(const Decision& d, const Request& r, const PolicySet& p) {
  const std::string action = r.action.text;
  const std::string on = action + " on " + r.resource.text;
  const std::string side = Side(d, r);
  const std::string owner = ResourcePolicyOwner(r);
  const std::string resource_policy = d.trust ? "the trust policy of " + owner : "the resource policy of " + owner;
  switch (d.basis) {
    case Basis::kCallerIdentity:
      return "allowed: sts:GetCallerIdentity needs no permission; every authenticated caller may call it";
    case Basis::kExplicitDeny:
      return "explicitly denied (" + side + "): " + Refs(d) + " denies " + on + " to " + CallerName(r);
    case Basis::kScpLevelNoAllow:
      return "implicitly denied (" + side + "): no service control policy at organization level " +
             std::to_string(d.scp_level) + " (0 = root) allows " + action + " for account " + r.caller.account +
             "; SCPs must allow at every level from the root to the account";
    case Basis::kIdentityAllows:
      return "allowed (" + side + "): " + Refs(d) + (d.ref_count > 1 ? " allow " : " allows ") + on;
    case Basis::kResourceAllows:
      return "allowed (" + side + "): " + Refs(d) + " allows " + on + " to " + CallerName(r);
    case Basis::kBothAllow:
      return "allowed (" + side + "): " + Refs(d, Only::kIdentitySide) + " allow " + on +
             " on the caller's side, and " + Refs(d, Only::kResource) + " of " + owner +
             " allows it on the resource's side";
    case Basis::kMissingGrant:
      break;
  }
  // Implicit deny: say what each side lacked.
  std::string out = "implicitly denied (" + side + "): ";
  std::string sep;
  auto add = [&](const std::string& part) {
    out += sep + part;
    sep = "; ";
  };
  const bool identity_side = r.caller.kind != CallerKind::kService && r.caller.kind != CallerKind::kAnonymous;
  if (d.missing & kNoResourcePolicy) {
    if (d.trust) {
      add("role " + owner + " has no trust policy");
    } else {
      add(owner + " has no resource policy, so nothing " +
          (d.cross_account ? "in account " + r.resource_account + " " : "") + "grants " + action + " to " +
          CallerName(r));
    }
  }
  if (d.missing & kMissingResource) {
    add(resource_policy + " grants nothing to " + CallerName(r) + " for " + action +
        (p.resource != nullptr && !p.resource->label.empty() ? " (" + p.resource->label + ")" : ""));
  }
  if (identity_side && (d.missing & kMissingIdentity)) {
    add("no identity-based policy of " + CallerName(r) + " allows " + on +
        (d.cross_account ? " (across accounts the caller's own account must allow it too)" : ""));
  }
  if (d.missing & kMissingBoundary) {
    add("the permissions boundary" +
        (p.boundary != nullptr && !p.boundary->label.empty() ? " " + p.boundary->label : "") + " does not allow " +
        action +
        (d.resource_match == PrincipalMatch::kRoleArn
             ? " (a resource-policy grant to the role ARN is limited by the boundary)"
             : ""));
  }
  if (d.missing & kMissingSession) {
    add("the session policy passed when the session was created does not allow " + action);
  }
  if (d.missing & kResourceOnlyAccount) {
    add(resource_policy + " names only account " + r.caller.account + " (" + Refs(d) +
        "), which delegates to the account's identity-based policies");
  }
  return out;
}

std::string AwsDenialReason(const Decision& d, const Request& r) {
  const std::string action = r.action.text;
  if (d.basis == Basis::kExplicitDeny && d.ref_count > 0) {
    const PolicyRole role = d.refs[0].role;
    const std::string_view article = role == PolicyRole::kIdentity                ? "an "
                                     : (d.trust && role == PolicyRole::kResource) ? "the "
                                                                                  : "a ";
    return "with an explicit deny in " + std::string(article) + std::string(RoleName(role, d.trust));
  }
  if (d.basis == Basis::kScpLevelNoAllow) return "because no service control policy allows the " + action + " action";
  if (d.missing & kMissingIdentity) return "because no identity-based policy allows the " + action + " action";
  if (d.missing & kMissingBoundary) return "because no permissions boundary allows the " + action + " action";
  if (d.missing & kMissingSession) return "because no session policy allows the " + action + " action";
  if (d.trust) return "because no role trust policy allows the " + action + " action";
  return "because no resource-based policy allows the " + action + " action";
}

}  // namespace xacct::policy
