#include "services/sts/sts_provider.h"

#include "common/arn.h"
#include "policy/context.h"
#include "policy/parser.h"

namespace xacct::services {

namespace {

using identity::IdentityStore;
using identity::PrincipalType;

constexpr int64_t kDefaultDuration = 3600;
constexpr int64_t kChainedLimit = 3600;

Result<json::object> GetCallerIdentity(CallContext& ctx, const json::object&) {
  const auto& p = ctx.caller;
  // No permission is needed (STS API Reference), but the call is still recorded.
  authz::Check check{.action = "sts:GetCallerIdentity", .resource = "*", .resource_account = p.account};
  (void)ctx.Authorize(check);
  return json::object{{"UserId", p.user_id}, {"Account", p.account}, {"Arn", p.arn}};
}

// Tags passed in a request: [{Key, Value}] as a list of pairs.
std::vector<std::pair<std::string, std::string>> RequestTags(const json::object& in) {
  std::vector<std::pair<std::string, std::string>> tags;
  if (const auto* t = in.if_contains("Tags"); t != nullptr && t->is_array()) {
    for (const auto& tag : t->as_array()) {
      if (tag.is_object()) tags.emplace_back(Str(tag.as_object(), "Key"), Str(tag.as_object(), "Value"));
    }
  }
  return tags;
}

// AssumeRole's work, shared by the operation and AssumeRoleForService: `extra` request keys (aws:SourceArn,
// aws:SourceAccount for a service) join the check; `key_id` receives the new session's access key id.
Result<json::object> AssumeRoleAs(CallContext& ctx, const json::object& in,
                                  const std::vector<std::pair<std::string, std::string>>& extra,
                                  std::string* key_id_out) {
  const std::string role_arn = Str(in, "RoleArn");
  const std::string session_name = Str(in, "RoleSessionName");
  const auto arn = ArnView::Parse(role_arn);
  const auto& caller = ctx.caller;
  if (caller.type == PrincipalType::kRoot) {
    // AWS: the root user cannot call AssumeRole.
    return AwsError::Client("AccessDenied", "Roots may not assume roles", 403);
  }
  authz::Check check{.action = "sts:AssumeRole", .resource = role_arn};
  check.resource_account = arn ? std::string(arn->account) : caller.account;
  const auto tags = RequestTags(in);
  std::vector<std::string> tag_keys;
  for (const auto& [k, v] : tags) {
    check.context.emplace_back("aws:RequestTag/" + k, v);
    tag_keys.push_back(k);
  }
  if (!tag_keys.empty()) check.multi_context.emplace_back("aws:TagKeys", tag_keys);
  if (const std::string external_id = Str(in, "ExternalId"); !external_id.empty()) {
    check.context.emplace_back("sts:ExternalId", external_id);
  }
  check.context.emplace_back("sts:RoleSessionName", session_name);
  for (const auto& kv : extra) check.context.push_back(kv);
  if (const std::string source = Str(in, "SourceIdentity"); !source.empty()) {
    check.context.emplace_back("sts:SourceIdentity", source);
  }
  std::optional<json::object> role;
  if (arn && arn->service == "iam" && arn->resource.starts_with("role/")) {
    const std::string_view name = arn->resource.substr(arn->resource.rfind('/') + 1);
    auto found = ctx.identities.Get(arn->account, identity::kRoleKind, name);
    if (!found) return found.error();
    if (*found && Str(**found, "Arn") == role_arn) role = std::move(*found);
  }
  if (role) {
    auto trust = ctx.identities.Compile(Str(*role, "AssumeRolePolicyDocument"), policy::PolicyKind::kTrust,
                                        "the trust policy of " + role_arn);
    if (!trust) return trust.error();
    check.resource_policy = *trust;
  }
  // A role that does not exist is denied like one whose trust policy does not allow the caller.
  if (auto s = ctx.Authorize(check); !s) return s.error();
  if (!tags.empty()) {
    authz::Check tag_check = check;
    tag_check.action = "sts:TagSession";
    if (auto s = ctx.Authorize(tag_check); !s) return s.error();
  }
  if (!Str(in, "SourceIdentity").empty()) {
    authz::Check source_check = check;
    source_check.action = "sts:SetSourceIdentity";
    if (auto s = ctx.Authorize(source_check); !s) return s.error();
  }
  if (!role) return AwsError::Client("AccessDenied", "role " + role_arn + " does not exist", 403);

  const int64_t max = Int(*role, "MaxSessionDuration").value_or(3600);
  const int64_t duration = Int(in, "DurationSeconds").value_or(kDefaultDuration);
  const bool chained = caller.IsSession();
  if (chained && duration > kChainedLimit && in.contains("DurationSeconds")) {
    return ValidationError(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  if (duration > max) {
    return ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  // Session policies are validated as identity policies (MalformedPolicyDocument).
  if (const std::string doc = Str(in, "Policy"); !doc.empty()) {
    auto parsed = policy::ParsePolicy(doc, {.kind = policy::PolicyKind::kIdentity});
    if (!parsed) return parsed.error();
  }

  const int64_t now = ctx.request.now;
  const std::string key_id = IdentityStore::NewId("ASIA", 16);
  const std::string secret = IdentityStore::NewSecret(40);
  const std::string token = "IQoJ" + IdentityStore::NewSecret(300);
  const std::string account(arn->account);
  const std::string role_name = Str(*role, "RoleName");
  const std::string session_arn = "arn:aws:sts::" + account + ":assumed-role/" + role_name + "/" + session_name;
  const std::string assumed_role_id = Str(*role, "RoleId") + ":" + session_name;

  // Principal tags of the session: the role's tags, overridden by session tags and the caller's
  // transitive session tags.
  json::array session_tags;
  json::array transitive;
  std::vector<std::pair<std::string, std::string>> merged;
  if (const auto* role_tags = role->if_contains("Tags"); role_tags && role_tags->is_array()) {
    for (const auto& t : role_tags->as_array())
      merged.emplace_back(Str(t.as_object(), "Key"), Str(t.as_object(), "Value"));
  }
  auto put = [&merged](const std::string& k, const std::string& v) {
    for (auto& [mk, mv] : merged) {
      if (policy::EqualsIgnoreCase(mk, k)) {
        mv = v;
        return;
      }
    }
    merged.emplace_back(k, v);
  };
  if (chained) {
    for (const auto& k : caller.transitive_tag_keys) {
      for (const auto& [tk, tv] : caller.tags) {
        if (tk == k) put(tk, tv);
      }
      transitive.emplace_back(k);
    }
  }
  for (const auto& [k, v] : tags) put(k, v);
  if (const auto* keys = in.if_contains("TransitiveTagKeys"); keys && keys->is_array()) {
    for (const auto& k : keys->as_array()) transitive.push_back(k);
  }
  for (const auto& [k, v] : merged) session_tags.push_back(json::object{{"Key", k}, {"Value", v}});

  json::object session{
      {"AccessKeyId", key_id},
      {"SecretAccessKey", secret},
      {"SessionToken", token},
      {"Account", account},
      {"Arn", session_arn},
      {"AssumedRoleId", assumed_role_id},
      {"RoleName", role_name},
      {"RoleArn", Str(*role, "Arn")},
      {"SessionName", session_name},
      {"IssuedAt", now},
      {"Expiration", now + duration},
      {"Tags", session_tags},
      {"TransitiveTagKeys", transitive},
      {"Chained", chained},
      {"SourceIdentity", Str(in, "SourceIdentity").empty() ? caller.source_identity : Str(in, "SourceIdentity")}};
  if (const std::string doc = Str(in, "Policy"); !doc.empty()) session["SessionPolicy"] = doc;
  if (const auto* arns = in.if_contains("PolicyArns"); arns && arns->is_array()) {
    json::array list;
    for (const auto& a : arns->as_array()) list.emplace_back(Str(a.as_object(), "arn"));
    session["SessionPolicyArns"] = list;
  }
  const std::string body = json::serialize(session);
  if (auto s = ctx.identities.db().Write(
          [&](store::Transaction& tx) { return tx.Put(store::Scope::Global(), identity::kSessionKind, key_id, body); });
      !s) {
    return s.error();
  }
  json::object out{{"Credentials", json::object{{"AccessKeyId", key_id},
                                                {"SecretAccessKey", secret},
                                                {"SessionToken", token},
                                                {"Expiration", identity::IsoTime(now + duration)}}},
                   {"AssumedRoleUser", json::object{{"AssumedRoleId", assumed_role_id}, {"Arn", session_arn}}},
                   {"PackedPolicySize", 0}};
  if (const std::string source = Str(session, "SourceIdentity"); !source.empty()) out["SourceIdentity"] = source;
  if (key_id_out != nullptr) *key_id_out = key_id;
  return out;
}

Result<json::object> AssumeRole(CallContext& ctx, const json::object& in) { return AssumeRoleAs(ctx, in, {}, nullptr); }

// Temporary credentials for an IAM user or the account root, standing for that same principal
// (STS API Reference, GetSessionToken: 900 to 129,600 seconds, 3,600 at most for the root user).
Result<json::object> GetSessionToken(CallContext& ctx, const json::object& in) {
  const auto& caller = ctx.caller;
  if (caller.temporary) {
    return AwsError::Client("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
  }
  authz::Check check{.action = "sts:GetSessionToken", .resource = "*", .resource_account = caller.account};
  if (auto s = ctx.Authorize(check); !s) return s.error();
  const int64_t max = caller.type == PrincipalType::kRoot ? 3600 : 129600;
  const int64_t duration = Int(in, "DurationSeconds").value_or(caller.type == PrincipalType::kRoot ? 3600 : 43200);
  if (duration < 900 || duration > max) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(duration) +
                           "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or "
                           "equal to " +
                           std::to_string(max));
  }
  const int64_t now = ctx.request.now;
  const std::string key_id = IdentityStore::NewId("ASIA", 16);
  const std::string secret = IdentityStore::NewSecret(40);
  const std::string token = "IQoJ" + IdentityStore::NewSecret(300);
  json::object session{{"AccessKeyId", key_id},
                       {"SecretAccessKey", secret},
                       {"SessionToken", token},
                       {"Account", caller.account},
                       {"Arn", caller.arn},
                       {"UserName", caller.name},
                       {"Root", caller.type == PrincipalType::kRoot},
                       {"IssuedAt", now},
                       {"Expiration", now + duration}};
  const std::string body = json::serialize(session);
  if (auto s = ctx.identities.db().Write(
          [&](store::Transaction& tx) { return tx.Put(store::Scope::Global(), identity::kSessionKind, key_id, body); });
      !s) {
    return s.error();
  }
  return json::object{{"Credentials", json::object{{"AccessKeyId", key_id},
                                                   {"SecretAccessKey", secret},
                                                   {"SessionToken", token},
                                                   {"Expiration", identity::IsoTime(now + duration)}}}};
}

Result<json::object> GetAccessKeyInfo(CallContext& ctx, const json::object& in) {
  authz::Check check{.action = "sts:GetAccessKeyInfo", .resource = "*", .resource_account = ctx.caller.account};
  if (auto s = ctx.Authorize(check); !s) return s.error();
  auto credential = ctx.identities.LookupAccessKey(Str(in, "AccessKeyId"));
  if (!credential) return credential.error();
  if (!*credential) return AwsError::Client("InvalidParameterValue", "The access key ID provided is not valid.");
  return json::object{{"Account", (*credential)->principal.account}};
}

}  // namespace

Result<identity::Principal> AssumeRoleForService(authz::Authorizer& authz, identity::IdentityStore& identities,
                                                 authz::RequestInfo& request, std::string_view service_principal,
                                                 const std::string& role_arn, const std::string& session_name,
                                                 const std::vector<std::pair<std::string, std::string>>& context,
                                                 std::string* explanation) {
  identity::Principal service;
  service.type = PrincipalType::kService;
  service.arn = std::string(service_principal);
  service.name = std::string(service_principal);
  const std::string saved_service = request.service;
  const std::string saved_operation = request.operation;
  request.service = "sts";
  request.operation = "AssumeRole";
  CallContext ctx{service, request, authz, identities, {}, {}};
  std::string key_id;
  auto out =
      AssumeRoleAs(ctx, json::object{{"RoleArn", role_arn}, {"RoleSessionName", session_name}}, context, &key_id);
  request.service = saved_service;
  request.operation = saved_operation;
  if (explanation != nullptr) *explanation = ctx.explanation;
  if (!out) return out.error();
  auto credential = identities.LookupAccessKey(key_id);
  if (!credential) return credential.error();
  if (!*credential) return AwsError::Server("InternalFailure", "the new session of " + role_arn + " is not stored");
  return std::move((*credential)->principal);
}

const HandlerTable& StsHandlers() {
  static const HandlerTable table{
      {"AssumeRole", &AssumeRole},
      {"GetAccessKeyInfo", &GetAccessKeyInfo},
      {"GetCallerIdentity", &GetCallerIdentity},
      {"GetSessionToken", &GetSessionToken},
  };
  return table;
}

}  // namespace xacct::services
