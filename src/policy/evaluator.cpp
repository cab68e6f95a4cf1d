#include "policy/evaluator.h"

#include <algorithm>

namespace xacct::policy {

namespace {

struct Scan {
  StatementRef allow;  //!< the first applicable Allow
  StatementRef deny;   //!< the first applicable Deny
};

// Scans one policy whose statements carry no Principal (identity, boundary, session, SCP).
void ScanPolicy(const Policy& policy, PolicyRole role, uint8_t level, const Request& r, Scan* scan) {
  for (const uint32_t n : policy.Candidates(r.action.service_hash)) {
    const Statement& s = policy.statements[n];
    if (s.effect == Effect::kAllow && scan->allow.statement != nullptr) continue;
    if (!s.Applies(r.action, r.resource, r.context)) continue;
    const StatementRef ref{&policy, &s, role, level};
    if (s.effect == Effect::kDeny) {
      scan->deny = ref;
      return;
    }
    scan->allow = ref;
  }
}

Decision Deny(const StatementRef& ref, Decision d) {
  d.verdict = Verdict::kExplicitlyDenied;
  d.basis = Basis::kExplicitDeny;
  d.ref_count = 0;
  d.Add(ref);
  return d;
}

Decision Allow(Basis basis, Decision d) {
  d.verdict = Verdict::kAllowed;
  d.basis = basis;
  return d;
}

Decision Implicit(uint8_t missing, Decision d) {
  d.verdict = Verdict::kImplicitlyDenied;
  d.basis = Basis::kMissingGrant;
  d.missing = missing;
  return d;
}

}  // namespace

bool RcpSupportsService(std::string_view service) {
  static constexpr std::string_view kServices[] = {"s3",  "sts",  "kms",  "sqs",         "secretsmanager",
                                                   "ecr", "aoss", "logs", "cognito-idp", "cognito-identity"};
  return std::find(std::begin(kServices), std::end(kServices), service) != std::end(kServices);
}

bool IsTrustCheck(const Request& r) {
  return r.action.service == "sts" && r.resource.is_arn && r.resource.parts[2] == "iam" &&
         r.resource.parts[5].starts_with("role/");
}

Decision Evaluate(const Request& r, const PolicySet& p) {
  Decision d;
  const Caller& caller = r.caller;
  d.cross_account = !caller.account.empty() && caller.account != r.resource_account;
  d.trust = IsTrustCheck(r);

  if (caller.kind != CallerKind::kAnonymous && r.action.service == "sts" && r.action.name == "getcalleridentity") {
    return Allow(Basis::kCallerIdentity, d);
  }

  // Identity side: identity policies, permissions boundary, session policy.
  Scan identity;
  for (size_t i = 0; i < p.identity.size(); ++i) {
    Scan one;
    ScanPolicy(*p.identity[i], PolicyRole::kIdentity, 0, r, &one);
    if (one.deny.statement != nullptr) return Deny(one.deny, d);
    if (identity.allow.statement == nullptr) identity.allow = one.allow;
  }
  Scan boundary;
  if (p.boundary != nullptr) {
    ScanPolicy(*p.boundary, PolicyRole::kBoundary, 0, r, &boundary);
    if (boundary.deny.statement != nullptr) return Deny(boundary.deny, d);
  }
  Scan session;
  if (p.session != nullptr) {
    ScanPolicy(*p.session, PolicyRole::kSession, 0, r, &session);
    if (session.deny.statement != nullptr) return Deny(session.deny, d);
  }

  // SCPs: a Deny at any level wins; every level must have an Allow.
  int scp_missing = -1;
  for (size_t level = 0; level < p.scps.size(); ++level) {
    bool allowed = false;
    for (const Policy* scp : p.scps[level]) {
      Scan one;
      ScanPolicy(*scp, PolicyRole::kScp, static_cast<uint8_t>(level), r, &one);
      if (one.deny.statement != nullptr) return Deny(one.deny, d);
      allowed = allowed || one.allow.statement != nullptr;
    }
    if (!allowed && scp_missing < 0) scp_missing = static_cast<int>(level);
  }

  // RCPs only deny (RCPFullAWSAccess allows everything at every level).
  if (RcpSupportsService(r.action.service)) {
    for (size_t level = 0; level < p.rcps.size(); ++level) {
      for (const Policy* rcp : p.rcps[level]) {
        for (const uint32_t n : rcp->Candidates(r.action.service_hash)) {
          const Statement& s = rcp->statements[n];
          if (s.effect != Effect::kDeny) continue;
          if (s.principal.present && s.principal.Match(caller) == PrincipalMatch::kNone) continue;
          if (s.Applies(r.action, r.resource, r.context)) {
            return Deny({rcp, &s, PolicyRole::kRcp, static_cast<uint8_t>(level)}, d);
          }
        }
      }
    }
  }

  // The resource policy: the strongest Allow that names the caller, or a Deny that names it at all.
  StatementRef resource_allow;
  if (p.resource != nullptr) {
    for (const uint32_t n : p.resource->Candidates(r.action.service_hash)) {
      const Statement& s = p.resource->statements[n];
      PrincipalMatch m = s.principal.present ? s.principal.Match(caller) : PrincipalMatch::kNone;
      // "NotPrincipal" with Deny always applies to a principal that has a permissions boundary.
      if (s.effect == Effect::kDeny && s.principal.negated && p.boundary != nullptr && caller.IsIamPrincipal()) {
        m = PrincipalMatch::kDirect;
      }
      if (m == PrincipalMatch::kNone) continue;
      if (s.effect == Effect::kAllow && m <= d.resource_match) continue;
      if (!s.Applies(r.action, r.resource, r.context)) continue;
      const StatementRef ref{p.resource, &s, PolicyRole::kResource, 0};
      if (s.effect == Effect::kDeny) return Deny(ref, d);
      d.resource_match = m;
      resource_allow = ref;
    }
  }

  if (scp_missing >= 0) {
    d.verdict = Verdict::kImplicitlyDenied;
    d.basis = Basis::kScpLevelNoAllow;
    d.scp_level = static_cast<int8_t>(scp_missing);
    return d;
  }

  const bool has_identity = identity.allow.statement != nullptr;
  const bool boundary_ok = p.boundary == nullptr || boundary.allow.statement != nullptr;
  const bool session_ok = p.session == nullptr || session.allow.statement != nullptr;
  const bool identity_side = has_identity && boundary_ok && session_ok;
  uint8_t identity_missing = 0;
  if (!has_identity) identity_missing |= kMissingIdentity;
  if (!boundary_ok) identity_missing |= kMissingBoundary;
  if (!session_ok) identity_missing |= kMissingSession;
  const uint8_t resource_missing = p.resource == nullptr ? kNoResourcePolicy : kMissingResource;
  auto add_identity_refs = [&] {
    d.Add(identity.allow);
    d.Add(boundary.allow);
    d.Add(session.allow);
  };

  // Service principals and anonymous callers have no identity side.
  if (caller.kind == CallerKind::kService || caller.kind == CallerKind::kAnonymous) {
    if (d.resource_match == PrincipalMatch::kNone) return Implicit(resource_missing, d);
    d.Add(resource_allow);
    return Allow(Basis::kResourceAllows, d);
  }

  if (d.trust || d.cross_account) {
    if (d.resource_match == PrincipalMatch::kNone) {
      return Implicit(static_cast<uint8_t>(resource_missing | (d.cross_account ? identity_missing : 0)), d);
    }
    if (d.cross_account) {
      if (!identity_side) return Implicit(identity_missing, d);
      add_identity_refs();
      d.Add(resource_allow);
      return Allow(Basis::kBothAllow, d);
    }
    // Same account, role trust policy: it must allow; how it names the caller decides the rest.
    d.Add(resource_allow);
    if (d.resource_match == PrincipalMatch::kDirect) return Allow(Basis::kResourceAllows, d);
    if (d.resource_match == PrincipalMatch::kRoleArn) {
      if (boundary_ok && session_ok) return Allow(Basis::kResourceAllows, d);
      return Implicit(static_cast<uint8_t>(identity_missing & (kMissingBoundary | kMissingSession)), d);
    }
    if (!identity_side) return Implicit(static_cast<uint8_t>(identity_missing | kResourceOnlyAccount), d);
    add_identity_refs();
    return Allow(Basis::kBothAllow, d);
  }

  // Same account.
  if (identity_side) {
    add_identity_refs();
    return Allow(Basis::kIdentityAllows, d);
  }
  if (d.resource_match == PrincipalMatch::kDirect ||
      (d.resource_match == PrincipalMatch::kRoleArn && boundary_ok && session_ok)) {
    d.Add(resource_allow);
    return Allow(Basis::kResourceAllows, d);
  }
  uint8_t missing = identity_missing;
  if (d.resource_match == PrincipalMatch::kNone) missing |= resource_missing;
  if (d.resource_match == PrincipalMatch::kAccount) missing |= kResourceOnlyAccount;
  d.Add(resource_allow);
  return Implicit(missing, d);
}

}  // namespace xacct::policy
