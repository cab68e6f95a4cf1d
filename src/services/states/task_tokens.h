// The callback pattern, "Wait for a Callback with Task Token" (Developer Guide, "Discover service integration
// patterns"; API Reference, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat): a Task whose resource ends
// in .waitForTaskToken makes its call, then waits until someone sends the outcome for its token, or until no
// heartbeat came within HeartbeatSeconds (States.HeartbeatTimeout), or until the task is stopped or times out.
// A token answers once: later calls for it are TaskTimedOut ("Provided task does not exist anymore").
//
// A waiting token is also a document in the store (written before the task's call hands the token out, removed
// when the task stops waiting), so that it outlives a restart: the execution resumes waiting for the same token
// (execution_resume.cpp), and a SendTask* that arrives before the resumed task waits again is held briefly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "asl/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/database.h"

namespace xacct::services::states {

class TaskTokens {
 public:
  //! What a sender delivers: the output (success) or an error and cause (failure).
  struct Outcome {
    bool success = false;
    json::value output;
    std::string error, cause;
  };

  //! A task waiting for its token.
  class Waiter {
   public:
    //! Waits until an outcome arrives (returned), `stop` fires, or `heartbeat_seconds` pass without a
    //! heartbeat (States.HeartbeatTimeout). Times come from `clock`.
    Result<Outcome> Wait(asl::Clock& clock, asl::Cancellation& stop, std::optional<int64_t> heartbeat_seconds);
    const std::string& machine_arn() const { return machine_arn_; }

   private:
    friend class TaskTokens;
    std::string machine_arn_;
    std::mutex mu_;
    std::optional<Outcome> outcome_;
    int64_t beats_ = 0;  //!< heartbeats so far
    std::shared_ptr<asl::Cancellation> signal_ = std::make_shared<asl::Cancellation>();
  };

  explicit TaskTokens(store::Database* db) : db_(db) {}

  //! Registers `token` for a task of the execution `execution_arn` of the state machine `machine_arn` (the
  //! resource SendTask* is authorized on), durably.
  Result<std::shared_ptr<Waiter>> Register(const std::string& token, const std::string& machine_arn,
                                           const std::string& execution_arn);
  //! Drops the token once its task stops waiting; later sends for it are TaskTimedOut. While the server shuts
  //! down, the stored token stays for the resumed execution.
  void Finish(const std::string& token);
  //! The server is shutting down: tasks that stop waiting now keep their stored tokens.
  void SetStopping() { stopping_ = true; }
  //! The stored token of a task of `execution_arn` that was waiting when the server stopped ("" if none).
  std::string StoredTokenOf(const std::string& execution_arn);

  //! The waiter of `token`: InvalidToken for a token xacct never issued, TaskTimedOut for one whose task no
  //! longer waits.
  Result<std::shared_ptr<Waiter>> Find(const std::string& token);
  //! Delivers an outcome (SendTaskSuccess/Failure) or a heartbeat to a waiter Find returned.
  Status Deliver(Waiter& waiter, Outcome outcome);
  Status Heartbeat(Waiter& waiter);

 private:
  store::Database* db_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable registered_;
  std::map<std::string, std::shared_ptr<Waiter>, std::less<>> live_;
  std::map<std::string, bool, std::less<>> finished_;  //!< tokens whose task ended (for TaskTimedOut)
};

}  // namespace xacct::services::states
