// State machines (AWS Step Functions API Reference: CreateStateMachine, DescribeStateMachine,
// UpdateStateMachine, DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition; Developer Guide,
// "Creating an IAM role for your state machine" for the trust the role must grant states.amazonaws.com).
//
// CreateStateMachine is idempotent on the name, definition, type, logging and tracing configuration, publish
// and versionDescription; a request that differs in one of those answers StateMachineAlreadyExists, one that
// differs only in roleArn or tags returns the existing machine unchanged (API Reference, CreateStateMachine).
#include <algorithm>

#include "asl/interpreter.h"
#include "services/states/execution_runner.h"
#include "services/states/states_internal.h"
#include "services/states/states_ops.h"

namespace xacct::services::states {

namespace {

constexpr int64_t kMaxTags = 50;

json::object DefaultLogging() { return json::object{{"level", "OFF"}, {"includeExecutionData", false}}; }

Result<json::object> LoggingOf(const json::object& in) {
  const json::object* logging = Obj(in, "loggingConfiguration");
  if (logging == nullptr) return DefaultLogging();
  json::object out = *logging;
  if (!out.contains("level")) out["level"] = "OFF";
  if (!out.contains("includeExecutionData")) out["includeExecutionData"] = false;
  const json::array* destinations = Arr(out, "destinations");
  if (Str(out, "level") != "OFF" && (destinations == nullptr || destinations->empty())) {
    return AwsError::Client("InvalidLoggingConfiguration",
                            "Invalid Logging Configuration: LogDestinations are required if Logging is enabled.");
  }
  return out;
}

json::object TracingOf(const json::object& in) {
  const json::object* tracing = Obj(in, "tracingConfiguration");
  return tracing != nullptr ? *tracing : json::object{{"enabled", false}};
}

// Validates a definition as Create/UpdateStateMachine do (InvalidDefinition with AWS's message).
Status CheckDefinition(const std::string& definition, bool express) {
  const asl::Validation v = asl::Validate(definition, asl::ValidateOptions{.express = express});
  if (v.definition) return Ok{};
  return AwsError::Client("InvalidDefinition", asl::InvalidDefinitionMessage(v.diagnostics));
}

// What decides whether a second CreateStateMachine is the same request.
json::object Fingerprint(const json::object& in, const json::object& logging, const json::object& tracing) {
  return json::object{{"definition", Str(in, "definition")},
                      {"type", Str(in, "type").empty() ? "STANDARD" : Str(in, "type")},
                      {"logging", logging},
                      {"tracing", tracing},
                      {"publish", Bool(in, "publish")},
                      {"versionDescription", Str(in, "versionDescription")}};
}

json::object DescribeDoc(const json::object& doc, const std::string& arn) {
  json::object out{
      {"stateMachineArn", arn},
      {"name", Str(doc, "name")},
      {"status", "ACTIVE"},
      {"definition", Str(doc, "definition")},
      {"roleArn", Str(doc, "roleArn")},
      {"type", Str(doc, "type")},
      {"creationDate", Seconds(IntOr(doc, "creationDate", 0))},
      {"loggingConfiguration",
       doc.contains("loggingConfiguration") ? doc.at("loggingConfiguration") : json::value(DefaultLogging())},
      {"tracingConfiguration", doc.contains("tracingConfiguration") ? doc.at("tracingConfiguration")
                                                                    : json::value(json::object{{"enabled", false}})}};
  if (const std::string revision = Str(doc, "revisionId"); !revision.empty()) out["revisionId"] = revision;
  if (doc.contains("description")) out["description"] = Str(doc, "description");
  if (const auto* enc = doc.if_contains("encryptionConfiguration")) out["encryptionConfiguration"] = *enc;
  return out;
}

}  // namespace

Result<std::string> PublishVersion(store::Transaction& tx, const store::Scope& scope, json::object& machine,
                                   const std::string& description, int64_t now_ms) {
  const std::string machine_arn = Str(machine, "stateMachineArn");
  if (Str(machine, "xPublishedRevision") == Str(machine, "revisionId") && machine.contains("xPublishedVersion")) {
    return VersionArn(machine_arn, IntOr(machine, "xPublishedVersion", 0));
  }
  const int64_t version = IntOr(machine, "xNextVersion", 1);
  json::object doc{{"name", Str(machine, "name")},
                   {"definition", Str(machine, "definition")},
                   {"roleArn", Str(machine, "roleArn")},
                   {"type", Str(machine, "type")},
                   {"loggingConfiguration", machine.at("loggingConfiguration")},
                   {"tracingConfiguration", machine.at("tracingConfiguration")},
                   {"revisionId", Str(machine, "revisionId")},
                   {"creationDate", now_ms},
                   {"version", version}};
  if (!description.empty()) doc["description"] = description;
  machine["xNextVersion"] = version + 1;
  machine["xPublishedRevision"] = Str(machine, "revisionId");
  machine["xPublishedVersion"] = version;
  if (auto s = tx.Put(scope, kVersionKind, VersionId(Str(machine, "name"), version), json::serialize(doc)); !s) {
    return s.error();
  }
  if (auto s = tx.Put(scope, kMachineKind, Str(machine, "name"), json::serialize(machine)); !s) return s.error();
  return VersionArn(machine_arn, version);
}

Result<json::object> CreateStateMachine(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "name");
  const std::string arn = MachineArn(ctx.caller.account, ctx.request.region, name);
  const json::array* tags = Arr(in, "tags");
  if (auto s = AuthorizeStates(ctx, "CreateStateMachine", arn, ctx.caller.account, nullptr, tags); !s) return s.error();
  if (tags != nullptr && !tags->empty()) {
    if (auto s = AuthorizeStates(ctx, "TagResource", arn, ctx.caller.account, nullptr, tags); !s) return s.error();
  }
  if (!ValidName(name)) return InvalidName(name);
  const std::string type = Str(in, "type").empty() ? "STANDARD" : Str(in, "type");
  const bool publish = Bool(in, "publish");
  const std::string description = Str(in, "versionDescription");
  if (!description.empty() && !publish) {
    return Validation("Version description can only be set when publish is true");
  }
  auto logging = LoggingOf(in);
  if (!logging) return logging.error();
  const json::object tracing = TracingOf(in);
  const std::string definition = Str(in, "definition");
  if (auto s = CheckDefinition(definition, type == "EXPRESS"); !s) return s.error();
  if (tags != nullptr && static_cast<int64_t>(tags->size()) > kMaxTags) {
    return AwsError::Client("TooManyTags", "Too many tags: the limit is 50 tags per resource");
  }
  if (publish) {
    if (auto s = AuthorizeStates(ctx, "PublishStateMachineVersion", arn, ctx.caller.account); !s) return s.error();
  }
  const std::string role_arn = Str(in, "roleArn");
  if (auto s = AuthorizePassRole(ctx, role_arn); !s) return s.error();
  if (auto s = CheckRoleTrust(ctx, role_arn, arn); !s) return s.error();

