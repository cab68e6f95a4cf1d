// Athena workgroups (Amazon Athena API Reference: CreateWorkGroup, GetWorkGroup, ListWorkGroups,
// UpdateWorkGroup, DeleteWorkGroup; WorkGroupConfiguration, WorkGroupConfigurationUpdates,
// ResultConfigurationUpdates, EngineVersion, ManagedQueryResultsConfiguration).
//
// ManagedQueryResultsConfiguration is newer than the embedded model; tools/model_patches/athena.json adds it,
// so it arrives from the wire like every other member.
#include <algorithm>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"

namespace xacct::services::athena {

namespace {

const json::object* Obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* Arr(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

bool Bool(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

// SelectedEngineVersion → the EngineVersion a workgroup reports.
Result<json::object> EngineVersionOf(const json::object* requested) {
  std::string selected = requested != nullptr ? Str(*requested, "SelectedEngineVersion") : "";
  if (selected.empty()) selected = "AUTO";
  if (selected != "AUTO" && selected != "Athena engine version 3" && selected != "Athena engine version 2") {
    return InvalidRequest("Invalid engine version: " + selected);
  }
  return json::object{{"SelectedEngineVersion", selected},
                      {"EffectiveEngineVersion", selected == "AUTO" ? std::string(kEffectiveEngineVersion) : selected}};
}

// Managed query results keep results in Athena's own storage, so a workgroup using them has no
// OutputLocation (Athena User Guide, "Managed query results").
Status CheckManagedResults(const json::object& config) {
  const auto* managed = Obj(config, "ManagedQueryResultsConfiguration");
  const auto* results = Obj(config, "ResultConfiguration");
  if (managed != nullptr && Bool(*managed, "Enabled") && results != nullptr &&
      !Str(*results, "OutputLocation").empty()) {
    return InvalidRequest(
        "ManagedQueryResultsConfiguration cannot be enabled when ResultConfiguration.OutputLocation is set.");
  }
  return Ok{};
}

Result<json::object> NewConfiguration(const json::object* in) {
  json::object config = in != nullptr ? *in : json::object{};
  // CreateWorkGroup's defaults: workgroup settings override client-side settings and metrics are published.
  if (!config.contains("EnforceWorkGroupConfiguration")) config["EnforceWorkGroupConfiguration"] = true;
  if (!config.contains("PublishCloudWatchMetricsEnabled")) config["PublishCloudWatchMetricsEnabled"] = true;
  if (!config.contains("RequesterPaysEnabled")) config["RequesterPaysEnabled"] = false;
  if (!config.contains("EnableMinimumEncryptionConfiguration")) config["EnableMinimumEncryptionConfiguration"] = false;
  if (!config.contains("ResultConfiguration")) config["ResultConfiguration"] = json::object{};
  auto engine = EngineVersionOf(Obj(config, "EngineVersion"));
  if (!engine) return engine.error();
  config["EngineVersion"] = std::move(*engine);
  if (auto s = CheckManagedResults(config); !s) return s.error();
  return config;
}

// One "X" / "RemoveX" pair of an Updates structure.
void Apply(json::object& target, const json::object& updates, std::string_view key) {
  if (Bool(updates, "Remove" + std::string(key))) target.erase(key);
  if (const auto* v = updates.if_contains(key); v != nullptr && !v->is_null()) target[key] = *v;
}

Status ApplyUpdates(json::object& config, const json::object& u) {
  for (const char* key : {"EnforceWorkGroupConfiguration", "PublishCloudWatchMetricsEnabled", "RequesterPaysEnabled",
                          "AdditionalConfiguration", "ExecutionRole", "EnableMinimumEncryptionConfiguration"}) {
    if (const auto* v = u.if_contains(key); v != nullptr && !v->is_null()) config[key] = *v;
  }
  Apply(config, u, "BytesScannedCutoffPerQuery");
  Apply(config, u, "CustomerContentEncryptionConfiguration");
  if (const auto* engine = Obj(u, "EngineVersion")) {
    auto resolved = EngineVersionOf(engine);
    if (!resolved) return resolved.error();
    config["EngineVersion"] = std::move(*resolved);
  }
  if (const auto* r = Obj(u, "ResultConfigurationUpdates")) {
    json::object results = Obj(config, "ResultConfiguration") ? *Obj(config, "ResultConfiguration") : json::object{};
    for (const char* key : {"OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner", "AclConfiguration"}) {
      Apply(results, *r, key);
    }
    config["ResultConfiguration"] = std::move(results);
  }
  if (const auto* m = Obj(u, "ManagedQueryResultsConfigurationUpdates")) {
    json::object managed = Obj(config, "ManagedQueryResultsConfiguration")
                               ? *Obj(config, "ManagedQueryResultsConfiguration")
                               : json::object{{"Enabled", false}};
    if (const auto* v = m->if_contains("Enabled"); v != nullptr && v->is_bool()) managed["Enabled"] = *v;
    Apply(managed, *m, "EncryptionConfiguration");
    config["ManagedQueryResultsConfiguration"] = std::move(managed);
  }
  return CheckManagedResults(config);
}

// Loads a workgroup and authorizes `operation` on it (with its tags as aws:ResourceTag); the caller learns
// that a workgroup does not exist only once it may ask.
Result<json::object> LoadAuthorized(CallContext& ctx, std::string_view operation, std::string_view name) {
  auto doc = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), name);
  if (!doc) return doc.error();
  const json::array* tags = *doc ? Arr(**doc, "Tags") : nullptr;
  if (auto s = AuthorizeAthena(ctx, operation, name, tags); !s) return s.error();
  if (!*doc) return WorkGroupNotFound(name);
  return std::move(**doc);
}

json::object Public(json::object workgroup) {
  workgroup.erase("Tags");
  return workgroup;
}

}  // namespace

Result<json::object> CreateWorkGroup(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "Name");
  const json::array* tags = Arr(in, "Tags");
  if (auto s = AuthorizeAthena(ctx, "CreateWorkGroup", name, nullptr, tags); !s) return s.error();
  if (name == kPrimaryWorkGroup) return InvalidRequest("primary workGroup could not be created");
  auto existing = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), name);
  if (!existing) return existing.error();
  if (*existing) return InvalidRequest("WorkGroup " + name + " is already created");
  auto config = NewConfiguration(Obj(in, "Configuration"));
  if (!config) return config.error();
  json::object workgroup{{"Name", name},
                         {"State", "ENABLED"},
                         {"Description", Str(in, "Description")},
                         {"CreationTime", ctx.request.now},
                         {"Configuration", std::move(*config)},
                         {"Tags", tags != nullptr ? *tags : json::array{}}};
  if (auto s = SaveWorkGroup(ctx, workgroup); !s) return s.error();
  return json::object{};
}

