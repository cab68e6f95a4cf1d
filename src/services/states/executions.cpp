// Starting and ending executions (AWS Step Functions API Reference: StartExecution, StartSyncExecution,
// StopExecution, RedriveExecution; Developer Guide, "Standard and Express workflows", "Restarting state machine
// executions with redrive").
//
// StartExecution of a STANDARD state machine stores the execution RUNNING (durably) before it answers; a name
// is unique among the machine's executions for 90 days: the same name and input while the first is still
// running returns it again, anything else is ExecutionAlreadyExists. EXPRESS executions are not recorded (AWS
// keeps their history only in CloudWatch Logs): StartExecution runs one in the background and forgets it,
// StartSyncExecution runs it to its end and answers with its outcome.
#include <cmath>

#include "services/states/execution_runner.h"
#include "services/states/states_internal.h"
#include "services/states/states_ops.h"

namespace xacct::services::states {

namespace {

struct Request {
  MachineRef ref;
  Resolved resolved;
  std::string name;
  std::string input_text;
  json::value input;
};

// What StartExecution and StartSyncExecution check before running anything.
Result<Request> Prepare(CallContext& ctx, const json::object& in, std::string_view action) {
  const std::string arn = Str(in, "stateMachineArn");
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, action, arn, ref->account); !s) return s.error();
  auto resolved = Resolve(ctx.identities.db(), *ref, arn);
  if (!resolved) return resolved.error();
  Request r{*ref, std::move(*resolved), Str(in, "name"), in.contains("input") ? Str(in, "input") : "{}", {}};
  if (r.name.empty()) r.name = NewUuid();
  if (!ValidName(r.name)) return InvalidName(r.name);
  auto input = ParsePayload(r.input_text);
  if (!input) return input.error();
  r.input = std::move(*input);
  return r;
}

std::shared_ptr<ExecutionJob> ExpressJob(const Request& r, std::shared_ptr<const asl::Definition> definition) {
  auto job = std::make_shared<ExecutionJob>();
  job->express = true;
  // "Express workflows can run for up to five minutes" (Developer Guide, "Standard and Express workflows"):
  // past that the execution times out, whatever the definition's TimeoutSeconds.
  job->options.max_duration_ms = kExpressMaxDurationMs;
  job->scope = ScopeOf(r.ref.account, r.ref.region);
  job->definition = std::move(definition);
  job->info.execution_arn = "arn:aws:states:" + r.ref.region + ":" + r.ref.account + ":express:" + r.ref.name + ":" +
                            r.name + ":" + NewUuid();
  job->info.name = r.name;
  job->info.role_arn = Str(r.resolved.Effective(), "roleArn");
  job->info.state_machine_arn = r.resolved.machine_arn;
  job->info.state_machine_name = r.ref.name;
  job->info.region = r.ref.region;
  job->info.input = r.input;
  job->info.start_ms = NowMs();
  job->version_arn = r.resolved.version_arn;
  job->alias_arn = r.resolved.alias_arn;
  return job;
}

Result<std::shared_ptr<const asl::Definition>> DefinitionOf(const Request& r, bool express) {
  auto v = asl::Validate(Str(r.resolved.Effective(), "definition"), asl::ValidateOptions{.express = express});
  if (!v.definition) return AwsError::Client("InvalidDefinition", asl::InvalidDefinitionMessage(v.diagnostics));
  return v.definition;
}

AwsError NoRunner() {
  return AwsError::Server("ServiceUnavailable", "xacct was started without Step Functions executions", 503);
}

}  // namespace

