#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <random>

#include "common/arn.h"
#include "policy/policy.h"
#include "services/states/states_internal.h"

namespace xacct::services::states {

namespace {

Result<ArnView> StatesArn(std::string_view arn) {
  const auto view = ArnView::Parse(arn);
  if (!view || view->service != "states" || view->region.empty() || !IsAccountId(view->account)) {
    return InvalidArn("Invalid ARN prefix: " + std::string(arn));
  }
  return *view;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

}  // namespace

Result<MachineRef> ParseMachineArn(std::string_view arn) {
  auto view = StatesArn(arn);
  if (!view) return view.error();
  const auto parts = Split(view->resource, ':');
  if (parts[0] != "stateMachine") {
    return InvalidArn("Resource type not valid in this context: " + std::string(parts[0]));
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[1].empty()) return InvalidArn(arn);
  MachineRef ref{std::string(view->account), std::string(view->region), std::string(parts[1]), std::nullopt, {}};
  if (ref.name.find('/') != std::string::npos) {
    return InvalidArn("Resource type not valid in this context: Distributed Map label");
  }
  if (parts.size() == 3) {
    const std::string_view qualifier = parts[2];
    if (qualifier.empty()) return InvalidArn(arn);
    if (std::all_of(qualifier.begin(), qualifier.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      if (qualifier.size() > 10) return InvalidArn(arn);
      ref.version = std::stoll(std::string(qualifier));
    } else {
      ref.alias = std::string(qualifier);
    }
  }
  return ref;
}

Result<ExecutionRef> ParseExecutionArn(std::string_view arn) {
  auto view = StatesArn(arn);
  if (!view) return view.error();
  const auto parts = Split(view->resource, ':');
  ExecutionRef ref{std::string(view->account), std::string(view->region), {}, {}, false};
  if (parts[0] == "express") {
    if (parts.size() != 4) return InvalidArn(arn);
    ref.express = true;
  } else if (parts[0] != "execution") {
    return InvalidArn("Resource type not valid in this context: " + std::string(parts[0]));
  } else if (parts.size() != 3) {
    return InvalidArn(arn);
  }
  ref.machine = std::string(parts[1]);
  ref.name = std::string(parts[2]);
  if (ref.machine.empty() || ref.name.empty()) return InvalidArn(arn);
  return ref;
}

std::string MachineArn(std::string_view account, std::string_view region, std::string_view name) {
  return "arn:aws:states:" + std::string(region) + ":" + std::string(account) + ":stateMachine:" + std::string(name);
}

std::string VersionArn(std::string_view machine_arn, int64_t version) {
  return std::string(machine_arn) + ":" + std::to_string(version);
}

std::string AliasArn(std::string_view machine_arn, std::string_view alias) {
  return std::string(machine_arn) + ":" + std::string(alias);
}

std::string ExecutionArn(std::string_view account, std::string_view region, std::string_view machine,
                         std::string_view name) {
  return "arn:aws:states:" + std::string(region) + ":" + std::string(account) + ":execution:" + std::string(machine) +
         ":" + std::string(name);
}

store::Scope ScopeOf(std::string_view account, std::string_view region) {
  return store::Scope{std::string(account), std::string(region)};
}

std::string ExecutionId(std::string_view machine, std::string_view name) {
  return std::string(machine) + "/" + std::string(name);
}

std::string VersionId(std::string_view machine, int64_t version) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%010lld", static_cast<long long>(version));
  return std::string(machine) + "/" + digits;
}

AwsError InvalidArn(std::string_view detail) {
  return AwsError::Client("InvalidArn", "Invalid Arn: '" + std::string(detail) + "'");
}
AwsError InvalidName(std::string_view name) {
  return AwsError::Client("InvalidName", "Invalid Name: '" + std::string(name) + "'");
}
AwsError StateMachineDoesNotExist(std::string_view arn) {
  return AwsError::Client("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + std::string(arn) + "'");
}
AwsError ExecutionDoesNotExist(std::string_view arn) {
  return AwsError::Client("ExecutionDoesNotExist", "Execution Does Not Exist: '" + std::string(arn) + "'");
}
AwsError ResourceNotFound(std::string_view arn) {
  return AwsError::Client("ResourceNotFound", "Resource not found: '" + std::string(arn) + "'");
}
AwsError Validation(std::string message) { return AwsError::Client("ValidationException", std::move(message)); }
AwsError Conflict(std::string message) { return AwsError::Client("ConflictException", std::move(message)); }
AwsError InvalidToken(std::string_view token) {
  return AwsError::Client("InvalidToken", "Invalid Token: '" + std::string(token) + "'");
}
AwsError TypeNotSupported() {
  return AwsError::Client("StateMachineTypeNotSupported",
                          "This operation is not supported by this type of state machine");
}
AwsError UntrustedRole() { return AwsError::Client("AccessDeniedException", std::string(kUntrustedRoleMessage)); }

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  static constexpr std::string_view kForbidden = " <>{}[]?*\"#%\\^|~`$&,;:/";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || kForbidden.find(ch) != std::string_view::npos) return false;
    if (std::isspace(c)) return false;
  }
  // U+0080..U+009F (C1 controls) as UTF-8: C2 80 .. C2 9F.
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    if (static_cast<unsigned char>(name[i]) == 0xC2 && static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(name[i + 1]) <= 0x9F) {
      return false;
    }
  }
  return true;
}

