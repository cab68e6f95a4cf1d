// Internal to the interpreter (interpreter*.cpp, test_state.cpp): one execution's runner, its threads of
// control (frames) and the cancellation scopes that stop them.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "asl/definition.h"
#include "asl/interpreter.h"

namespace xacct::asl::detail {

// Reasons a scope's Cancellation fires with (never shown to users).
inline constexpr const char* kReasonStop = "xacct:stop";
inline constexpr const char* kReasonTimeout = "xacct:execution-timeout";
inline constexpr const char* kReasonSibling = "xacct:sibling-failed";
inline constexpr const char* kReasonTaskTimeout = "xacct:task-timeout";

//! The payload size limit (Developer Guide "Step Functions service quotas": 256 KiB of UTF-8).
inline constexpr size_t kMaxPayloadBytes = 262144;

struct Failure {
  std::string error, cause;
};

//! A Cancellation that also fires when its parent does (with the parent's reason); unlinks on destruction.
class Scope {
 public:
  explicit Scope(const std::shared_ptr<Cancellation>& parent);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  const std::shared_ptr<Cancellation>& cancel() const { return cancel_; }

 private:
  std::shared_ptr<Cancellation> parent_;
  std::shared_ptr<Cancellation> cancel_;
  uint64_t subscription_ = 0;
};

//! Marks the calling thread as blocked (a wait on the clock, a Task's call, waiting for a nested Map or
//! Parallel) for the Maps and Parallels it works for, so that they start another worker (interpreter_map.cpp).
class BlockingRegion {
 public:
  BlockingRegion();
  ~BlockingRegion();
  BlockingRegion(const BlockingRegion&) = delete;
  BlockingRegion& operator=(const BlockingRegion&) = delete;
};

enum class Flow : uint8_t { kNext, kEnd, kFailed, kAborted };

struct StepResult {
  Flow flow = Flow::kNext;
  int next = -1;
  json::value output;
  Failure failure;
  std::string output_text;  //!< ToText(output), set by RunState when it emits the state's Exited event
};

//! One attempt of a Task, Parallel or Map state's work, before ResultSelector.
struct Attempt {
  Flow flow = Flow::kNext;  //!< kNext: `result` holds the result; kFailed; kAborted
  json::value result;
  Failure failure;
};

//! A thread of control: the top level, one Parallel branch, one Map iteration.
struct Frame {
  std::shared_ptr<Cancellation> cancel;
  int64_t last_event_id = 0;
  int64_t entered_event_id = 0;  //!< the current state's <Type>StateEntered
  int64_t entered_ms = 0;        //!< and its time ($$.State.EnteredTime)
  int64_t last_event_ms = 0;
  bool top_level = false;
  json::value context;  //!< the context object, built when a state first needs it
  bool context_ready = false;
  json::object* inspection = nullptr;  //!< TestState: records input, afterInputPath, ...
};

//! The outcome of running a scope of states.
struct MachineResult {
  Flow flow = Flow::kEnd;  //!< kEnd: succeeded; kFailed; kAborted
  json::value output;
  Failure failure;
  std::string failed_state;
  json::value failed_input;
  std::string output_text;  //!< kEnd: ToText(output) (the last state's Exited output)
};

class Runner {
 public:
  Runner(const ExecutionInfo& execution, Integrations& integrations, Clock& clock, ExecutionSink& sink,
         std::shared_ptr<Cancellation> root, int64_t first_event_id, int64_t deadline_ms);

  //! Appends one history event (serialized: never two at once); returns its id.
  int64_t Emit(Frame& frame, const char* type, const char* details_key, json::object details);
  int64_t last_event_id();

  //! `input_text`, when not empty, is ToText(input) (already written into an event).
  MachineResult RunMachine(const StateMachine& machine, int start, json::value input, Frame& frame,
                           std::string input_text = {});
  //! Runs one state; on kFailed/kAborted `input` is left intact. `input_text`, when given, is ToText(input)
  //! (the previous state's output text), taken for the Entered event.
  StepResult RunState(const State& state, json::value& input, Frame& frame, std::string* input_text = nullptr);

