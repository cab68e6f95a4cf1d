// The callback pattern, "Wait for a Callback with Task Token" (Developer Guide, "Discover service integration
// patterns"; API Reference, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat): a Task whose resource ends
// in .waitForTaskToken makes its call, then waits until someone sends the outcome for its token, or until no
// heartbeat came within HeartbeatSeconds (States.HeartbeatTimeout), or until the task is stopped or times out.
// A token answers once: later calls for it are TaskTimedOut ("Provided task does not exist anymore"). Tokens
// live in memory: a task waiting when the server stops is run again, with a new token, when its execution
// resumes.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "asl/clock.h"
#include "common/json.h"
#include "common/result.h"

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

  //! Registers `token` for a task of the state machine `machine_arn` (the resource SendTask* is authorized on).
  std::shared_ptr<Waiter> Register(const std::string& token, const std::string& machine_arn);
  //! Drops the token once its task stops waiting; later sends for it are TaskTimedOut.
  void Finish(const std::string& token);

  //! The waiter of `token`: InvalidToken for a token xacct never issued, TaskTimedOut for one whose task no
  //! longer waits.
  Result<std::shared_ptr<Waiter>> Find(const std::string& token);
  //! Delivers an outcome (SendTaskSuccess/Failure) or a heartbeat to a waiter Find returned.
  Status Deliver(Waiter& waiter, Outcome outcome);
  Status Heartbeat(Waiter& waiter);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Waiter>, std::less<>> live_;
  std::map<std::string, bool, std::less<>> finished_;  //!< tokens whose task ended (for TaskTimedOut)
};

}  // namespace xacct::services::states