  const store::Scope scope = ScopeOf(ctx.caller.account, ctx.request.region);
  const int64_t now = NowMs();
  const json::object fingerprint = Fingerprint(in, *logging, tracing);
  json::object result;
  auto written = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto existing = tx.Get(scope, kMachineKind, name);
    if (!existing) return existing.error();
    if (*existing) {
      auto parsed = ParseJson(**existing);
      if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt state machine");
      const json::object& doc = parsed->as_object();
      const json::object* seen = Obj(doc, "xFingerprint");
      if (seen == nullptr || *seen != fingerprint) {
        return AwsError::Client("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
      }
      result = json::object{{"stateMachineArn", arn}, {"creationDate", Seconds(IntOr(doc, "creationDate", now))}};
      if (publish && doc.contains("xCreationVersion")) {
        result["stateMachineVersionArn"] = VersionArn(arn, IntOr(doc, "xCreationVersion", 1));
      }
      return Ok{};
    }
    json::object machine{{"stateMachineArn", arn},
                         {"name", name},
                         {"definition", definition},
                         {"roleArn", role_arn},
                         {"type", type},
                         {"creationDate", now},
                         {"loggingConfiguration", *logging},
                         {"tracingConfiguration", tracing},
                         {"revisionId", NewUuid()},
                         {"tags", tags != nullptr ? *tags : json::array{}},
                         {"xFingerprint", fingerprint}};
    if (const auto* enc = in.if_contains("encryptionConfiguration")) machine["encryptionConfiguration"] = *enc;
    result = json::object{{"stateMachineArn", arn}, {"creationDate", Seconds(now)}};
    if (publish) {
      machine["xCreationVersion"] = IntOr(machine, "xNextVersion", 1);
      auto version = PublishVersion(tx, scope, machine, description, now);
      if (!version) return version.error();
      result["stateMachineVersionArn"] = *version;
      return Ok{};
    }
    return tx.Put(scope, kMachineKind, name, json::serialize(machine));
  });
  if (!written) return written.error();
  return result;
}