Result<std::optional<json::object>> LoadDoc(store::Database& db, const store::Scope& scope, std::string_view kind,
                                            std::string_view id) {
  auto text = db.Get(scope, kind, id);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto parsed = ParseJson(**text);
  if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt Step Functions document");
  return std::optional<json::object>(std::move(parsed->as_object()));
}

Result<std::vector<json::object>> ListDocs(store::Database& db, const store::Scope& scope, std::string_view kind,
                                           std::string_view id_prefix) {
  auto docs = db.List(scope, kind, id_prefix);
  if (!docs) return docs.error();
  std::vector<json::object> out;
  out.reserve(docs->size());
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (parsed && parsed->is_object()) out.push_back(std::move(parsed->as_object()));
  }
  return out;
}

Result<Resolved> Resolve(store::Database& db, const MachineRef& ref, std::string_view arn_text) {
  const store::Scope scope = ScopeOf(ref.account, ref.region);
  auto machine = LoadDoc(db, scope, kMachineKind, ref.name);
  if (!machine) return machine.error();
  if (!*machine) return StateMachineDoesNotExist(arn_text);
  Resolved out;
  out.machine = std::move(**machine);
  out.machine_arn = MachineArn(ref.account, ref.region, ref.name);
  std::optional<int64_t> version = ref.version;
  if (!ref.alias.empty()) {
    auto alias = LoadDoc(db, scope, kAliasKind, ref.name + "/" + ref.alias);
    if (!alias) return alias.error();
    if (!*alias) return ResourceNotFound(arn_text);
    out.alias_arn = AliasArn(out.machine_arn, ref.alias);
    // Routing: each version gets its weight's share of executions (API Reference, RoutingConfigurationListItem).
    const json::array* routes = Arr(**alias, "routingConfiguration");
    int64_t total = 0;
    if (routes != nullptr) {
      for (const auto& r : *routes) total += IntOr(r.as_object(), "weight", 0);
    }
    thread_local std::mt19937_64 rng(std::random_device{}());
    int64_t pick = total > 0 ? static_cast<int64_t>(rng() % static_cast<uint64_t>(total)) : 0;
    std::string chosen;
    if (routes != nullptr) {
      for (const auto& r : *routes) {
        chosen = Str(r.as_object(), "stateMachineVersionArn");
        pick -= IntOr(r.as_object(), "weight", 0);
        if (pick < 0) break;
      }
    }
    auto parsed = ParseMachineArn(chosen);
    if (!parsed || !parsed->version) return ResourceNotFound(arn_text);
    version = parsed->version;
    out.alias = std::move(**alias);
  }
  if (version) {
    auto doc = LoadDoc(db, scope, kVersionKind, VersionId(ref.name, *version));
    if (!doc) return doc.error();
    if (!*doc) return ResourceNotFound(ref.alias.empty() ? arn_text : VersionArn(out.machine_arn, *version));
    out.version_arn = VersionArn(out.machine_arn, *version);
    out.version = std::move(**doc);
  }
  return out;
}

Status AuthorizeStates(CallContext& ctx, std::string_view action, std::string_view resource, std::string_view account,
                       const json::array* tags, const json::array* request_tags) {
  authz::Check check{.action = "states:" + std::string(action),
                     .resource = std::string(resource),
                     .resource_account = account.empty() ? ctx.caller.account : std::string(account)};
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  if (tags != nullptr) {
    for (const auto& t : *tags) {
      if (t.is_object()) {
        check.context.emplace_back("aws:ResourceTag/" + Str(t.as_object(), "key"), Str(t.as_object(), "value"));
      }
    }
  }
  if (request_tags != nullptr && !request_tags->empty()) {
    std::vector<std::string> keys;
    for (const auto& t : *request_tags) {
      if (!t.is_object()) continue;
      keys.push_back(Str(t.as_object(), "key"));
      check.context.emplace_back("aws:RequestTag/" + keys.back(), Str(t.as_object(), "value"));
    }
    check.multi_context.emplace_back("aws:TagKeys", std::move(keys));
  }
  return ctx.Authorize(check);
}

