// State machine versions and aliases (AWS Step Functions API Reference: PublishStateMachineVersion,
// ListStateMachineVersions, DeleteStateMachineVersion, CreateStateMachineAlias, DescribeStateMachineAlias,
// UpdateStateMachineAlias, DeleteStateMachineAlias, ListStateMachineAliases; Developer Guide, "State machine
// versions and aliases"). A version is an immutable snapshot of a revision, numbered from 1 and never reused;
// an alias routes executions to one or two versions of its state machine by weight.
#include <algorithm>

#include "services/states/states_internal.h"
#include "services/states/states_ops.h"

namespace xacct::services::states {

namespace {

json::array Listed(const std::vector<json::object>& docs, std::string_view arn_key, const Page& page) {
  json::array out;
  for (size_t i = page.begin; i < page.end; ++i) {
    out.push_back(json::object{{std::string(arn_key), Str(docs[i], std::string(arn_key))},
                               {"creationDate", Seconds(IntOr(docs[i], "creationDate", 0))}});
  }
  return out;
}

// Alias names: letters, digits, '-', '_' and '.', not only digits (so that they cannot read as a version).
bool ValidAliasName(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  bool letter = false;
  for (const char c : name) {
    const bool digit = c >= '0' && c <= '9';
    const bool other = std::isalpha(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!digit && !other) return false;
    letter = letter || other;
  }
  return letter;
}

// A routing configuration: one or two versions of `machine_arn` that exist, weights adding up to 100.
Status CheckRouting(store::Database& db, const store::Scope& scope, const std::string& machine_name,
                    const std::string& machine_arn, const json::array* routes) {
  if (routes == nullptr || routes->empty() || routes->size() > 2) {
    return Validation("Routing configuration must contain one or two state machine versions");
  }
  int64_t total = 0;
  std::vector<std::string> seen;
  for (const auto& r : *routes) {
    const std::string version_arn = Str(r.as_object(), "stateMachineVersionArn");
    auto ref = ParseMachineArn(version_arn);
    if (!ref) return ref.error();
    if (!ref->version || MachineArn(ref->account, ref->region, ref->name) != machine_arn) {
      return Validation("Routing configuration must contain state machine version ARNs of " + machine_arn);
    }
    if (std::find(seen.begin(), seen.end(), version_arn) != seen.end()) {
      return Validation("Routing configuration must not contain the same version twice");
    }
    seen.push_back(version_arn);
    auto doc = LoadDoc(db, scope, kVersionKind, VersionId(machine_name, *ref->version));
    if (!doc) return doc.error();
    if (!*doc) return ResourceNotFound(version_arn);
    total += IntOr(r.as_object(), "weight", 0);
  }
  if (total != 100) return Validation("Sum of routing configuration weights must be equal to 100");
  return Ok{};
}

}  // namespace

Result<json::object> PublishStateMachineVersion(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "PublishStateMachineVersion", arn, ref->account); !s) return s.error();
  if (ref->qualified()) return InvalidArn(arn);
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  const std::string description = Str(in, "description");
  const std::string revision = Str(in, "revisionId");
  const int64_t now = NowMs();
  json::object result;
  auto written = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto text = tx.Get(scope, kMachineKind, ref->name);
    if (!text) return text.error();
    if (!*text) return StateMachineDoesNotExist(arn);
    auto parsed = ParseJson(**text);
    if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt state machine");
    json::object machine = std::move(parsed->as_object());
    if (!revision.empty() && revision != Str(machine, "revisionId")) {
      return Conflict("Failed to publish the State Machine version for revision " + revision +
                      ". The current State Machine revision is " + Str(machine, "revisionId") + ".");
    }
    if (Str(machine, "xPublishedRevision") == Str(machine, "revisionId") && machine.contains("xPublishedVersion")) {
      // The current revision is already a version: the same version, unless the description differs.
      const int64_t version = IntOr(machine, "xPublishedVersion", 0);
      auto doc = tx.Get(scope, kVersionKind, VersionId(ref->name, version));
      if (!doc) return doc.error();
      if (*doc) {
        auto v = ParseJson(**doc);
        if (v && v->is_object()) {
          if (!description.empty() && Str(v->as_object(), "description") != description) {
            return Conflict("Failed to publish the State Machine version: the current revision is version " +
                            std::to_string(version) + " with a different description.");
          }
          result = json::object{{"creationDate", Seconds(IntOr(v->as_object(), "creationDate", now))},
                                {"stateMachineVersionArn", VersionArn(Str(machine, "stateMachineArn"), version)}};
          return Ok{};
        }
      }
      machine.erase("xPublishedVersion");  // deleted since: publish anew
    }
    auto version = PublishVersion(tx, scope, machine, description, now);
    if (!version) return version.error();
    result = json::object{{"creationDate", Seconds(now)}, {"stateMachineVersionArn", *version}};
    return Ok{};
  });
  if (!written) return written.error();
  return result;
}

