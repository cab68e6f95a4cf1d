#include "services/states/execution_runner.h"

#include <algorithm>
#include <chrono>

#include "services/states/history_sink.h"
#include "services/states/integrations.h"

namespace xacct::services::states {

namespace {

struct Terminal {
  const char* type;
  const char* details_key;
};

Terminal TerminalEvent(asl::Outcome::Status status) {
  switch (status) {
    case asl::Outcome::Status::kSucceeded:
      return {"ExecutionSucceeded", "executionSucceededEventDetails"};
    case asl::Outcome::Status::kFailed:
      return {"ExecutionFailed", "executionFailedEventDetails"};
    case asl::Outcome::Status::kAborted:
      return {"ExecutionAborted", "executionAbortedEventDetails"};
    case asl::Outcome::Status::kTimedOut:
      return {"ExecutionTimedOut", "executionTimedOutEventDetails"};
  }
  return {"ExecutionFailed", "executionFailedEventDetails"};
}

json::object ErrorDetails(const std::string& error, const std::string& cause) {
  json::object d;
  if (!error.empty()) d["error"] = error;
  if (!cause.empty()) d["cause"] = cause;
  return d;
}

}  // namespace

asl::Outcome::Status StatusOf(std::string_view status) {
  if (status == "FAILED") return asl::Outcome::Status::kFailed;
  if (status == "ABORTED") return asl::Outcome::Status::kAborted;
  if (status == "TIMED_OUT") return asl::Outcome::Status::kTimedOut;
  return asl::Outcome::Status::kSucceeded;
}

std::string StatusName(asl::Outcome::Status status) {
  switch (status) {
    case asl::Outcome::Status::kSucceeded:
      return "SUCCEEDED";
    case asl::Outcome::Status::kFailed:
      return "FAILED";
    case asl::Outcome::Status::kAborted:
      return "ABORTED";
    case asl::Outcome::Status::kTimedOut:
      return "TIMED_OUT";
  }
  return "FAILED";
}

ExecutionRunner::ExecutionRunner(store::Database& db, identity::IdentityStore& identities, authz::Authorizer& authz,
                                 Options options)
    : db_(db), identities_(identities), authz_(authz), options_(options) {
  const unsigned threads = std::max(1u, options_.threads);
  std::lock_guard lock(mu_);  // workers that start growing the pool read workers_ under it
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  flusher_ = std::thread([this] { FlushLoop(); });
}

ExecutionRunner::~ExecutionRunner() { Shutdown(); }

bool ExecutionRunner::Submit(const std::shared_ptr<ExecutionJob>& job) {
  if (!job->sink) {
    job->sink = std::make_shared<HistorySink>(job->express ? nullptr : &db_, job->scope, job->id,
                                              job->options.first_event_id, &job->stop, &stopping_);
  }
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) return false;
    live_[job->express ? job->info.execution_arn : KeyOf(job->scope, job->id)] = job;
    queue_.push_back(job);
    GrowLocked();
  }
  wake_.notify_one();
  return true;
}

void ExecutionRunner::RunNow(const std::shared_ptr<ExecutionJob>& job) {
  if (!job->sink) {
    job->sink = std::make_shared<HistorySink>(job->express ? nullptr : &db_, job->scope, job->id,
                                              job->options.first_event_id, &job->stop, &stopping_);
  }
  const std::string key = job->express ? job->info.execution_arn : KeyOf(job->scope, job->id);
  {
    std::lock_guard lock(mu_);
    live_[key] = job;
  }
  Execute(job);
  std::lock_guard lock(mu_);
  if (auto it = live_.find(key); it != live_.end() && it->second == job) live_.erase(it);
}