Status AuthorizePassRole(CallContext& ctx, std::string_view role_arn) {
  const auto arn = ArnView::Parse(role_arn);
  authz::Check check{.action = "iam:PassRole",
                     .resource = std::string(role_arn),
                     .resource_account = arn ? std::string(arn->account) : ctx.caller.account};
  check.context.emplace_back("iam:PassedToService", "states.amazonaws.com");
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  return ctx.Authorize(check);
}

Status CheckRoleTrust(CallContext& ctx, std::string_view role_arn, std::string_view machine_arn) {
  const auto arn = ArnView::Parse(role_arn);
  if (!arn || arn->service != "iam" || !arn->resource.starts_with("role/")) return UntrustedRole();
  const std::string_view name = arn->resource.substr(arn->resource.rfind('/') + 1);
  auto role = ctx.identities.Get(arn->account, identity::kRoleKind, name);
  if (!role) return role.error();
  if (!*role || Str(**role, "Arn") != role_arn) return UntrustedRole();
  auto trust = ctx.identities.Compile(Str(**role, "AssumeRolePolicyDocument"), policy::PolicyKind::kTrust,
                                      "the trust policy of " + std::string(role_arn));
  if (!trust) return trust.error();
  const auto machine = ArnView::Parse(machine_arn);
  // Evaluated as AssumeRole would be for the service principal: the global one, then the regional one.
  for (const std::string& service :
       {std::string("states.amazonaws.com"), "states." + ctx.request.region + ".amazonaws.com"}) {
    identity::Principal principal;
    principal.type = identity::PrincipalType::kService;
    principal.arn = service;
    principal.name = service;
    authz::RequestInfo request = ctx.request;
    request.service = "sts";
    request.operation = "AssumeRole";
    authz::Check check{.action = "sts:AssumeRole", .resource = std::string(role_arn)};
    check.resource_account = std::string(arn->account);
    check.resource_policy = *trust;
    check.context.emplace_back("aws:SourceArn", std::string(machine_arn));
    if (machine) check.context.emplace_back("aws:SourceAccount", std::string(machine->account));
    std::string explanation;
    if (ctx.authz.Authorize(principal, request, check, &explanation)) return Ok{};
    ctx.explanation = explanation;
  }
  AwsError e = UntrustedRole();
  e.detail = ctx.explanation;
  return e;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double Seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

const json::object* Obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* Arr(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

bool Bool(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

int64_t IntOr(const json::object& o, std::string_view key, int64_t fallback) { return Int(o, key).value_or(fallback); }

Result<Page> Paginate(const json::object& in, size_t count, int64_t default_max, int64_t max_max) {
  Page page;
  const std::string token = Str(in, "nextToken");
  if (!token.empty()) {
    size_t pos = 0;
    size_t offset = 0;
    if (token.starts_with("xacct-")) {
      try {
        offset = std::stoul(token.substr(6), &pos);
      } catch (...) {
        pos = 0;
      }
    }
    if (pos == 0 || pos != token.size() - 6) return InvalidToken(token);
    page.begin = offset;
  }
  int64_t max = Int(in, "maxResults").value_or(0);
  if (max <= 0) max = default_max;
  max = std::min(max, max_max);
  page.begin = std::min(page.begin, count);
  page.end = std::min(count, page.begin + static_cast<size_t>(max));
  if (page.end < count) page.next_token = "xacct-" + std::to_string(page.end);
  return page;
}

Result<json::value> ParsePayload(std::string_view text) {
  if (text.size() > kMaxPayloadBytes) {
    return AwsError::Client("InvalidExecutionInput",
                            "Invalid State Machine Execution Input: 'The input is larger than the maximum size of "
                            "262144 bytes.'");
  }
  auto parsed = ParseJson(text);
  if (!parsed) {
    return AwsError::Client("InvalidExecutionInput",
                            "Invalid State Machine Execution Input: '" + parsed.error().message + "'");
  }
  return parsed;
}

}  // namespace xacct::services::states