Result<json::object> GetWorkGroup(CallContext& ctx, const json::object& in) {
  auto workgroup = LoadAuthorized(ctx, "GetWorkGroup", Str(in, "WorkGroup"));
  if (!workgroup) return workgroup.error();
  return json::object{{"WorkGroup", Public(std::move(*workgroup))}};
}

Result<json::object> ListWorkGroups(CallContext& ctx, const json::object& in) {
  if (auto s = AuthorizeAthena(ctx, "ListWorkGroups", ""); !s) return s.error();
  auto docs = ctx.identities.db().List(ScopeOf(ctx), kWorkGroupKind);
  if (!docs) return docs.error();
  std::vector<json::object> all;
  bool has_primary = false;
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (!parsed || !parsed->is_object()) continue;
    has_primary = has_primary || d.id == kPrimaryWorkGroup;
    all.push_back(parsed->get_object());
  }
  if (!has_primary) {
    auto primary = LoadWorkGroup(ctx, kPrimaryWorkGroup);
    if (!primary) return primary.error();
    all.push_back(std::move(*primary));
  }
  std::sort(all.begin(), all.end(),
            [](const json::object& a, const json::object& b) { return Str(a, "Name") < Str(b, "Name"); });
  auto page = Paginate(in, all.size(), 50, 50);
  if (!page) return page.error();
  json::array out;
  for (size_t i = page->begin; i < page->end; ++i) {
    const json::object& w = all[i];
    json::object summary{{"Name", Str(w, "Name")},
                         {"State", Str(w, "State")},
                         {"Description", Str(w, "Description")},
                         {"CreationTime", w.contains("CreationTime") ? w.at("CreationTime") : json::value(0)}};
    if (const auto* config = Obj(w, "Configuration"); config != nullptr && config->contains("EngineVersion")) {
      summary["EngineVersion"] = config->at("EngineVersion");
    }
    out.push_back(std::move(summary));
  }
  json::object result{{"WorkGroups", std::move(out)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

Result<json::object> UpdateWorkGroup(CallContext& ctx, const json::object& in) {
  auto workgroup = LoadAuthorized(ctx, "UpdateWorkGroup", Str(in, "WorkGroup"));
  if (!workgroup) return workgroup.error();
  if (const std::string state = Str(in, "State"); !state.empty()) (*workgroup)["State"] = state;
  if (in.contains("Description")) (*workgroup)["Description"] = Str(in, "Description");
  if (const auto* updates = Obj(in, "ConfigurationUpdates")) {
    json::object config = Obj(*workgroup, "Configuration") ? *Obj(*workgroup, "Configuration") : json::object{};
    if (auto s = ApplyUpdates(config, *updates); !s) return s.error();
    (*workgroup)["Configuration"] = std::move(config);
  }
  if (auto s = SaveWorkGroup(ctx, *workgroup); !s) return s.error();
  return json::object{};
}

Result<json::object> DeleteWorkGroup(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "WorkGroup");
  auto workgroup = LoadAuthorized(ctx, "DeleteWorkGroup", name);
  if (!workgroup) return workgroup.error();
  if (name == kPrimaryWorkGroup) return InvalidRequest("Cannot delete primary workgroup");
  const store::Scope scope = ScopeOf(ctx);
  auto queries = ctx.identities.db().List(scope, kNamedQueryKind);
  if (!queries) return queries.error();
  std::vector<std::string> named;
  for (const auto& d : *queries) {
    auto parsed = ParseJson(d.body);
    if (parsed && parsed->is_object() && Str(parsed->get_object(), "WorkGroup") == name) named.push_back(d.id);
  }
  auto statements = ctx.identities.db().List(scope, kPreparedStatementKind, name + "/");
  if (!statements) return statements.error();
  if ((!named.empty() || !statements->empty()) && !Bool(in, "RecursiveDeleteOption")) {
    return InvalidRequest("WorkGroup " + name + " is not empty");
  }
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    for (const auto& id : named) {
      if (auto d = tx.Delete(scope, kNamedQueryKind, id); !d) return d;
    }
    for (const auto& d : *statements) {
      if (auto r = tx.Delete(scope, kPreparedStatementKind, d.id); !r) return r;
    }
    return tx.Delete(scope, kWorkGroupKind, name);
  });
  if (!s) return s.error();
  return json::object{};
}

}  // namespace xacct::services::athena
