// Executions that were RUNNING when the server stopped (DESIGN.md "Data on disk": none is lost or left
// RUNNING forever). Each resumes at its last checkpoint (the top-level state it was about to enter, with that
// state's input), its history continuing after the last event that reached the disk; the state it was in when
// the server stopped runs again. One that cannot resume fails with a cause saying why.
#include "services/states/execution_runner.h"
#include "services/states/history_sink.h"

namespace xacct::services::states {

namespace {

// The output of the TaskSubmitted event of `state`'s last attempt, when that attempt had submitted a job and
// not ended before the server stopped: the resumed task continues that job.
json::value PendingSubmission(store::Database& db, const store::Scope& scope, const std::string& id,
                              const std::string& state) {
  auto batches = db.List(scope, kHistoryKind, id + "/");
  if (!batches) return nullptr;
  std::string entered;
  json::value submission;
  for (const auto& batch : *batches) {
    auto events = ParseJson(batch.body);
    if (!events || !events->is_array()) continue;
    for (const auto& event : events->as_array()) {
      if (!event.is_object()) continue;
      const json::object& e = event.as_object();
      const std::string type = Str(e, "type");
      if (type.ends_with("StateEntered")) {
        const json::object* d = Obj(e, "stateEnteredEventDetails");
        entered = d != nullptr ? Str(*d, "name") : "";
        submission = nullptr;
      } else if (type == "TaskSubmitted") {
        const json::object* d = Obj(e, "taskSubmittedEventDetails");
        auto output = ParseJson(d != nullptr ? Str(*d, "output") : "");
        submission = output ? *output : json::value(nullptr);
      } else if (type == "TaskSucceeded" || type == "TaskFailed" || type == "TaskTimedOut") {
        submission = nullptr;
      }
    }
  }
  return entered == state ? submission : json::value(nullptr);
}

}  // namespace

std::string RunningId(const store::Scope& scope, const std::string& id) {
  return scope.account + "/" + scope.region + "/" + id;
}

Result<std::shared_ptr<ExecutionJob>> JobFromRecord(const store::Scope& scope, const json::object& record) {
  auto validation = asl::Validate(Str(record, "xDefinition"), asl::ValidateOptions{.express = false});
  if (!validation.definition) {
    return AwsError::Client("InvalidDefinition", asl::InvalidDefinitionMessage(validation.diagnostics));
  }
  auto input = ParseJson(Str(record, "input"));
  auto job = std::make_shared<ExecutionJob>();
  job->scope = scope;
  job->id = ExecutionId(Str(record, "xMachineName"), Str(record, "name"));
  job->definition = validation.definition;
  job->info.execution_arn = Str(record, "executionArn");
  job->info.name = Str(record, "name");
  job->info.role_arn = Str(record, "xRoleArn");
  job->info.state_machine_arn = Str(record, "stateMachineArn");
  job->info.state_machine_name = Str(record, "xMachineName");
  job->info.region = scope.region;
  job->info.input = input ? *input : json::value(json::object{});
  job->info.start_ms = IntOr(record, "startDate", NowMs());
  job->info.redrive_count = IntOr(record, "redriveCount", 0);
  if (record.contains("redriveDate")) job->info.redrive_ms = IntOr(record, "redriveDate", 0);
  job->version_arn = Str(record, "stateMachineVersionArn");
  job->alias_arn = Str(record, "stateMachineAliasArn");
  return job;
}

void ExecutionRunner::ResumeAll() {
  auto running = db_.List(store::Scope::Global(), kRunningKind);
  if (!running) return;
  for (const auto& entry : *running) {
    auto index = ParseJson(entry.body);
    if (!index || !index->is_object()) continue;
    const store::Scope scope = ScopeOf(Str(index->as_object(), "account"), Str(index->as_object(), "region"));
    const std::string id = Str(index->as_object(), "id");
    auto drop = [&] {
      (void)db_.Write(
          [&](store::Transaction& tx) { return tx.Delete(store::Scope::Global(), kRunningKind, entry.id); });
    };
    auto record = LoadDoc(db_, scope, kExecutionKind, id);
    if (!record) continue;
    if (!*record || Str(**record, "status") != "RUNNING") {
      drop();
      continue;
    }
    auto checkpoint = LoadDoc(db_, scope, kCheckpointKind, id);
    const json::object point = checkpoint && *checkpoint ? **checkpoint : json::object{};
    int64_t last_event_id = IntOr(point, "lastEventId", 0);
    if (last_event_id == 0) {
      // No checkpoint: the last event on disk, from the last history batch.
      auto raw = db_.List(scope, kHistoryKind, id + "/");
      if (raw && !raw->empty()) {
        auto events = ParseJson(raw->back().body);
        if (events && events->is_array() && !events->as_array().empty()) {
          last_event_id = IntOr(events->as_array().back().as_object(), "id", 0);
        }
      }
    }
    auto job = JobFromRecord(scope, **record);
    std::shared_ptr<ExecutionJob> fallback;
    std::string why;
    if (!job) {
      why = "its definition no longer validates: " + job.error().message;
      // A job that only records the failure: the definition is not needed for that.
      fallback = std::make_shared<ExecutionJob>();
      fallback->scope = scope;
      fallback->id = id;
      fallback->info.execution_arn = Str(**record, "executionArn");
      fallback->info.role_arn = Str(**record, "xRoleArn");
      fallback->info.region = scope.region;
    }
    std::shared_ptr<ExecutionJob> j = job ? *job : fallback;
    j->options.first_event_id = last_event_id + 1;
    j->options.emit_started = last_event_id == 0;
    if (const std::string state = Str(point, "state"); !state.empty()) {
      auto input = ParseJson(Str(point, "input"));
      if (input) {
        j->options.start_at = state;
        j->options.input = *input;
        j->options.resume_submission = PendingSubmission(db_, scope, id, state);
        if (!j->options.resume_submission.is_null()) {
          j->options.resume_task_token = tokens_.StoredTokenOf(j->info.execution_arn);
        }
      } else if (why.empty()) {
        why = "its checkpoint at state '" + state + "' is unreadable";
      }
    }
    j->sink = std::make_shared<HistorySink>(&db_, scope, id, j->options.first_event_id, &j->stop, &stopping_);
    if (why.empty() && Submit(j)) continue;
    if (why.empty()) why = "the execution queue is full";
    {
      std::lock_guard lock(mu_);
      live_[KeyOf(scope, id)] = j;
    }
    EndWithoutRun(j, asl::Outcome::Status::kFailed, "States.Runtime",
                  "xacct restarted while this execution was running and could not resume it: " + why);
    std::lock_guard lock(mu_);
    live_.erase(KeyOf(scope, id));
  }
}

}  // namespace xacct::services::states
