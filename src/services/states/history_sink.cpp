#include "services/states/history_sink.h"

#include <cstdio>

namespace xacct::services::states {

namespace {

constexpr size_t kBatchEvents = 2000;

std::string ChunkId(const std::string& execution_id, int64_t first) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%010lld", static_cast<long long>(first));
  return execution_id + "/" + digits;
}

}  // namespace

HistorySink::HistorySink(store::Database* db, store::Scope scope, std::string execution_id, int64_t first_event_id,
                         asl::Cancellation* stop, const std::atomic<bool>* dropping)
    : db_(db),
      scope_(std::move(scope)),
      id_(std::move(execution_id)),
      stop_(stop),
      dropping_(dropping),
      last_event_id_(first_event_id - 1) {}

json::object HistorySink::WireEvent(const asl::HistoryEvent& event) {
  json::object e{{"timestamp", Seconds(event.timestamp_ms)}, {"type", event.type}, {"id", event.id}};
  if (event.previous_event_id != 0) e["previousEventId"] = event.previous_event_id;
  if (!event.details_key.empty()) e[event.details_key] = event.details;
  return e;
}

json::object HistorySink::WireEvent(asl::HistoryEvent&& event) {
  json::object e(5);
  e["timestamp"] = Seconds(event.timestamp_ms);
  e["type"] = event.type;
  e["id"] = event.id;
  if (event.previous_event_id != 0) e["previousEventId"] = event.previous_event_id;
  if (!event.details_key.empty()) e[event.details_key] = std::move(event.details);
  return e;
}

void HistorySink::Append(asl::HistoryEvent&& event) {
  bool stop_now = false;
  bool flush_now = false;
  {
    std::lock_guard lock(mu_);
    if (limit_failure_ || (dropping_ != nullptr && dropping_->load())) return;
    asl::HistoryEvent& e = event;
    // A submitted job is on disk before the task waits for it, so that a resumed execution continues the
    // job instead of submitting another (execution_resume.cpp).
    const bool submitted = e.type == "TaskSubmitted";
    if (e.type == "ExecutionAborted" && abort_override_) {
      e.details = json::object{};
      if (!abort_error_.empty()) e.details["error"] = abort_error_;
      if (!abort_cause_.empty()) e.details["cause"] = abort_cause_;
      e.details_key = "executionAbortedEventDetails";
    }
    // "Avoid reaching the history quota": event 25,000 is the last; unless it is ExecutionSucceeded, it is
    // ExecutionFailed and the execution fails.
    if (db_ != nullptr && e.id >= kMaxHistoryEvents && e.type != "ExecutionSucceeded") {
      const std::string cause = "The execution reached the maximum number of events in its history (" +
                                std::to_string(kMaxHistoryEvents) + ").";
      limit_failure_ = std::make_pair(std::string("States.Runtime"), cause);
      e.type = "ExecutionFailed";
      e.details_key = "executionFailedEventDetails";
      e.details = json::object{{"error", "States.Runtime"}, {"cause", cause}};
      stop_now = true;
    }
    last_event_id_ = e.id;
    if (db_ == nullptr) return;
    if (pending_.empty()) pending_first_ = e.id;
    pending_.push_back(WireEvent(std::move(e)));
    flush_now = submitted || pending_.size() >= kBatchEvents;
  }
  if (stop_now && stop_ != nullptr) stop_->Cancel("the execution history reached its quota");
  if (flush_now) (void)Flush();
}

void HistorySink::Checkpoint(const std::string& next_state, const json::value& input) {
  if (db_ == nullptr) return;
  std::lock_guard lock(mu_);
  if (limit_failure_ || (dropping_ != nullptr && dropping_->load())) return;
  checkpoint_state_ = next_state;
  checkpoint_input_ = json::serialize(input);
  checkpoint_dirty_ = true;
}

void HistorySink::SetAbortDetails(std::string error, std::string cause) {
  std::lock_guard lock(mu_);
  abort_error_ = std::move(error);
  abort_cause_ = std::move(cause);
  abort_override_ = true;
}

bool HistorySink::HasPending() const {
  std::lock_guard lock(mu_);
  return !pending_.empty() || checkpoint_dirty_;
}

int64_t HistorySink::last_event_id() const {
  std::lock_guard lock(mu_);
  return last_event_id_;
}

std::optional<std::pair<std::string, std::string>> HistorySink::limit_failure() const {
  std::lock_guard lock(mu_);
  return limit_failure_;
}

Status HistorySink::Flush(const std::function<Status(store::Transaction&)>& extra) {
  if (db_ == nullptr) return Ok{};
  std::lock_guard flushing(flush_mu_);
  json::array events;
  int64_t first = 0;
  int64_t last = 0;
  std::optional<json::object> checkpoint;
  {
    std::lock_guard lock(mu_);
    events.swap(pending_);
    first = pending_first_;
    last = last_event_id_;
    if (checkpoint_dirty_ || !events.empty()) {
      checkpoint = json::object{{"lastEventId", last}};
      if (!checkpoint_state_.empty()) {
        (*checkpoint)["state"] = checkpoint_state_;
        (*checkpoint)["input"] = checkpoint_input_;
      }
      checkpoint_dirty_ = false;
    }
  }
  if (events.empty() && !checkpoint && !extra) return Ok{};
  const std::string chunk = events.empty() ? std::string() : json::serialize(events);
  const std::string point = checkpoint ? json::serialize(*checkpoint) : std::string();
  return db_->Write([&](store::Transaction& tx) -> Status {
    if (!chunk.empty()) {
      if (auto s = tx.Put(scope_, kHistoryKind, ChunkId(id_, first), chunk); !s) return s;
    }
    if (!point.empty()) {
      if (auto s = tx.Put(scope_, kCheckpointKind, id_, point); !s) return s;
    }
    if (extra) return extra(tx);
    return Ok{};
  });
}

}  // namespace xacct::services::states