void ExecutionRunner::Work() {
  asl::ObserveBlocking(this);
  for (;;) {
    std::shared_ptr<ExecutionJob> job;
    {
      std::unique_lock lock(mu_);
      ++idle_;
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Execute(job);
    const std::string key = job->express ? job->info.execution_arn : KeyOf(job->scope, job->id);
    std::lock_guard lock(mu_);
    if (auto it = live_.find(key); it != live_.end() && it->second == job) live_.erase(it);
  }
}

void ExecutionRunner::Blocked() {
  std::lock_guard lock(mu_);
  ++blocked_;
  GrowLocked();
}

void ExecutionRunner::Unblocked() {
  std::lock_guard lock(mu_);
  --blocked_;
}

void ExecutionRunner::GrowLocked() {
  const size_t busy = workers_.size() - idle_ - blocked_;
  if (stopping_ || queue_.size() <= idle_ || busy >= options_.threads || workers_.size() >= options_.max_threads) {
    return;
  }
  workers_.emplace_back([this] { Work(); });
}

void ExecutionRunner::FlushLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    flush_cv_.wait_for(lock, std::chrono::milliseconds(100));
    std::vector<std::shared_ptr<ExecutionJob>> jobs;
    for (const auto& [_, job] : live_) {
      if (job->sink && job->sink->HasPending()) jobs.push_back(job);
    }
    lock.unlock();
    for (const auto& job : jobs) (void)job->sink->Flush();
    lock.lock();
  }
}

void ExecutionRunner::Execute(const std::shared_ptr<ExecutionJob>& job) {
  {
    std::lock_guard lock(job->mu);
    job->started = true;
  }
  if (job->prelude) {
    job->prelude->id = job->sink->last_event_id() + 1;
    job->prelude->previous_event_id = 0;
    job->options.first_event_id = job->prelude->id + 1;
    job->sink->Append(std::move(*job->prelude));
    job->prelude.reset();
  }
  auto session = std::make_shared<RoleSession>(authz_, identities_, job->info.role_arn, job->info.state_machine_arn,
                                               job->info.region);
  // The role is assumed before the first state: a role that is no longer trusted fails the execution.
  auto principal = session->Get();
  if (!principal) {
    EndWithoutRun(job, asl::Outcome::Status::kFailed, principal.error().code, principal.error().message);
    return;
  }
  if (stopping_) return;  // shutting down: the execution stays RUNNING and resumes at the next start
  StatesIntegrations integrations(TaskEnv{authz_, identities_, backends_, session, job->info.region});
  asl::Outcome outcome =
      asl::Run(*job->definition, job->info, job->options, integrations, clock_, *job->sink, job->stop);
  Finish(job, outcome);
}

void ExecutionRunner::EndWithoutRun(const std::shared_ptr<ExecutionJob>& job, asl::Outcome::Status status,
                                    const std::string& error, const std::string& cause) {
  const int64_t now = NowMs();
  int64_t id = job->sink->last_event_id();
  if (job->options.emit_started) {
    asl::HistoryEvent started{.id = ++id, .previous_event_id = 0, .timestamp_ms = now, .type = "ExecutionStarted"};
    started.details_key = "executionStartedEventDetails";
    started.details = json::object{{"input", json::serialize(job->info.input)},
                                   {"inputDetails", json::object{{"truncated", false}}},
                                   {"roleArn", job->info.role_arn}};
    if (!job->alias_arn.empty()) started.details["stateMachineAliasArn"] = job->alias_arn;
    if (!job->version_arn.empty()) started.details["stateMachineVersionArn"] = job->version_arn;
    job->sink->Append(std::move(started));
  }
  const Terminal terminal = TerminalEvent(status);
  asl::HistoryEvent end{.id = id + 1, .previous_event_id = id, .timestamp_ms = now, .type = terminal.type};
  end.details_key = terminal.details_key;
  end.details = ErrorDetails(error, cause);
  job->sink->Append(std::move(end));
  asl::Outcome outcome;
  outcome.status = status;
  outcome.error = error;
  outcome.cause = cause;
  outcome.last_event_id = id + 1;
  Finish(job, outcome);
}

