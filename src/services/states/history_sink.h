// Where a STANDARD execution's history goes (API Reference, GetExecutionHistory and HistoryEvent; Developer
// Guide, "Avoid reaching the history quota"). The interpreter may emit 100,000 events a second (a Choice/Pass
// loop), so events are buffered and written in batches: a batch is one document (states-history, id
// MACHINE/NAME/<first event id>) holding the events in their wire form, written together with the latest
// checkpoint, so that a resumed execution continues exactly after the last batch that reached the disk. The
// runner's flusher writes pending batches every 100 ms; a full buffer (2,000 events) is written at once.
//
// The 25,000th event ends the execution unless it is ExecutionSucceeded: it becomes ExecutionFailed and the
// run is stopped; what the interpreter emits after it is dropped. EXPRESS executions keep no history (a sink
// without a database counts events only).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "asl/interpreter.h"
#include "services/states/states_internal.h"

namespace xacct::services::states {

class HistorySink final : public asl::ExecutionSink {
 public:
  //! `db` null: nothing is stored (EXPRESS). `stopped` is the execution's stop signal (fired at the limit);
  //! `dropping` (the runner shutting down) makes the sink drop what arrives from then on.
  HistorySink(store::Database* db, store::Scope scope, std::string execution_id, int64_t first_event_id,
              asl::Cancellation* stop, const std::atomic<bool>* dropping);

  void Append(asl::HistoryEvent&& event) override;
  void Checkpoint(const std::string& next_state, const json::value& input) override;

  //! The error and cause that replace an ExecutionAborted event's details (StopExecution's).
  void SetAbortDetails(std::string error, std::string cause);
  //! Writes the buffered events and the checkpoint; `extra` runs in the same transaction (the final record).
  Status Flush(const std::function<Status(store::Transaction&)>& extra = {});
  bool HasPending() const;
  //! The id of the last event accepted (0 before the first).
  int64_t last_event_id() const;
  //! Set when the 25,000-event quota ended the execution: its error and cause.
  std::optional<std::pair<std::string, std::string>> limit_failure() const;

  //! One event in its GetExecutionHistory form.
  static json::object WireEvent(const asl::HistoryEvent& event);
  //! The same, taking the event's details.
  static json::object WireEvent(asl::HistoryEvent&& event);

 private:
  store::Database* db_;
  store::Scope scope_;
  std::string id_;
  asl::Cancellation* stop_;
  const std::atomic<bool>* dropping_;

  mutable std::mutex mu_;  //!< guards what follows
  json::array pending_;
  int64_t pending_first_ = 0;
  int64_t last_event_id_ = 0;
  bool checkpoint_dirty_ = false;
  std::string checkpoint_state_;
  std::string checkpoint_input_;
  std::string abort_error_, abort_cause_;
  bool abort_override_ = false;
  std::optional<std::pair<std::string, std::string>> limit_failure_;

  std::mutex flush_mu_;  //!< one flush at a time, so batches and checkpoints reach the disk in order
};

}  // namespace xacct::services::states
