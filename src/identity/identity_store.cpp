#include "identity/identity_store.h"

#include <chrono>
#include <ctime>
#include <random>

#include "policy/parser.h"

namespace xacct::identity {

namespace {

const auto& Str = StringField;

std::vector<std::pair<std::string, std::string>> Tags(const json::object& o) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const auto* tags = o.if_contains("Tags"); tags != nullptr && tags->is_array()) {
    for (const auto& t : tags->as_array()) {
      if (!t.is_object()) continue;
      out.emplace_back(Str(t.as_object(), "Key"), Str(t.as_object(), "Value"));
    }
  }
  return out;
}

}  // namespace

std::string IsoTime(int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string IdentityStore::NewId(std::string_view prefix, size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string id(prefix);
  for (size_t i = 0; i < length; ++i) id += kAlphabet[rng() % 32];
  return id;
}

std::string IdentityStore::NewSecret(size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string s;
  for (size_t i = 0; i < length; ++i) s += kAlphabet[rng() % 64];
  return s;
}

Result<std::optional<json::object>> IdentityStore::GetScoped(const store::Scope& scope, std::string_view kind,
                                                             std::string_view id) {
  auto text = db_.Get(scope, kind, id);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto v = ParseJson(**text);
  if (!v || !v->is_object())
    return AwsError::Server("InternalFailure", "corrupt document " + std::string(kind) + "/" + std::string(id));
  return std::optional<json::object>(std::move(v->as_object()));
}

Result<std::optional<json::object>> IdentityStore::Get(std::string_view account, std::string_view kind,
                                                       std::string_view id) {
  return GetScoped(store::Scope::Account(std::string(account)), kind, id);
}

Result<std::optional<Credential>> IdentityStore::LookupAccessKey(std::string_view akid) {
  // Credentials change only through the store, so a lookup holds while the store's generation does.
  const uint64_t generation = db_.generation();
  {
    std::lock_guard lock(credentials_mu_);
    if (auto it = credentials_.find(std::string(akid));
        it != credentials_.end() && it->second.generation == generation) {
      return it->second.credential;
    }
  }
  auto found = LookupUncached(akid);
  if (!found) return found;
  std::lock_guard lock(credentials_mu_);
  if (credentials_.size() > 10000) credentials_.clear();
  credentials_[std::string(akid)] = CachedCredential{generation, *found};
  return found;
}

static Principal RootPrincipal(const AccountConfig& a) {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account = a.id;
  p.arn = "arn:aws:iam::" + a.id + ":root";
  p.user_id = a.id;
  return p;
}

// An assumed-role session, as AssumeRole stored it.
static Principal SessionPrincipal(const json::object& s) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account = Str(s, "Account");
  p.arn = Str(s, "Arn");
  p.user_id = Str(s, "AssumedRoleId");
  p.name = Str(s, "RoleName");
  p.role_arn = Str(s, "RoleArn");
  p.session_name = Str(s, "SessionName");
  p.tags = Tags(s);
  if (const auto* keys = s.if_contains("TransitiveTagKeys"); keys != nullptr && keys->is_array()) {
    for (const auto& k : keys->as_array()) p.transitive_tag_keys.emplace_back(JsonString(k));
  }
  if (const auto* policy = s.if_contains("SessionPolicy"); policy != nullptr && policy->is_string()) {
    p.session_policy = std::string(JsonString(*policy));
  }
  if (const auto* arns = s.if_contains("SessionPolicyArns"); arns != nullptr && arns->is_array()) {
    for (const auto& a : arns->as_array()) p.session_policy_arns.emplace_back(JsonString(a));
  }
  p.source_identity = Str(s, "SourceIdentity");
  p.chained = s.if_contains("Chained") != nullptr && s.at("Chained").is_bool() && s.at("Chained").as_bool();
  return p;
}

Result<std::optional<Principal>> IdentityStore::UserPrincipal(const std::string& account, const std::string& name) {
  auto user = Get(account, kUserKind, name);
  if (!user) return user.error();
  if (!*user) return std::optional<Principal>();
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = account;
  p.arn = Str(**user, "Arn");
  p.user_id = Str(**user, "UserId");
  p.name = Str(**user, "UserName");
  p.tags = Tags(**user);
  return std::optional<Principal>(std::move(p));
}

