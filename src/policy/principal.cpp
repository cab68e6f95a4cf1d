#include "policy/principal.h"

#include "common/arn.h"

namespace xacct::policy {

namespace {

std::string_view LastSegment(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

PrincipalMatch EntryMatch(const PrincipalEntry& e, const Caller& c) {
  using T = PrincipalEntry::Type;
  switch (e.type) {
    case T::kEveryone:
      return PrincipalMatch::kDirect;
    case T::kAccount:
      return (c.IsIamPrincipal() || c.kind == CallerKind::kOther) && c.account == e.account ? PrincipalMatch::kAccount
                                                                                            : PrincipalMatch::kNone;
    case T::kUser:
    case T::kArn:
      return c.kind != CallerKind::kService && c.kind != CallerKind::kAnonymous && c.arn == e.value
                 ? PrincipalMatch::kDirect
                 : PrincipalMatch::kNone;
    case T::kRole:
      if (c.kind == CallerKind::kRole && c.arn == e.value) return PrincipalMatch::kRoleArn;
      // A session matches its role's ARN, path included when the caller knows it.
      if (c.kind == CallerKind::kSession && c.role_arn == e.value) return PrincipalMatch::kRoleArn;
      return PrincipalMatch::kNone;
    case T::kService:
      return c.kind == CallerKind::kService && c.arn == e.value ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
    case T::kFederated:
    case T::kCanonicalUser:
      return PrincipalMatch::kNone;
  }
  return PrincipalMatch::kNone;
}

}  // namespace

Caller Caller::From(const std::optional<std::string>& principal) {
  Caller c;
  if (!principal) return c;
  c.arn = *principal;
  const auto arn = ArnView::Parse(c.arn);
  if (!arn) {
    c.kind = CallerKind::kService;  // "states.amazonaws.com" and the like
    return c;
  }
  c.account = std::string(arn->account);
  c.kind = CallerKind::kOther;
  if (arn->service == "iam" && arn->resource.starts_with("user/")) {
    c.kind = CallerKind::kUser;
  } else if (arn->service == "iam" && arn->resource.starts_with("role/")) {
    c.kind = CallerKind::kRole;
    c.role_name = std::string(LastSegment(arn->resource));
    c.role_arn = "arn:" + std::string(arn->partition) + ":iam::" + c.account + ":role/" + c.role_name;
  } else if (arn->service == "sts" && arn->resource.starts_with("assumed-role/")) {
    c.kind = CallerKind::kSession;
    std::string_view rest = arn->resource.substr(13);
    c.role_name = std::string(rest.substr(0, rest.find('/')));
    c.role_arn = "arn:" + std::string(arn->partition) + ":iam::" + c.account + ":role/" + c.role_name;
  }
  return c;
}

void Caller::WithRoleArn(std::string_view arn_text) {
  if (kind != CallerKind::kSession) return;
  const auto arn = ArnView::Parse(arn_text);
  if (!arn || arn->service != "iam" || arn->account != account || !arn->resource.starts_with("role/") ||
      LastSegment(arn->resource) != role_name) {
    return;
  }
  role_arn = std::string(arn_text);
}

PrincipalMatch PrincipalBlock::Match(const Caller& caller) const {
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const auto& e : entries) {
    const PrincipalMatch m = EntryMatch(e, caller);
    if (m > best) best = m;
  }
  if (negated) return best == PrincipalMatch::kNone ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  return best;
}

std::optional<PrincipalEntry> ParseAwsPrincipal(std::string_view value) {
  using T = PrincipalEntry::Type;
  if (value == "*") return PrincipalEntry{T::kEveryone, "*", "", ""};
  if (IsAccountId(value)) return PrincipalEntry{T::kAccount, std::string(value), std::string(value), ""};
  const auto arn = ArnView::Parse(value);
  if (!arn || !IsAccountId(arn->account)) return std::nullopt;
  if (arn->service != "iam" && arn->service != "sts") return std::nullopt;
  PrincipalEntry e{T::kArn, std::string(value), std::string(arn->account), ""};
  if (arn->service == "iam" && arn->resource == "root") {
    e.type = T::kAccount;
  } else if (arn->service == "iam" && arn->resource.starts_with("user/")) {
    e.type = T::kUser;
  } else if (arn->service == "iam" && arn->resource.starts_with("role/")) {
    e.type = T::kRole;
    e.role_name = std::string(LastSegment(arn->resource));
  }
  return e;
}

}  // namespace xacct::policy