Result<json::object> DescribeStateMachine(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "DescribeStateMachine", arn, ref->account); !s) return s.error();
  if (!ref->alias.empty()) return InvalidArn("Resource type not valid in this context: stateMachineAlias");
  auto resolved = Resolve(ctx.identities.db(), *ref, arn);
  if (!resolved) return resolved.error();
  if (resolved->version) {
    json::object doc = *resolved->version;
    return DescribeDoc(doc, resolved->version_arn);
  }
  return DescribeDoc(resolved->machine, resolved->machine_arn);
}

Result<json::object> UpdateStateMachine(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "UpdateStateMachine", arn, ref->account); !s) return s.error();
  if (ref->qualified()) {
    return Validation("Service does not support updating state machine version or alias ARNs: '" + arn + "'");
  }
  if (!in.contains("definition") && !in.contains("roleArn") && !in.contains("loggingConfiguration") &&
      !in.contains("tracingConfiguration") && !in.contains("encryptionConfiguration")) {
    return AwsError::Client("MissingRequiredParameter",
                            "Either the definition, the role ARN, the LoggingConfiguration, the "
                            "EncryptionConfiguration or the TracingConfiguration must be specified");
  }
  const bool publish = Bool(in, "publish");
  const std::string description = Str(in, "versionDescription");
  if (!description.empty() && !publish) {
    return Validation("Version description can only be set when publish is true");
  }
  if (publish) {
    if (auto s = AuthorizeStates(ctx, "PublishStateMachineVersion", arn, ref->account); !s) return s.error();
  }
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  auto current = LoadDoc(ctx.identities.db(), scope, kMachineKind, ref->name);
  if (!current) return current.error();
  if (!*current) return StateMachineDoesNotExist(arn);
  const bool express = Str(**current, "type") == "EXPRESS";
  if (in.contains("definition")) {
    if (auto s = CheckDefinition(Str(in, "definition"), express); !s) return s.error();
  }
  std::optional<json::object> logging;
  if (in.contains("loggingConfiguration")) {
    auto l = LoggingOf(in);
    if (!l) return l.error();
    logging = *l;
  }
  if (in.contains("roleArn")) {
    if (auto s = AuthorizePassRole(ctx, Str(in, "roleArn")); !s) return s.error();
    if (auto s = CheckRoleTrust(ctx, Str(in, "roleArn"), arn); !s) return s.error();
  }
  const int64_t now = NowMs();
  json::object result;
  auto written = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto text = tx.Get(scope, kMachineKind, ref->name);
    if (!text) return text.error();
    if (!*text) return StateMachineDoesNotExist(arn);
    auto parsed = ParseJson(**text);
    if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt state machine");
    json::object machine = std::move(parsed->as_object());
    bool changed = false;
    auto set = [&](std::string_view key, json::value value) {
      if (const auto* old = machine.if_contains(key); old == nullptr || *old != value) changed = true;
      machine[key] = std::move(value);
    };
    if (in.contains("definition")) set("definition", json::value(Str(in, "definition")));
    if (in.contains("roleArn")) set("roleArn", json::value(Str(in, "roleArn")));
    if (logging) set("loggingConfiguration", *logging);
    if (in.contains("tracingConfiguration")) set("tracingConfiguration", TracingOf(in));
    if (const auto* enc = in.if_contains("encryptionConfiguration")) set("encryptionConfiguration", *enc);
    if (changed) {
      machine["revisionId"] = NewUuid();
      machine["updateDate"] = now;
    }
    result = json::object{{"updateDate", Seconds(IntOr(machine, "updateDate", now))},
                          {"revisionId", Str(machine, "revisionId")}};
    if (publish) {
      auto version = PublishVersion(tx, scope, machine, description, now);
      if (!version) return version.error();
      result["stateMachineVersionArn"] = *version;
      return Ok{};
    }
    return tx.Put(scope, kMachineKind, ref->name, json::serialize(machine));
  });
  if (!written) return written.error();
  return result;
}

