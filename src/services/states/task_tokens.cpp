#include "services/states/task_tokens.h"

#include <climits>

namespace xacct::services::states {

namespace {

constexpr size_t kRememberedFinished = 100000;  // ended tokens remembered for TaskTimedOut, then forgotten
constexpr std::string_view kTokenKind = "states-task-token";
// How long a SendTask* for a stored token waits for its resumed task to wait again.
constexpr auto kResumeGrace = std::chrono::seconds(5);

AwsError TaskTimedOut() {
  return AwsError::Client("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

}  // namespace

Result<TaskTokens::Outcome> TaskTokens::Waiter::Wait(asl::Clock& clock, asl::Cancellation& stop,
                                                     std::optional<int64_t> heartbeat_seconds) {
  int64_t last_beat_ms = clock.NowMillis();
  int64_t beats_seen = 0;
  for (;;) {
    std::shared_ptr<asl::Cancellation> wake;
    {
      std::lock_guard lock(mu_);
      if (outcome_) return *outcome_;
      if (beats_ != beats_seen) {
        beats_seen = beats_;
        last_beat_ms = clock.NowMillis();
      }
      if (signal_->cancelled()) signal_ = std::make_shared<asl::Cancellation>();
      wake = signal_;
    }
    const uint64_t subscription = stop.Subscribe([wake] { wake->Cancel("stopped"); });
    const int64_t deadline = heartbeat_seconds ? last_beat_ms + *heartbeat_seconds * 1000 : INT64_MAX;
    const bool reached = clock.WaitUntil(deadline, *wake);
    stop.Unsubscribe(subscription);
    std::lock_guard lock(mu_);
    if (outcome_) return *outcome_;
    if (stop.cancelled()) return AwsError::Client("States.TaskFailed", "The task was stopped (" + stop.reason() + ")");
    if (reached && heartbeat_seconds && beats_ == beats_seen) {
      return AwsError::Client("States.HeartbeatTimeout", "");
    }
    if (!reached && !wake->cancelled()) {
      return AwsError::Client("States.TaskFailed", "The task was stopped");  // the task's own timeout fired
    }
  }
}

Result<std::shared_ptr<TaskTokens::Waiter>> TaskTokens::Register(const std::string& token,
                                                                 const std::string& machine_arn,
                                                                 const std::string& execution_arn) {
  if (db_ != nullptr) {
    const std::string body =
        json::serialize(json::object{{"machineArn", machine_arn}, {"executionArn", execution_arn}});
    auto s =
        db_->Write([&](store::Transaction& tx) { return tx.Put(store::Scope::Global(), kTokenKind, token, body); });
    if (!s) return s.error();
  }
  auto waiter = std::make_shared<Waiter>();
  waiter->machine_arn_ = machine_arn;
  {
    std::lock_guard lock(mu_);
    live_[token] = waiter;
  }
  registered_.notify_all();
  return waiter;
}

void TaskTokens::Finish(const std::string& token) {
  {
    std::lock_guard lock(mu_);
    live_.erase(token);
    if (finished_.size() >= kRememberedFinished) finished_.clear();
    finished_[token] = true;
  }
  registered_.notify_all();
  if (db_ != nullptr && !stopping_) {
    (void)db_->Write([&](store::Transaction& tx) { return tx.Delete(store::Scope::Global(), kTokenKind, token); });
  }
}

std::string TaskTokens::StoredTokenOf(const std::string& execution_arn) {
  if (db_ == nullptr) return "";
  auto stored = db_->List(store::Scope::Global(), kTokenKind);
  if (!stored) return "";
  for (const auto& doc : *stored) {
    auto body = ParseJson(doc.body);
    if (body && body->is_object() && StringField(body->as_object(), "executionArn") == execution_arn) return doc.id;
  }
  return "";
}

Result<std::shared_ptr<TaskTokens::Waiter>> TaskTokens::Find(const std::string& token) {
  std::unique_lock lock(mu_);
  if (auto it = live_.find(token); it != live_.end()) return it->second;
  if (finished_.contains(token)) return TaskTimedOut();
  bool stored = false;
  if (db_ != nullptr) {
    lock.unlock();
    auto doc = db_->Get(store::Scope::Global(), kTokenKind, token);
    stored = doc && doc->has_value();
    lock.lock();
  }
  if (!stored) return AwsError::Client("InvalidToken", "Invalid Token: 'Invalid token'");
  // The task of a stored token is about to wait again (its execution is resuming after a restart).
  if (registered_.wait_for(lock, kResumeGrace, [&] { return live_.contains(token) || finished_.contains(token); })) {
    if (auto it = live_.find(token); it != live_.end()) return it->second;
  }
  return TaskTimedOut();
}

Status TaskTokens::Deliver(Waiter& waiter, Outcome outcome) {
  std::shared_ptr<asl::Cancellation> wake;
  {
    std::lock_guard lock(waiter.mu_);
    if (waiter.outcome_) return TaskTimedOut();
    waiter.outcome_ = std::move(outcome);
    wake = waiter.signal_;
  }
  wake->Cancel("delivered");
  return Ok{};
}

Status TaskTokens::Heartbeat(Waiter& waiter) {
  std::shared_ptr<asl::Cancellation> wake;
  {
    std::lock_guard lock(waiter.mu_);
    if (waiter.outcome_) return TaskTimedOut();
    ++waiter.beats_;
    wake = waiter.signal_;
  }
  wake->Cancel("heartbeat");
  return Ok{};
}

}  // namespace xacct::services::states
