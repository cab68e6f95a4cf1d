// Runs an execution (ASL specification "State Machine Execution"; Developer Guide "Execution history
// events" for the event types and their details, "Accessing execution data from the Context object" for
// `$$`, "Step Functions service quotas" for the 256 KiB payload limit).
#include <algorithm>
#include <climits>
#include <thread>

#include "asl/interpreter_internal.h"

namespace xacct::asl {

namespace detail {

Scope::Scope(const std::shared_ptr<Cancellation>& parent) : parent_(parent), cancel_(std::make_shared<Cancellation>()) {
  std::weak_ptr<Cancellation> child = cancel_;
  std::weak_ptr<Cancellation> weak_parent = parent_;
  subscription_ = parent_->Subscribe([child, weak_parent] {
    auto c = child.lock();
    auto p = weak_parent.lock();
    if (c) c->Cancel(p ? p->reason() : std::string(kReasonStop));
  });
}

Scope::~Scope() { parent_->Unsubscribe(subscription_); }

namespace {

struct TypeEvents {
  const char* entered;
  const char* exited;
};

TypeEvents EventsOf(StateType type) {
  switch (type) {
    case StateType::kPass:
      return {"PassStateEntered", "PassStateExited"};
    case StateType::kTask:
      return {"TaskStateEntered", "TaskStateExited"};
    case StateType::kChoice:
      return {"ChoiceStateEntered", "ChoiceStateExited"};
    case StateType::kWait:
      return {"WaitStateEntered", "WaitStateExited"};
    case StateType::kSucceed:
      return {"SucceedStateEntered", "SucceedStateExited"};
    case StateType::kFail:
      return {"FailStateEntered", "FailStateExited"};
    case StateType::kParallel:
      return {"ParallelStateEntered", "ParallelStateExited"};
    case StateType::kMap:
      return {"MapStateEntered", "MapStateExited"};
  }
  return {"PassStateEntered", "PassStateExited"};
}

json::value Truncated() { return json::object{{"truncated", false}}; }

}  // namespace

Runner::Runner(const ExecutionInfo& execution, Integrations& integrations, Clock& clock, ExecutionSink& sink,
               std::shared_ptr<Cancellation> root, int64_t first_event_id, int64_t deadline_ms)
    : execution_(execution),
      integrations_(integrations),
      clock_(clock),
      sink_(sink),
      root_(std::move(root)),
      deadline_ms_(deadline_ms),
      next_event_id_(first_event_id) {
  json::object exec;
  exec["Id"] = execution.execution_arn;
  exec["Input"] = execution.input;
  exec["Name"] = execution.name;
  exec["RoleArn"] = execution.role_arn;
  exec["StartTime"] = FormatTime(execution.start_ms);
  exec["RedriveCount"] = execution.redrive_count;
  if (execution.redrive_ms) exec["RedriveTime"] = FormatTime(*execution.redrive_ms);
  json::object machine;
  machine["Id"] = execution.state_machine_arn;
  machine["Name"] = execution.state_machine_name;
  json::object context;
  context["Execution"] = std::move(exec);
  context["State"] = json::object();
  context["StateMachine"] = std::move(machine);
  context_base_ = std::move(context);
}

int64_t Runner::Emit(Frame& frame, const char* type, const char* details_key, json::object details) {
  HistoryEvent event;
  event.type = type;
  event.details_key = details_key;
  event.details = std::move(details);
  std::lock_guard lock(sink_mu_);
  event.id = next_event_id_++;
  event.previous_event_id = frame.last_event_id;
  event.timestamp_ms = clock_.NowMillis();
  const int64_t id = event.id;
  frame.last_event_id = id;
  frame.last_event_ms = event.timestamp_ms;
  sink_.Append(std::move(event));
  return id;
}

int64_t Runner::last_event_id() {
  std::lock_guard lock(sink_mu_);
  return next_event_id_ - 1;
}

bool Runner::Sleep(int64_t until_ms, Frame& frame) {
  const int64_t effective = std::min(until_ms, deadline_ms_);
  bool reached = false;
  {
    BlockingRegion blocked;
    reached = clock_.WaitUntil(effective, *frame.cancel);
  }
  if (!reached) return false;
  if (effective < until_ms) {
    root_->Cancel(kReasonTimeout);
    return false;
  }
  return !frame.cancel->cancelled();
}

const json::value& Runner::Context(const State& state, Frame& frame, int64_t retry_count) {
  if (!frame.context_ready) {
    frame.context = context_base_;
    frame.context_ready = true;
  }
  json::object& st = frame.context.as_object()["State"].emplace_object();
  st["EnteredTime"] = FormatTime(frame.entered_ms);
  st["Name"] = state.name;
  st["RetryCount"] = retry_count;
  return frame.context;
}

Failure Runner::Runtime(const State& state, const Frame& frame, const std::string& message) const {
  return Failure{"States.Runtime", "An error occurred while executing the state '" + state.name +
                                       "' (entered at the event id #" + std::to_string(frame.entered_event_id) + "). " +
                                       message};
}

Failure Runner::FromError(const State& state, const Frame& frame, const AwsError& error) const {
  Failure failure = Runtime(state, frame, error.message);
  if (!error.code.empty() && error.code != "InvalidPath") failure.error = error.code;
  return failure;
}

MachineResult Runner::RunMachine(const StateMachine& machine, int start, json::value input, Frame& frame,
                                 std::string input_text) {
  MachineResult out;
  int current = start;
  std::string text = std::move(input_text);  // the input's text when already written (the previous Exited output)
  while (true) {
    const State& state = machine.states[static_cast<size_t>(current)];
    if (deadline_ms_ != INT64_MAX && clock_.NowMillis() >= deadline_ms_) root_->Cancel(kReasonTimeout);
    if (frame.cancel->cancelled()) {
      out.flow = Flow::kAborted;
      out.failed_state = state.name;
      out.failed_input = std::move(input);
      return out;
    }
    if (frame.top_level) {
      std::lock_guard lock(sink_mu_);
      sink_.Checkpoint(state.name, input);
    }
    StepResult r = RunState(state, input, frame, text.empty() ? nullptr : &text);
    switch (r.flow) {
      case Flow::kNext:
        input = std::move(r.output);
        text = std::move(r.output_text);
        current = r.next;
        break;
      case Flow::kEnd:
        out.flow = Flow::kEnd;
        out.output = std::move(r.output);
        out.output_text = std::move(r.output_text);
        return out;
      case Flow::kFailed:
      case Flow::kAborted:
        out.flow = r.flow;
        out.failure = std::move(r.failure);
        out.failed_state = state.name;
        out.failed_input = std::move(input);
        return out;
    }
  }
}

StepResult Runner::RunState(const State& state, json::value& input, Frame& frame, std::string* input_text) {
  const TypeEvents events = EventsOf(state.type);
  {
    json::object details(3);
    details.emplace("name", state.name);
    details.emplace("input", input_text != nullptr ? std::move(*input_text) : ToText(input));
    details.emplace("inputDetails", Truncated());
    frame.entered_event_id = Emit(frame, events.entered, "stateEnteredEventDetails", std::move(details));
    frame.entered_ms = frame.last_event_ms;
  }
  StepResult r;
  switch (state.type) {
    case StateType::kPass:
      r = RunPass(state, input, frame);
      break;
    case StateType::kTask:
      r = RunTask(state, input, frame);
      break;
    case StateType::kChoice:
      r = RunChoice(state, input, frame);
      break;
    case StateType::kWait:
      r = RunWait(state, input, frame);
      break;
    case StateType::kSucceed:
      r = RunSucceed(state, input, frame);
      break;
    case StateType::kFail:
      r = RunFail(state, input, frame);
      break;
    case StateType::kParallel:
      r = RunParallel(state, input, frame);
      break;
    case StateType::kMap:
      r = RunMap(state, input, frame);
      break;
  }
  if (r.flow != Flow::kNext && r.flow != Flow::kEnd) return r;
  if (r.flow == Flow::kNext && r.next < 0) r.flow = Flow::kEnd;
  std::string text = ToText(r.output);
  if (text.size() > kMaxPayloadBytes) {
    r.flow = Flow::kFailed;
    r.failure = Failure{"States.DataLimitExceeded",
                        "The state/task '" + state.name +
                            "' returned a result with a size exceeding the maximum number of bytes service limit."};
    return r;
  }
  json::object details(3);
  details.emplace("name", state.name);
  details.emplace("output", text);
  details.emplace("outputDetails", Truncated());
  Emit(frame, events.exited, "stateExitedEventDetails", std::move(details));
  r.output_text = std::move(text);
  return r;
}

}  // namespace detail

std::string AbortReason(std::string_view error, std::string_view cause) {
  json::object o;
  o["error"] = error;
  o["cause"] = cause;
  return json::serialize(o);
}

namespace {

void ParseAbortReason(const std::string& reason, std::string& error, std::string& cause) {
  boost::system::error_code ec;
  json::value v = json::parse(reason, ec);
  if (!ec && v.is_object() && v.as_object().contains("error") && v.as_object().contains("cause")) {
    error = std::string(JsonString(v.as_object().at("error")));
    cause = std::string(JsonString(v.as_object().at("cause")));
    return;
  }
  error.clear();
  cause = reason;
}

}  // namespace

Outcome Run(const Definition& definition, const ExecutionInfo& execution, const RunOptions& options,
            Integrations& integrations, Clock& clock, ExecutionSink& sink, Cancellation& stop) {
  using detail::Flow;
  auto root = std::make_shared<Cancellation>();
  const uint64_t subscription = stop.Subscribe([root] { root->Cancel(detail::kReasonStop); });
  int64_t deadline = INT64_MAX;
  if (definition.timeout_seconds) {
    deadline = execution.redrive_ms.value_or(execution.start_ms) + *definition.timeout_seconds * 1000;
  }
  if (options.max_duration_ms) deadline = std::min(deadline, execution.start_ms + *options.max_duration_ms);
  // On a real clock a watchdog fires the timeout while a task blocks; a virtual clock is checked at each
  // wait and transition instead (a waiting watchdog would move virtual time).
  Cancellation finished;
  std::thread watchdog;
  if (deadline != INT64_MAX && !clock.IsVirtual()) {
    watchdog = std::thread([&clock, &finished, root, deadline] {
      if (clock.WaitUntil(deadline, finished)) root->Cancel(detail::kReasonTimeout);
    });
  }
  detail::Runner runner(execution, integrations, clock, sink, root, options.first_event_id, deadline);
  if (!options.resume_submission.is_null()) {
    runner.set_resume_submission(options.resume_submission, options.resume_task_token);
  }
  detail::Frame frame;
  frame.cancel = root;
  frame.top_level = true;
  frame.last_event_id = options.first_event_id - 1;
  const json::value& input = options.input.is_null() ? execution.input : options.input;
  std::string input_text;  // the first state's input text when ExecutionStarted wrote it
  if (options.emit_started) {
    json::object details;
    input_text = detail::ToText(execution.input);
    details["input"] = input_text;
    json::object truncated;
    truncated["truncated"] = false;
    details["inputDetails"] = std::move(truncated);
    details["roleArn"] = execution.role_arn;
    runner.Emit(frame, "ExecutionStarted", "executionStartedEventDetails", std::move(details));
  }
  const StateMachine& machine = definition.machine;
  int start = machine.start_index;
  if (!options.start_at.empty()) start = machine.Find(options.start_at);
  detail::MachineResult result;
  if (start < 0) {
    result.flow = Flow::kFailed;
    result.failure = {"States.Runtime", "The state '" + options.start_at + "' does not exist"};
  } else {
    if (&input != &execution.input) input_text.clear();
    result = runner.RunMachine(machine, start, input, frame, std::move(input_text));
  }
  finished.Cancel("finished");
  if (watchdog.joinable()) watchdog.join();
  stop.Unsubscribe(subscription);

  Outcome out;
  json::object details;
  switch (result.flow) {
    case Flow::kNext:
    case Flow::kEnd: {
      out.status = Outcome::Status::kSucceeded;
      details["output"] = result.output_text.empty() ? detail::ToText(result.output) : std::move(result.output_text);
      json::object truncated;
      truncated["truncated"] = false;
      details["outputDetails"] = std::move(truncated);
      out.output = std::move(result.output);
      runner.Emit(frame, "ExecutionSucceeded", "executionSucceededEventDetails", std::move(details));
      break;
    }
    case Flow::kFailed:
      out.status = Outcome::Status::kFailed;
      out.error = result.failure.error;
      out.cause = result.failure.cause;
      if (!out.error.empty()) details["error"] = out.error;
      if (!out.cause.empty()) details["cause"] = out.cause;
      runner.Emit(frame, "ExecutionFailed", "executionFailedEventDetails", std::move(details));
      break;
    case Flow::kAborted:
      if (root->reason() == detail::kReasonTimeout) {
        out.status = Outcome::Status::kTimedOut;
        out.error = "States.Timeout";
        details["error"] = out.error;
        runner.Emit(frame, "ExecutionTimedOut", "executionTimedOutEventDetails", std::move(details));
      } else {
        out.status = Outcome::Status::kAborted;
        ParseAbortReason(stop.reason(), out.error, out.cause);
        if (!out.error.empty()) details["error"] = out.error;
        if (!out.cause.empty()) details["cause"] = out.cause;
        runner.Emit(frame, "ExecutionAborted", "executionAbortedEventDetails", std::move(details));
      }
      break;
  }
  if (out.status != Outcome::Status::kSucceeded) {
    out.failed_state = std::move(result.failed_state);
    out.failed_input = std::move(result.failed_input);
  }
  out.last_event_id = runner.last_event_id();
  return out;
}

}  // namespace xacct::asl
