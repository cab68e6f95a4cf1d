// Runs Step Functions executions in the background (Developer Guide, "Standard and Express workflows";
// API Reference, StartExecution, StopExecution, RedriveExecution). Worker threads take executions from a queue;
// an execution holds its worker until it ends. While a worker waits (a Wait state, a Task's call or callback,
// a .sync poll: asl::BlockingObserver), it does not count against the pool's size: when executions are queued
// and every worker that is not waiting is busy, another worker starts, up to max_threads. So executions that
// wait do not hold up the ones behind them.
//
// Each execution runs as a session of its state machine's role, assumed for the service principal
// states.amazonaws.com with aws:SourceArn = the state machine and aws:SourceAccount = its account (so that
// confused-deputy conditions in the trust policy apply): a role that is no longer trusted fails the execution.
// STANDARD executions report to a HistorySink (batched, durable); their record says RUNNING from before
// StartExecution answers until the outcome is written. On shutdown the runner stops every execution without
// recording an outcome: they stay RUNNING in the store, and ResumeAll (server start) continues each from its
// last checkpoint, or fails it with a cause saying why it could not.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "asl/clock.h"
#include "asl/interpreter.h"
#include "services/service.h"
#include "services/states/states_internal.h"
#include "services/states/task_tokens.h"

namespace xacct::services::states {

class HistorySink;

//! One execution the runner holds, from StartExecution (or a resume, or a redrive) to its end.
struct ExecutionJob {
  store::Scope scope;
  std::string id;  //!< MACHINE/NAME
  bool express = false;
  std::shared_ptr<const asl::Definition> definition;
  asl::ExecutionInfo info;
  asl::RunOptions options;
  std::string version_arn, alias_arn;        //!< what ExecutionStarted names
  std::optional<asl::HistoryEvent> prelude;  //!< appended before the run (RedriveExecution's ExecutionRedriven)
  asl::Cancellation stop;
  std::shared_ptr<HistorySink> sink;

  std::mutex mu;  //!< guards what follows
  std::condition_variable finished_cv;
  bool started = false;
  bool finished = false;
  bool stop_requested = false;
  std::string stop_error, stop_cause;
  asl::Outcome outcome;  //!< when finished
  int64_t stop_ms = 0;
};

class ExecutionRunner final : private asl::BlockingObserver {
 public:
  struct Options {
    unsigned threads = 32;        //!< executions that run at once, not counting those waiting
    unsigned max_threads = 1024;  //!< workers in all, waiting ones included (the others wait in the queue)
    size_t max_queued = 10000;    //!< beyond this StartExecution answers ExecutionLimitExceeded
  };
  ExecutionRunner(store::Database& db, identity::IdentityStore& identities, authz::Authorizer& authz, Options options);
  ~ExecutionRunner();
  ExecutionRunner(const ExecutionRunner&) = delete;
  ExecutionRunner& operator=(const ExecutionRunner&) = delete;

  //! The services task integrations call (Athena's pool, S3, this runner for states:startExecution).
  void SetBackends(const Backends& backends) { backends_ = backends; }
  const Backends& backends() const { return backends_; }
  store::Database& db() { return db_; }
  //! The tokens of the tasks waiting for a callback (.waitForTaskToken).
  TaskTokens& tokens() { return tokens_; }

  //! Queues an execution whose record is already stored (STANDARD) or an EXPRESS one; false when full or
  //! stopping.
  bool Submit(const std::shared_ptr<ExecutionJob>& job);
  //! Runs an execution to its end in the calling thread (StartSyncExecution, and workers).
  void RunNow(const std::shared_ptr<ExecutionJob>& job);

  //! Stops the running execution `key` (scope key + "/" + id) with StopExecution's error and cause and waits
  //! (a few seconds at most) for its outcome to be recorded. False when the runner does not hold it.
  bool Stop(const std::string& key, const std::string& error, const std::string& cause);
  //! Writes the buffered history of `key`, if the runner holds it.
  void Flush(const std::string& key);
  //! Server start: resumes or fails every execution the store says is RUNNING.
  void ResumeAll();
  //! Stops every execution without recording outcomes and joins the workers. Idempotent.
  void Shutdown();

  static std::string KeyOf(const store::Scope& scope, const std::string& id) { return scope.Key() + "/" + id; }

 private:
  void Work();
  void FlushLoop();
  // asl::BlockingObserver, called on a worker's own thread.
  void Blocked() override;
  void Unblocked() override;
  //! Starts a worker when a queued execution would otherwise wait for a worker that is only waiting. mu_ held.
  void GrowLocked();
  void Execute(const std::shared_ptr<ExecutionJob>& job);
  //! Records the outcome: final record, last events, checkpoint and running index removed, in one commit.
  void Finish(const std::shared_ptr<ExecutionJob>& job, const asl::Outcome& outcome);
  //! Ends an execution that could not run: ExecutionStarted (when it is new) and its terminal event.
  void EndWithoutRun(const std::shared_ptr<ExecutionJob>& job, asl::Outcome::Status status, const std::string& error,
                     const std::string& cause);

  store::Database& db_;
  identity::IdentityStore& identities_;
  authz::Authorizer& authz_;
  Options options_;
  Backends backends_;
  asl::SystemClock clock_;
  TaskTokens tokens_{&db_};
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<ExecutionJob>> queue_;
  size_t idle_ = 0;                                            //!< workers waiting for a job
  size_t blocked_ = 0;                                         //!< workers whose execution waits
  std::map<std::string, std::shared_ptr<ExecutionJob>> live_;  //!< by KeyOf (STANDARD) or ARN (EXPRESS)
  std::vector<std::thread> workers_;
  std::thread flusher_;
  std::condition_variable flush_cv_;
};

asl::Outcome::Status StatusOf(std::string_view status);
std::string StatusName(asl::Outcome::Status status);

//! A job for the stored STANDARD execution `record`: its definition validated, its ExecutionInfo filled, to run
//! from the start. InvalidDefinition when the stored definition no longer validates.
Result<std::shared_ptr<ExecutionJob>> JobFromRecord(const store::Scope& scope, const json::object& record);

//! The id of an execution in the global running index: ACCOUNT/REGION/MACHINE/NAME.
std::string RunningId(const store::Scope& scope, const std::string& id);

}  // namespace xacct::services::states