Result<json::object> StartExecution(CallContext& ctx, const json::object& in) {
  auto request = Prepare(ctx, in, "StartExecution");
  if (!request) return request.error();
  Request& r = *request;
  ExecutionRunner* runner = ctx.backends.executions;
  if (runner == nullptr) return NoRunner();
  if (Str(r.resolved.machine, "type") == "EXPRESS") {
    auto definition = DefinitionOf(r, true);
    if (!definition) return definition.error();
    auto job = ExpressJob(r, *definition);
    if (!runner->Submit(job)) {
      return AwsError::Client("ExecutionLimitExceeded", "Execution Limit Exceeded: too many running executions");
    }
    return json::object{{"executionArn", job->info.execution_arn}, {"startDate", Seconds(job->info.start_ms)}};
  }

  const store::Scope scope = ScopeOf(r.ref.account, r.ref.region);
  const std::string id = ExecutionId(r.ref.name, r.name);
  const std::string execution_arn = ExecutionArn(r.ref.account, r.ref.region, r.ref.name, r.name);
  const json::object& effective = r.resolved.Effective();
  const int64_t now = NowMs();
  json::object machine_snapshot{
      {"name", r.ref.name},
      {"definition", Str(effective, "definition")},
      {"roleArn", Str(effective, "roleArn")},
      {"revisionId", Str(effective, "revisionId")},
      {"updateDate", IntOr(r.resolved.machine, "updateDate", IntOr(r.resolved.machine, "creationDate", now))}};
  for (const char* key : {"loggingConfiguration", "tracingConfiguration"}) {
    if (const auto* v = effective.if_contains(key)) machine_snapshot[key] = *v;
  }
  json::object record{{"executionArn", execution_arn},
                      {"stateMachineArn", r.resolved.machine_arn},
                      {"name", r.name},
                      {"status", "RUNNING"},
                      {"startDate", now},
                      {"input", r.input_text},
                      {"redriveCount", 0},
                      {"xDefinition", Str(effective, "definition")},
                      {"xRoleArn", Str(effective, "roleArn")},
                      {"xMachineName", r.ref.name},
                      {"xMachine", std::move(machine_snapshot)}};
  if (!r.resolved.version_arn.empty()) record["stateMachineVersionArn"] = r.resolved.version_arn;
  if (!r.resolved.alias_arn.empty()) record["stateMachineAliasArn"] = r.resolved.alias_arn;
  if (const std::string trace = Str(in, "traceHeader"); !trace.empty()) record["traceHeader"] = trace;
  auto job = JobFromRecord(scope, record);
  if (!job) return job.error();

  std::optional<json::object> existing;
  auto written = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto text = tx.Get(scope, kExecutionKind, id);
    if (!text) return text.error();
    if (*text) {
      auto parsed = ParseJson(**text);
      if (parsed && parsed->is_object()) {
        const json::object& old = parsed->as_object();
        if (now - IntOr(old, "startDate", 0) < kNameReuseMs) {
          if (Str(old, "status") == "RUNNING" && Str(old, "input") == r.input_text) {
            existing = old;  // the same request again: idempotent
            return Ok{};
          }
          return AwsError::Client("ExecutionAlreadyExists", "Execution Already Exists: '" + execution_arn + "'");
        }
      }
      // A name older than 90 days is free again: the old execution's history goes with it.
      auto chunks = tx.List(scope, kHistoryKind, id + "/");
      if (!chunks) return chunks.error();
      for (const auto& c : *chunks) {
        if (auto s = tx.Delete(scope, kHistoryKind, c.id); !s) return s;
      }
    }
    if (auto s = tx.Put(scope, kExecutionKind, id, json::serialize(record)); !s) return s;
    const json::object index{{"account", scope.account}, {"region", scope.region}, {"id", id}};
    return tx.Put(store::Scope::Global(), kRunningKind, RunningId(scope, id), json::serialize(index));
  });
  if (!written) return written.error();
  if (existing) {
    return json::object{{"executionArn", execution_arn}, {"startDate", Seconds(IntOr(*existing, "startDate", now))}};
  }
  if (!runner->Submit(*job)) {
    (void)ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
      if (auto s = tx.Delete(scope, kExecutionKind, id); !s) return s;
      return tx.Delete(store::Scope::Global(), kRunningKind, RunningId(scope, id));
    });
    return AwsError::Client("ExecutionLimitExceeded", "Execution Limit Exceeded: too many running executions");
  }
  return json::object{{"executionArn", execution_arn}, {"startDate", Seconds(now)}};
}

Result<json::object> StartSyncExecution(CallContext& ctx, const json::object& in) {
  auto request = Prepare(ctx, in, "StartSyncExecution");
  if (!request) return request.error();
  Request& r = *request;
  if (Str(r.resolved.machine, "type") != "EXPRESS") return TypeNotSupported();
  ExecutionRunner* runner = ctx.backends.executions;
  if (runner == nullptr) return NoRunner();
  auto definition = DefinitionOf(r, true);
  if (!definition) return definition.error();
  auto job = ExpressJob(r, *definition);
  runner->RunNow(job);
  const asl::Outcome& outcome = job->outcome;
  const int64_t stop_ms = job->stop_ms != 0 ? job->stop_ms : NowMs();
  json::object out{{"executionArn", job->info.execution_arn},
                   {"stateMachineArn", r.resolved.machine_arn},
                   {"name", r.name},
                   {"startDate", Seconds(job->info.start_ms)},
                   {"stopDate", Seconds(stop_ms)},
                   {"status", StatusName(outcome.status)},
                   {"input", r.input_text},
                   {"inputDetails", json::object{{"included", true}}},
                   {"billingDetails",
                    json::object{{"billedMemoryUsedInMB", 64},
                                 {"billedDurationInMilliseconds",
                                  static_cast<int64_t>(std::ceil((stop_ms - job->info.start_ms) / 100.0) * 100)}}}};
  if (outcome.status == asl::Outcome::Status::kSucceeded) {
    out["output"] = json::serialize(outcome.output);
    out["outputDetails"] = json::object{{"included", true}};
  } else {
    if (!outcome.error.empty()) out["error"] = outcome.error;
    if (!outcome.cause.empty()) out["cause"] = outcome.cause;
  }
  if (const std::string trace = Str(in, "traceHeader"); !trace.empty()) out["traceHeader"] = trace;
  return out;
}