void ExecutionRunner::Finish(const std::shared_ptr<ExecutionJob>& job, const asl::Outcome& result) {
  auto done = [&](const asl::Outcome& o, int64_t stop_ms) {
    std::lock_guard lock(job->mu);
    job->outcome = o;
    job->stop_ms = stop_ms;
    job->finished = true;
    job->finished_cv.notify_all();
  };
  if (stopping_) {
    // Shutdown: what arrived before it is kept; the execution stays RUNNING to be resumed.
    (void)job->sink->Flush();
    done(result, 0);
    return;
  }
  asl::Outcome outcome = result;
  if (auto limit = job->sink->limit_failure()) {
    outcome.status = asl::Outcome::Status::kFailed;
    outcome.error = limit->first;
    outcome.cause = limit->second;
  }
  {
    std::lock_guard lock(job->mu);
    if (job->stop_requested && outcome.status == asl::Outcome::Status::kAborted) {
      outcome.error = job->stop_error;
      outcome.cause = job->stop_cause;
    }
  }
  const int64_t stop_ms = NowMs();
  if (!job->express) {
    const std::string running_id = RunningId(job->scope, job->id);
    auto s = job->sink->Flush([&](store::Transaction& tx) -> Status {
      auto text = tx.Get(job->scope, kExecutionKind, job->id);
      if (!text) return text.error();
      if (*text) {
        auto parsed = ParseJson(**text);
        if (parsed && parsed->is_object()) {
          json::object& record = parsed->as_object();
          record["status"] = StatusName(outcome.status);
          record["stopDate"] = stop_ms;
          record.erase("output");
          record.erase("error");
          record.erase("cause");
          if (outcome.status == asl::Outcome::Status::kSucceeded) {
            record["output"] = json::serialize(outcome.output);
          } else {
            if (!outcome.error.empty()) record["error"] = outcome.error;
            if (!outcome.cause.empty()) record["cause"] = outcome.cause;
            record["xFailedState"] = outcome.failed_state;
            record["xFailedInput"] = outcome.failed_input.is_null() ? json::serialize(job->info.input)
                                                                    : json::serialize(outcome.failed_input);
          }
          record["xLastEventId"] = job->sink->last_event_id();
          if (auto put = tx.Put(job->scope, kExecutionKind, job->id, json::serialize(record)); !put) return put;
        }
      }
      if (auto del = tx.Delete(job->scope, kCheckpointKind, job->id); !del) return del;
      return tx.Delete(store::Scope::Global(), kRunningKind, running_id);
    });
    (void)s;
  }
  done(outcome, stop_ms);
}

bool ExecutionRunner::Stop(const std::string& key, const std::string& error, const std::string& cause) {
  std::shared_ptr<ExecutionJob> job;
  bool queued = false;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(key);
    if (it == live_.end()) return false;
    job = it->second;
    if (auto q = std::find(queue_.begin(), queue_.end(), job); q != queue_.end()) {
      queue_.erase(q);
      queued = true;
    }
  }
  {
    std::lock_guard lock(job->mu);
    if (job->finished) return true;
    job->stop_requested = true;
    job->stop_error = error;
    job->stop_cause = cause;
  }
  job->sink->SetAbortDetails(error, cause);
  if (queued) {
    EndWithoutRun(job, asl::Outcome::Status::kAborted, error, cause);
    std::lock_guard lock(mu_);
    if (auto it = live_.find(key); it != live_.end() && it->second == job) live_.erase(it);
    return true;
  }
  job->stop.Cancel(asl::AbortReason(error, cause));
  std::unique_lock lock(job->mu);
  job->finished_cv.wait_for(lock, std::chrono::seconds(10), [&] { return job->finished; });
  return true;
}

void ExecutionRunner::Flush(const std::string& key) {
  std::shared_ptr<ExecutionJob> job;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(key);
    if (it == live_.end()) return;
    job = it->second;
  }
  if (job->sink) (void)job->sink->Flush();
}

void ExecutionRunner::Shutdown() {
  std::vector<std::shared_ptr<ExecutionJob>> jobs;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty() && !flusher_.joinable()) return;
    stopping_ = true;       // sinks drop what arrives from now on: no outcome is recorded
    tokens_.SetStopping();  // waiting callback tasks keep their stored tokens for the resumed executions
    for (const auto& [_, job] : live_) jobs.push_back(job);
    queue_.clear();
  }
  for (const auto& job : jobs) job->stop.Cancel("xacct is shutting down");
  wake_.notify_all();
  flush_cv_.notify_all();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);  // no worker starts once stopping_ is set
    workers.swap(workers_);
  }
  for (auto& w : workers) {
    if (w.joinable()) w.join();
  }
  if (flusher_.joinable()) flusher_.join();
}

}  // namespace xacct::services::states
