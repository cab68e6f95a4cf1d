// Runs a state machine definition (the Amazon States Language specification; Step Functions Developer
// Guide for what the language leaves open: history events, error names, limits). The interpreter knows no
// AWS service: a Task calls Integrations, which services/states implements. It reports every step as the
// history events GetExecutionHistory returns, and checkpoints each top-level transition so that an
// execution can resume after a restart.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/clock.h"
#include "common/json.h"
#include "common/result.h"

namespace xacct::asl {

struct Definition;  // definition.h: the parsed, validated state machine

//! One problem ValidateStateMachineDefinition reports; CreateStateMachine refuses with InvalidDefinition
//! when any has severity ERROR.
struct Diagnostic {
  std::string severity;  //!< "ERROR" or "WARNING"
  std::string code;      //!< "SCHEMA_VALIDATION_FAILED", "MISSING_TRANSITION_TARGET", "UNREACHABLE_STATE", ...
  std::string message;   //!< AWS's words, e.g. "Missing 'Next' target: Foo"
  std::string location;  //!< "/States/Bar/Next"
};

struct ValidateOptions {
  bool express = false;  //!< EXPRESS: no .sync / .waitForTaskToken integrations
};

struct Validation {
  std::shared_ptr<const Definition> definition;  //!< null when any ERROR diagnostic
  std::vector<Diagnostic> diagnostics;
};

//! Parses and validates a definition's JSON text.
Validation Validate(std::string_view text, const ValidateOptions& options = {});

//! The InvalidDefinition message CreateStateMachine/UpdateStateMachine answer for these diagnostics, in
//! AWS's form: "Invalid State Machine Definition: 'CODE: message at location'" (several joined by ", ").
std::string InvalidDefinitionMessage(const std::vector<Diagnostic>& diagnostics);

//! One GetExecutionHistory event; `details` goes on the wire under `details_key`.
struct HistoryEvent {
  int64_t id = 0;
  int64_t previous_event_id = 0;
  int64_t timestamp_ms = 0;
  std::string_view type;         //!< "TaskStateEntered" (a string literal: events are many, their names few)
  std::string_view details_key;  //!< "stateEnteredEventDetails" (a literal); empty for events without details
  json::object details;
};

//! Where the interpreter reports progress. Called from the execution's threads (serialized by the
//! interpreter: never concurrently).
class ExecutionSink {
 public:
  virtual ~ExecutionSink() = default;
  //! Takes the event (the interpreter drops it right after): a sink that keeps events moves it.
  virtual void Append(HistoryEvent&& event) = 0;
  //! The execution is about to enter top-level state `next_state` with `input` (a resume point).
  virtual void Checkpoint(const std::string& next_state, const json::value& input) {
    (void)next_state;
    (void)input;
  }
};

//! One Task state's call, after InputPath and Parameters.
struct TaskCall {
  std::string resource;    //!< the Task's Resource, as written ("arn:aws:states:::athena:startQueryExecution.sync")
  json::value parameters;  //!< the effective parameters
  std::string state_name;
  std::string region;                        //!< the execution's region
  std::string task_token;                    //!< `$$.Task.Token` for .waitForTaskToken resources
  std::optional<int64_t> heartbeat_seconds;  //!< HeartbeatSeconds(Path): a callback task fails with
                                             //!< States.HeartbeatTimeout when no heartbeat comes in time
  //! The output of the TaskSubmitted event an earlier run of this very task recorded before the server
  //! stopped (resume): a .sync integration continues that job instead of starting another.
  const json::value* resumed_submission = nullptr;
  const json::value* context = nullptr;  //!< the context object
  Cancellation* stop = nullptr;          //!< fires on StopExecution, the state's TimeoutSeconds or the execution's
  Clock* clock = nullptr;                //!< for polling (.sync)
  //! Reports TaskSubmitted with the output of the call that started a .sync job (before the wait).
  std::function<void(const json::value& output)> submitted;
};

//! What Task states call. Failures are an AwsError whose `code` is the ASL error name
//! ("Athena.InvalidRequestException", "States.TaskFailed", ...) and whose `message` is the Cause.
class Integrations {
 public:
  virtual ~Integrations() = default;
  virtual Result<json::value> Invoke(TaskCall& call) = 0;
};

//! Who and what an execution is: the context object's Execution and StateMachine fields.
struct ExecutionInfo {
  std::string execution_arn;
  std::string name;
  std::string role_arn;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string region;
  json::value input;  //!< the execution's input
  int64_t start_ms = 0;
  int64_t redrive_count = 0;
  std::optional<int64_t> redrive_ms;
};

struct RunOptions {
  std::string start_at;        //!< empty: the definition's StartAt (else resume/redrive at this top-level state)
  json::value input;           //!< that state's input (empty: the execution's input)
  int64_t first_event_id = 1;  //!< ids continue a persisted history when resuming
  bool emit_started = true;    //!< ExecutionStarted (false when resuming or redriving)
  //! Resuming at a Task whose job a previous run had submitted: that TaskSubmitted event's output.
  json::value resume_submission;
  //! And, for a .waitForTaskToken task, the token that run handed out: the resumed task waits for it again.
  std::string resume_task_token;
  //! The longest the execution may run, from its start, whatever its TimeoutSeconds (EXPRESS: 5 minutes).
  std::optional<int64_t> max_duration_ms;
};

struct Outcome {
  enum class Status : uint8_t { kSucceeded, kFailed, kAborted, kTimedOut };
  Status status = Status::kSucceeded;
  json::value output;        //!< kSucceeded
  std::string error, cause;  //!< kFailed / kTimedOut / kAborted
  std::string failed_state;  //!< the top-level state the execution failed in (RedriveExecution restarts there)
  json::value failed_input;  //!< that state's input
  int64_t last_event_id = 0;
};

//! The reason StopExecution fires `stop` with, so that Run reports its error and cause in ExecutionAborted
//! (any other reason text is taken as the cause, with no error).
std::string AbortReason(std::string_view error, std::string_view cause);

//! What a host that runs executions on a pool of threads learns of them: the calling thread starts or stops
//! waiting (a Wait state, a Task's call, a nested Map or Parallel), so that the host can start another thread
//! while this one waits (services/states/execution_runner.h).
class BlockingObserver {
 public:
  virtual ~BlockingObserver() = default;
  virtual void Blocked() = 0;
  virtual void Unblocked() = 0;
};
//! Sets the observer of the calling thread (null: none); the interpreter calls it on that thread only.
void ObserveBlocking(BlockingObserver* observer);

//! Runs an execution to its end (blocking), emitting ExecutionStarted ... ExecutionSucceeded/Failed/
//! Aborted/TimedOut. `stop` aborts it (StopExecution: ExecutionAborted with its error and cause).
Outcome Run(const Definition& definition, const ExecutionInfo& execution, const RunOptions& options,
            Integrations& integrations, Clock& clock, ExecutionSink& sink, Cancellation& stop);

//! TestState: one state run on its own (Developer Guide "Testing states"; API Reference TestState).
struct TestStateOutcome {
  std::string status;  //!< "SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"
  json::value output;
  std::string error, cause, next_state;
  json::object
      inspection_data;  //!< input, afterInputPath, afterParameters, result, afterResultSelector, afterResultPath
};
//! `state_definition` is one state's JSON text. Invalid definitions give InvalidDefinition (AwsError).
Result<TestStateOutcome> TestState(std::string_view state_definition, const json::value& input,
                                   Integrations& integrations, Clock& clock, const std::string& region);

}  // namespace xacct::asl