Result<std::optional<Credential>> IdentityStore::LookupUncached(std::string_view akid) {
  Credential c;
  for (const auto& a : config_.accounts) {
    if (a.root_access_key_id != akid) continue;
    c.secret_access_key = a.root_secret_access_key;
    c.principal = RootPrincipal(a);
    c.principal.access_key_id = std::string(akid);
    return std::optional<Credential>(std::move(c));
  }
  if (akid.starts_with("ASIA")) {
    auto doc = GetScoped(store::Scope::Global(), kSessionKind, akid);
    if (!doc) return doc.error();
    if (!*doc) return std::optional<Credential>();
    const json::object& s = **doc;
    c.secret_access_key = Str(s, "SecretAccessKey");
    c.session_token = Str(s, "SessionToken");
    if (s.contains("UserName")) {
      // GetSessionToken: the session stands for the user (or the root) that asked for it.
      const std::string account = Str(s, "Account");
      if (s.at("Root").is_bool() && s.at("Root").as_bool()) {
        const AccountConfig* a = config_.FindAccount(account);
        if (a == nullptr) return std::optional<Credential>();
        c.principal = RootPrincipal(*a);
      } else {
        auto user = UserPrincipal(account, Str(s, "UserName"));
        if (!user) return user.error();
        if (!*user) return std::optional<Credential>();
        c.principal = std::move(**user);
      }
    } else {
      c.principal = SessionPrincipal(s);
    }
    c.principal.access_key_id = std::string(akid);
    c.principal.temporary = true;
    c.principal.issued_at = s.at("IssuedAt").to_number<int64_t>();
    c.principal.expiration = s.at("Expiration").to_number<int64_t>();
    return std::optional<Credential>(std::move(c));
  }
  auto doc = GetScoped(store::Scope::Global(), kAccessKeyKind, akid);
  if (!doc) return doc.error();
  if (!*doc || Str(**doc, "Status") != "Active") return std::optional<Credential>();
  auto user = UserPrincipal(Str(**doc, "Account"), Str(**doc, "UserName"));
  if (!user) return user.error();
  if (!*user) return std::optional<Credential>();
  c.secret_access_key = Str(**doc, "SecretAccessKey");
  c.principal = std::move(**user);
  c.principal.access_key_id = std::string(akid);
  return std::optional<Credential>(std::move(c));
}

Result<std::shared_ptr<const policy::Policy>> IdentityStore::Compile(std::string_view document, policy::PolicyKind kind,
                                                                     std::string label) {
  std::string key = std::to_string(static_cast<int>(kind)) + "\n" + label + "\n" + std::string(document);
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  // Stored documents were validated strictly on write; read them back leniently.
  auto parsed = policy::ParsePolicy(document, {.kind = kind, .label = std::move(label), .strict = false});
  if (!parsed) return parsed.error();
  auto compiled = std::make_shared<const policy::Policy>(std::move(*parsed));
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 10000) cache_.clear();
  cache_.emplace(std::move(key), compiled);
  return compiled;
}

Status IdentityStore::AddAttached(std::string_view account, const json::object& entity, PrincipalPolicies* out) {
  if (const auto* inline_policies = entity.if_contains("xInlinePolicies");
      inline_policies && inline_policies->is_object()) {
    for (const auto& [name, doc] : inline_policies->as_object()) {
      auto p = Compile(JsonString(doc), policy::PolicyKind::kIdentity,
                       "inline policy " + std::string(name) + " of " + Str(entity, "Arn"));
      if (!p) return p.error();
      out->identity.push_back(*p);
    }
  }
  if (const auto* attached = entity.if_contains("xAttachedPolicies"); attached && attached->is_array()) {
    for (const auto& arn_value : attached->as_array()) {
      const std::string arn(JsonString(arn_value));
      const std::string owner = arn.starts_with("arn:aws:iam::aws:") ? "aws" : std::string(account);
      auto policy = GetScoped(store::Scope::Account(owner), kPolicyKind, arn);
      if (!policy) return policy.error();
      if (!*policy) continue;
      const std::string version = Str(**policy, "DefaultVersionId");
      const auto* versions = (*policy)->if_contains("xVersions");
      if (versions == nullptr || !versions->is_object() || !versions->as_object().contains(version)) continue;
      auto p = Compile(JsonString(versions->as_object().at(version).as_object().at("Document")),
                       policy::PolicyKind::kIdentity, arn);
      if (!p) return p.error();
      out->identity.push_back(*p);
    }
  }
  return Ok{};
}