Result<json::object> StopExecution(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "executionArn");
  auto ref = ParseExecutionArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "StopExecution", arn, ref->account); !s) return s.error();
  if (ref->express) return InvalidArn("Resource type not valid in this context: express");
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  const std::string id = ExecutionId(ref->machine, ref->name);
  store::Database& db = ctx.identities.db();
  auto record = LoadDoc(db, scope, kExecutionKind, id);
  if (!record) return record.error();
  if (!*record) return ExecutionDoesNotExist(arn);
  if (Str(**record, "status") == "RUNNING" && ctx.backends.executions != nullptr) {
    ctx.backends.executions->Stop(ExecutionRunner::KeyOf(scope, id), Str(in, "error"), Str(in, "cause"));
    record = LoadDoc(db, scope, kExecutionKind, id);
    if (!record) return record.error();
    if (!*record) return ExecutionDoesNotExist(arn);
  }
  return json::object{{"stopDate", Seconds(IntOr(**record, "stopDate", NowMs()))}};
}

Result<json::object> RedriveExecution(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "executionArn");
  auto ref = ParseExecutionArn(arn);
  if (!ref) return ref.error();
  if (auto s = AuthorizeStates(ctx, "RedriveExecution", arn, ref->account); !s) return s.error();
  if (ref->express) return InvalidArn("Resource type not valid in this context: express");
  ExecutionRunner* runner = ctx.backends.executions;
  if (runner == nullptr) return NoRunner();
  const store::Scope scope = ScopeOf(ref->account, ref->region);
  const std::string id = ExecutionId(ref->machine, ref->name);
  store::Database& db = ctx.identities.db();
  auto loaded = LoadDoc(db, scope, kExecutionKind, id);
  if (!loaded) return loaded.error();
  if (!*loaded) return ExecutionDoesNotExist(arn);
  json::object record = std::move(**loaded);
  const std::string status = Str(record, "status");
  const int64_t now = NowMs();
  if (status != "FAILED" && status != "ABORTED" && status != "TIMED_OUT") {
    return AwsError::Client("ExecutionNotRedrivable", "Execution is " + status + " and cannot be redriven");
  }
  if (now - IntOr(record, "stopDate", now) > kRedriveWindowMs) {
    return AwsError::Client("ExecutionNotRedrivable", "Execution can only be redriven within 14 days of its end");
  }
  const std::string failed_state = Str(record, "xFailedState");
  const std::string failed_input = record.contains("xFailedInput") ? Str(record, "xFailedInput") : Str(record, "input");
  const int64_t last_event_id = IntOr(record, "xLastEventId", 0);
  const int64_t redrive_count = IntOr(record, "redriveCount", 0) + 1;
  record["status"] = "RUNNING";
  record["redriveCount"] = redrive_count;
  record["redriveDate"] = now;
  for (const char* key : {"stopDate", "error", "cause", "output"}) record.erase(key);
  auto job = JobFromRecord(scope, record);
  if (!job) return job.error();
  auto input = ParseJson(failed_input);
  (*job)->options.start_at = failed_state;
  (*job)->options.input = input ? *input : (*job)->info.input;
  (*job)->options.first_event_id = last_event_id + 1;
  (*job)->options.emit_started = false;
  asl::HistoryEvent redriven{.id = 0, .previous_event_id = 0, .timestamp_ms = now, .type = "ExecutionRedriven"};
  redriven.details_key = "executionRedrivenEventDetails";
  redriven.details = json::object{{"redriveCount", redrive_count}};
  (*job)->prelude = std::move(redriven);
  json::object checkpoint{{"lastEventId", last_event_id}};
  if (!failed_state.empty()) {
    checkpoint["state"] = failed_state;
    checkpoint["input"] = failed_input;
  }
  auto written = db.Write([&](store::Transaction& tx) -> Status {
    if (auto s = tx.Put(scope, kExecutionKind, id, json::serialize(record)); !s) return s;
    if (auto s = tx.Put(scope, kCheckpointKind, id, json::serialize(checkpoint)); !s) return s;
    const json::object index{{"account", scope.account}, {"region", scope.region}, {"id", id}};
    return tx.Put(store::Scope::Global(), kRunningKind, RunningId(scope, id), json::serialize(index));
  });
  if (!written) return written.error();
  if (!runner->Submit(*job)) {
    return AwsError::Client("ExecutionLimitExceeded", "Execution Limit Exceeded: too many running executions");
  }
  return json::object{{"redriveDate", Seconds(now)}};
}

}  // namespace xacct::services::states