Result<json::object> ListStateMachineVersions(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "ListStateMachineVersions", arn, ref->account); !s) return s.error();
  if (ref->qualified()) return InvalidArn(arn);
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  auto machine = LoadDoc(ctx.identities.db(), scope, kMachineKind, ref->name);
  if (!machine) return machine.error();
  if (!*machine) return StateMachineDoesNotExist(arn);
  auto docs = ListDocs(ctx.identities.db(), scope, kVersionKind, ref->name + "/");
  if (!docs) return docs.error();
  std::reverse(docs->begin(), docs->end());  // newest first
  for (auto& d : *docs) d["stateMachineVersionArn"] = VersionArn(arn, IntOr(d, "version", 0));
  auto page = Paginate(in, docs->size(), 100, 1000);
  if (!page) return page.error();
  json::object out{{"stateMachineVersions", Listed(*docs, "stateMachineVersionArn", *page)}};
  if (!page->next_token.empty()) out["nextToken"] = page->next_token;
  return out;
}

Result<json::object> DeleteStateMachineVersion(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineVersionArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (!ref->version) return InvalidArn(arn);
  if (auto s = AuthorizeStates(ctx, "DeleteStateMachineVersion", arn, ref->account); !s) return s.error();
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  auto aliases = ListDocs(ctx.identities.db(), scope, kAliasKind, ref->name + "/");
  if (!aliases) return aliases.error();
  std::vector<std::string> referencing;
  for (const auto& a : *aliases) {
    const json::array* routes = Arr(a, "routingConfiguration");
    if (routes == nullptr) continue;
    for (const auto& r : *routes) {
      if (Str(r.as_object(), "stateMachineVersionArn") == arn) referencing.push_back(Str(a, "stateMachineAliasArn"));
    }
  }
  if (!referencing.empty()) {
    std::string list;
    for (const auto& a : referencing) list += (list.empty() ? "" : ", ") + a;
    return Conflict(
        "Version to be deleted must not be referenced by an alias. Current list of aliases referencing "
        "this version: [" +
        list + "]");
  }
  auto deleted = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Delete(scope, kVersionKind, VersionId(ref->name, *ref->version)); });
  if (!deleted) return deleted.error();
  return json::object{};
}

Result<json::object> CreateStateMachineAlias(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "name");
  const json::array* routes = Arr(in, "routingConfiguration");
  std::string machine_arn;
  if (routes != nullptr && !routes->empty()) {
    auto first = ParseMachineArn(Str(routes->at(0).as_object(), "stateMachineVersionArn"));
    if (!first) return first.error();
    machine_arn = MachineArn(first->account, first->region, first->name);
  } else {
    return Validation("Routing configuration must contain one or two state machine versions");
  }
  auto ref = ParseMachineArn(machine_arn);
  if (!ref) return ref.error();
  const std::string arn = AliasArn(machine_arn, name);
  if (auto s = AuthorizeStates(ctx, "CreateStateMachineAlias", arn, ref->account); !s) return s.error();
  if (!ValidAliasName(name)) return InvalidName(name);
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  store::Database& db = ctx.identities.db();
  auto machine = LoadDoc(db, scope, kMachineKind, ref->name);
  if (!machine) return machine.error();
  if (!*machine) return StateMachineDoesNotExist(machine_arn);
  if (auto s = CheckRouting(db, scope, ref->name, machine_arn, routes); !s) return s.error();
  const int64_t now = NowMs();
  json::object result;
  auto written = db.Write([&](store::Transaction& tx) -> Status {
    auto existing = tx.Get(scope, kAliasKind, ref->name + "/" + name);
    if (!existing) return existing.error();
    if (*existing) {
      auto parsed = ParseJson(**existing);
      if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt alias");
      const json::object& a = parsed->as_object();
      if (Str(a, "description") != Str(in, "description") || a.at("routingConfiguration") != json::value(*routes)) {
        return Conflict(
            "Failed to create alias because an alias with the same name and a different routing "
            "configuration already exists.");
      }
      result = json::object{{"stateMachineAliasArn", arn}, {"creationDate", Seconds(IntOr(a, "creationDate", now))}};
      return Ok{};
    }
    json::object alias{
        {"stateMachineAliasArn", arn},     {"name", name},        {"description", Str(in, "description")},
        {"routingConfiguration", *routes}, {"creationDate", now}, {"updateDate", now}};
    result = json::object{{"stateMachineAliasArn", arn}, {"creationDate", Seconds(now)}};
    return tx.Put(scope, kAliasKind, ref->name + "/" + name, json::serialize(alias));
  });
  if (!written) return written.error();
  return result;
}