Result<json::object> DeleteStateMachine(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "DeleteStateMachine", arn, ref->account); !s) return s.error();
  if (ref->qualified()) return Validation("Service does not support deleting state machine version or alias ARNs");
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  store::Database& db = ctx.identities.db();
  auto versions = db.List(scope, kVersionKind, ref->name + "/");
  auto aliases = db.List(scope, kAliasKind, ref->name + "/");
  if (!versions) return versions.error();
  if (!aliases) return aliases.error();
  auto deleted = db.Write([&](store::Transaction& tx) -> Status {
    for (const auto& v : *versions) {
      if (auto s = tx.Delete(scope, kVersionKind, v.id); !s) return s;
    }
    for (const auto& a : *aliases) {
      if (auto s = tx.Delete(scope, kAliasKind, a.id); !s) return s;
    }
    return tx.Delete(scope, kMachineKind, ref->name);
  });
  if (!deleted) return deleted.error();
  // Its running executions end: ABORTED, with the reason (API Reference: executions of a deleted state
  // machine are terminated at their next state transition).
  if (ctx.backends.executions != nullptr) {
    auto executions = ListDocs(db, scope, kExecutionKind, ref->name + "/");
    if (executions) {
      for (const auto& e : *executions) {
        if (Str(e, "status") != "RUNNING") continue;
        ctx.backends.executions->Stop(ExecutionRunner::KeyOf(scope, ExecutionId(ref->name, Str(e, "name"))),
                                      "States.Runtime", "The state machine was deleted.");
      }
    }
  }
  return json::object{};
}

Result<json::object> ListStateMachines(CallContext& ctx, const json::object& in) {
  if (auto s = AuthorizeStates(ctx, "ListStateMachines", "*", ctx.caller.account); !s) return s.error();
  auto docs = ListDocs(ctx.identities.db(), ScopeOf(ctx.caller.account, ctx.request.region), kMachineKind, "");
  if (!docs) return docs.error();
  auto page = Paginate(in, docs->size(), 100, 1000);
  if (!page) return page.error();
  json::array machines;
  for (size_t i = page->begin; i < page->end; ++i) {
    const json::object& d = (*docs)[i];
    machines.push_back(json::object{{"stateMachineArn", Str(d, "stateMachineArn")},
                                    {"name", Str(d, "name")},
                                    {"type", Str(d, "type")},
                                    {"creationDate", Seconds(IntOr(d, "creationDate", 0))}});
  }
  json::object out{{"stateMachines", std::move(machines)}};
  if (!page->next_token.empty()) out["nextToken"] = page->next_token;
  return out;
}

Result<json::object> ValidateStateMachineDefinition(CallContext& ctx, const json::object& in) {
  if (auto s = AuthorizeStates(ctx, "ValidateStateMachineDefinition", "*", ctx.caller.account); !s) return s.error();
  const bool express = Str(in, "type") == "EXPRESS";
  const asl::Validation v = asl::Validate(Str(in, "definition"), asl::ValidateOptions{.express = express});
  const bool warnings = Str(in, "severity") == "WARNING";
  int64_t max = Int(in, "maxResults").value_or(0);
  if (max <= 0) max = 100;
  json::array diagnostics;
  bool failed = false;
  bool truncated = false;
  for (const auto& d : v.diagnostics) {
    failed = failed || d.severity == "ERROR";
    if (d.severity != "ERROR" && !warnings) continue;
    if (static_cast<int64_t>(diagnostics.size()) >= max) {
      truncated = true;
      continue;
    }
    json::object item{{"severity", d.severity}, {"code", d.code}, {"message", d.message}};
    if (!d.location.empty()) item["location"] = d.location;
    diagnostics.push_back(std::move(item));
  }
  failed = failed || !v.definition;
  return json::object{
      {"result", failed ? "FAIL" : "OK"}, {"diagnostics", std::move(diagnostics)}, {"truncated", truncated}};
}

}  // namespace xacct::services::states