  //! Waits on the clock until `until_ms` (capped by the execution's deadline); false when the frame's scope
  //! fired first (or the execution timed out).
  bool Sleep(int64_t until_ms, Frame& frame);
  //! The context object for `state`, with State.{EnteredTime,Name,RetryCount} filled in.
  const json::value& Context(const State& state, Frame& frame, int64_t retry_count);
  //! States.Runtime with AWS's prefix naming the state and its StateEntered event.
  Failure Runtime(const State& state, const Frame& frame, const std::string& message) const;
  //! A path, template or intrinsic error as the state's failure: Runtime's words, the error's own name when
  //! it has one (States.IntrinsicFailure, States.ReferencePathConflict, ...).
  Failure FromError(const State& state, const Frame& frame, const AwsError& error) const;

  Clock& clock() { return clock_; }
  const ExecutionInfo& execution() const { return execution_; }
  int64_t deadline_ms() const { return deadline_ms_; }
  const std::shared_ptr<Cancellation>& root() const { return root_; }
  //! The submission the first top-level state (a resumed Task) continues; see RunOptions.
  void set_resume_submission(json::value submission, std::string task_token) {
    resume_submission_ = std::move(submission);
    resume_task_token_ = std::move(task_token);
  }

  // Per state type (interpreter_states.cpp, interpreter_task.cpp, interpreter_map.cpp).
  StepResult RunPass(const State& s, json::value& input, Frame& f);
  StepResult RunChoice(const State& s, json::value& input, Frame& f);
  StepResult RunWait(const State& s, json::value& input, Frame& f);
  StepResult RunSucceed(const State& s, json::value& input, Frame& f);
  StepResult RunFail(const State& s, json::value& input, Frame& f);
  StepResult RunTask(const State& s, json::value& input, Frame& f);
  StepResult RunParallel(const State& s, json::value& input, Frame& f);
  StepResult RunMap(const State& s, json::value& input, Frame& f);

  //! Retry and Catch around `attempt` (called with the retry count), then ResultSelector, ResultPath and
  //! OutputPath over the result.
  StepResult WithRetry(const State& s, json::value& input, Frame& f,
                       const std::function<Attempt(int64_t retry_count)>& attempt);

 private:
  const ExecutionInfo& execution_;
  Integrations& integrations_;
  Clock& clock_;
  ExecutionSink& sink_;
  std::shared_ptr<Cancellation> root_;
  int64_t deadline_ms_;
  json::value resume_submission_;  //!< taken by the first top-level Task that runs (resume)
  std::string resume_task_token_;  //!< with it, for a callback task
  std::mutex sink_mu_;
  int64_t next_event_id_;
  json::value context_base_;

 public:
  Integrations& integrations() { return integrations_; }
  ExecutionSink& sink() { return sink_; }
  std::mutex& sink_mutex() { return sink_mu_; }
  //! TestState: a RETRIABLE outcome stops at the first retry instead of waiting.
  bool stop_at_retry = false;
  bool retriable = false;
  //! TestState: the Catcher that matched and the error it caught.
  int caught_next = -1;
  Failure caught_failure;
};

// Input and output processing (interpreter_io.cpp).

//! Compact JSON as Step Functions writes it into events and causes.
std::string ToText(const json::value& v);

//! InputPath over `input` (absent: `input` itself, no copy: `holder` stays empty).
Result<const json::value*> SelectInput(const PathField& path, const json::value& input, const json::value& context,
                                       json::value& holder);
//! Any path field over `root`: absent gives `root`.
Result<json::value> SelectPath(const PathField& path, const json::value& root);
//! ResultPath then OutputPath: consumes `input` and `result`.
Result<json::value> FinishOutput(const State& s, json::value& input, json::value result, const json::value& context);
//! `$...` or `$$...` over the input or the context.
Result<json::value> SelectFrom(const JsonPath& path, const json::value& input, const json::value& context);

//! TestState's inspection data: records `v` under `key` when the frame is being inspected.
inline void Inspect(Frame& f, const char* key, const json::value& v) {
  if (f.inspection != nullptr) (*f.inspection)[key] = ToText(v);
}

//! Whether an error name is matched by a Retrier's or a Catcher's ErrorEquals.
bool ErrorMatches(const std::vector<std::string>& patterns, const std::string& error);
//! "2024-01-02T03:04:05.678Z".
std::string FormatTime(int64_t ms);
//! Evaluates a Choice rule; a missing Variable is a States.Runtime error (its message).
Result<bool> EvaluateRule(const ChoiceRule& rule, const json::value& input, const json::value& context);
//! StringMatches: `*` matches any run of characters, `\*` a star, `\\` a backslash.
bool StringMatches(std::string_view text, std::string_view pattern);

}  // namespace xacct::asl::detail