namespace {

struct AliasTarget {
  MachineRef ref;
  store::Scope scope;
  std::string id;
};

Result<AliasTarget> AliasOf(CallContext& ctx, const std::string& arn, std::string_view action) {
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (ref->alias.empty()) return InvalidArn(arn);
  if (auto s = AuthorizeStates(ctx, action, arn, ref->account); !s) return s.error();
  return AliasTarget{*ref, ScopeOf(ref->account, ref->region), ref->name + "/" + ref->alias};
}

}  // namespace

Result<json::object> DescribeStateMachineAlias(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineAliasArn");
  auto target = AliasOf(ctx, arn, "DescribeStateMachineAlias");
  if (!target) return target.error();
  auto alias = LoadDoc(ctx.identities.db(), target->scope, kAliasKind, target->id);
  if (!alias) return alias.error();
  if (!*alias) return ResourceNotFound(arn);
  json::object out = **alias;
  out["creationDate"] = Seconds(IntOr(out, "creationDate", 0));
  out["updateDate"] = Seconds(IntOr(out, "updateDate", 0));
  if (Str(out, "description").empty()) out.erase("description");
  return out;
}

Result<json::object> UpdateStateMachineAlias(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineAliasArn");
  auto target = AliasOf(ctx, arn, "UpdateStateMachineAlias");
  if (!target) return target.error();
  if (!in.contains("description") && !in.contains("routingConfiguration")) {
    return Validation("Either the description or the RoutingConfiguration must be specified");
  }
  store::Database& db = ctx.identities.db();
  const std::string machine_arn = MachineArn(target->ref.account, target->ref.region, target->ref.name);
  if (const json::array* routes = Arr(in, "routingConfiguration")) {
    if (auto s = CheckRouting(db, target->scope, target->ref.name, machine_arn, routes); !s) return s.error();
  }
  const int64_t now = NowMs();
  auto written = db.Write([&](store::Transaction& tx) -> Status {
    auto text = tx.Get(target->scope, kAliasKind, target->id);
    if (!text) return text.error();
    if (!*text) return ResourceNotFound(arn);
    auto parsed = ParseJson(**text);
    if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt alias");
    json::object alias = std::move(parsed->as_object());
    if (in.contains("description")) alias["description"] = Str(in, "description");
    if (const auto* routes = in.if_contains("routingConfiguration")) alias["routingConfiguration"] = *routes;
    alias["updateDate"] = now;
    return tx.Put(target->scope, kAliasKind, target->id, json::serialize(alias));
  });
  if (!written) return written.error();
  return json::object{{"updateDate", Seconds(now)}};
}

Result<json::object> DeleteStateMachineAlias(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineAliasArn");
  auto target = AliasOf(ctx, arn, "DeleteStateMachineAlias");
  if (!target) return target.error();
  auto alias = LoadDoc(ctx.identities.db(), target->scope, kAliasKind, target->id);
  if (!alias) return alias.error();
  if (!*alias) return ResourceNotFound(arn);
  auto deleted = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Delete(target->scope, kAliasKind, target->id); });
  if (!deleted) return deleted.error();
  return json::object{};
}

Result<json::object> ListStateMachineAliases(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (!ref->alias.empty()) return InvalidArn(arn);
  if (auto s = AuthorizeStates(ctx, "ListStateMachineAliases", arn, ref->account); !s) return s.error();
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  auto machine = LoadDoc(ctx.identities.db(), scope, kMachineKind, ref->name);
  if (!machine) return machine.error();
  if (!*machine) return StateMachineDoesNotExist(arn);
  auto docs = ListDocs(ctx.identities.db(), scope, kAliasKind, ref->name + "/");
  if (!docs) return docs.error();
  if (ref->version) {
    // A version ARN lists the aliases that route to it.
    std::vector<json::object> routing;
    for (auto& d : *docs) {
      const json::array* routes = Arr(d, "routingConfiguration");
      if (routes == nullptr) continue;
      for (const auto& r : *routes) {
        if (Str(r.as_object(), "stateMachineVersionArn") == arn) {
          routing.push_back(d);
          break;
        }
      }
    }
    *docs = std::move(routing);
  }
  auto page = Paginate(in, docs->size(), 100, 1000);
  if (!page) return page.error();
  json::object out{{"stateMachineAliases", Listed(*docs, "stateMachineAliasArn", *page)}};
  if (!page->next_token.empty()) out["nextToken"] = page->next_token;
  return out;
}

}  // namespace xacct::services::states