Result<PrincipalPolicies> IdentityStore::PoliciesOf(const Principal& principal) {
  PrincipalPolicies out;
  std::optional<json::object> entity;
  if (principal.type == PrincipalType::kUser) {
    auto user = Get(principal.account, kUserKind, principal.name);
    if (!user) return user.error();
    entity = std::move(*user);
    if (entity) {
      if (const auto* groups = entity->if_contains("xGroups"); groups && groups->is_array()) {
        for (const auto& g : groups->as_array()) {
          auto group = Get(principal.account, kGroupKind, JsonString(g));
          if (!group) return group.error();
          if (*group) {
            if (auto s = AddAttached(principal.account, **group, &out); !s) return s.error();
          }
        }
      }
    }
  } else if (principal.type == PrincipalType::kAssumedRole) {
    auto role = Get(principal.account, kRoleKind, principal.name);
    if (!role) return role.error();
    entity = std::move(*role);
    if (principal.session_policy || !principal.session_policy_arns.empty()) {
      // Inline and managed session policies cap the session together: their union as one document.
      json::array statements;
      auto add = [&](std::string_view doc) {
        auto v = ParseJson(doc);
        if (!v || !v->is_object()) return;
        const auto* s = v->as_object().if_contains("Statement");
        if (s == nullptr) return;
        if (s->is_array()) {
          for (const auto& x : s->as_array()) statements.push_back(x);
        } else {
          statements.push_back(*s);
        }
      };
      if (principal.session_policy) add(*principal.session_policy);
      for (const auto& arn : principal.session_policy_arns) {
        const std::string owner = arn.starts_with("arn:aws:iam::aws:") ? "aws" : principal.account;
        auto policy = GetScoped(store::Scope::Account(owner), kPolicyKind, arn);
        if (!policy) return policy.error();
        if (!*policy) continue;
        const std::string version = Str(**policy, "DefaultVersionId");
        add(JsonString((*policy)->at("xVersions").as_object().at(version).as_object().at("Document")));
      }
      json::object doc{{"Version", "2012-10-17"}, {"Statement", statements}};
      if (statements.empty()) {
        // Session policies that grant nothing: the session may do nothing.
        doc["Statement"] =
            json::array{json::object{{"Effect", "Allow"}, {"Action", "xacct:nothing"}, {"Resource", "*"}}};
      }
      auto p = Compile(json::serialize(doc), policy::PolicyKind::kIdentity, "the session policy of " + principal.arn);
      if (!p) return p.error();
      out.session = *p;
    }
  }
  if (entity) {
    if (auto s = AddAttached(principal.account, *entity, &out); !s) return s.error();
    if (const auto* boundary = entity->if_contains("PermissionsBoundary"); boundary && boundary->is_object()) {
      const std::string arn = Str(boundary->as_object(), "PermissionsBoundaryArn");
      PrincipalPolicies tmp;
      json::object holder{{"xAttachedPolicies", json::array{json::value(arn)}}};
      if (auto s = AddAttached(principal.account, holder, &tmp); !s) return s.error();
      if (!tmp.identity.empty()) out.boundary = tmp.identity.front();
    }
  }
  return out;
}

}  // namespace xacct::identity

namespace xacct::identity {

Result<std::shared_ptr<const std::vector<OrgPolicy>>> IdentityStore::OrganizationPolicies() {
  const uint64_t generation = db_.generation();
  {
    std::lock_guard lock(org_mu_);
    if (org_policies_ && org_generation_ == generation) return org_policies_;
  }
  auto policies = std::make_shared<std::vector<OrgPolicy>>();
  if (config_.organization) *policies = config_.organization->policies;
  auto stored = db_.List(kOrganizationScope, kOrgPolicyKind);
  if (!stored) return stored.error();
  for (const auto& d : *stored) {
    auto v = ParseJson(d.body);
    if (!v || !v->is_object()) continue;
    const json::object& o = v->as_object();
    OrgPolicy p{Str(o, "Id"), Str(o, "Name"), Str(o, "Type"), Str(o, "Description"), Str(o, "Content"), {}};
    if (const auto* targets = o.if_contains("Targets"); targets && targets->is_array()) {
      for (const auto& t : targets->as_array()) p.targets.emplace_back(JsonString(t));
    }
    // A stored policy with a configured id overrides the configured one (its attachments changed).
    std::erase_if(*policies, [&](const OrgPolicy& c) { return c.id == p.id; });
    policies->push_back(std::move(p));
  }
  std::lock_guard lock(org_mu_);
  org_policies_ = policies;
  org_generation_ = generation;
  return org_policies_;
}

}  // namespace xacct::identity
