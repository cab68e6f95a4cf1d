// Task states and the Retry/Catch machinery shared with Parallel and Map (ASL specification "Task State",
// "Errors" → "Retrying after error", "Fallback states"; Developer Guide "Handling errors in Step Functions
// workflows" for MaxDelaySeconds and JitterStrategy, "Execution history events" for Task*/LambdaFunction*
// events). The first Retrier whose ErrorEquals matches decides: when its attempts are spent, the Catchers
// are consulted, not the later Retriers.
#include <algorithm>
#include <climits>
#include <cmath>
#include <random>
#include <thread>

#include "asl/interpreter_internal.h"
#include "asl/payload.h"

namespace xacct::asl::detail {

namespace {

const json::value kNoContext;

json::object Truncated() {
  json::object o;
  o["truncated"] = false;
  return o;
}

Attempt FailedAttempt(Failure failure) {
  Attempt a;
  a.flow = Flow::kFailed;
  a.failure = std::move(failure);
  return a;
}

// The clock a task's integration sees: its waits end at the task's TimeoutSeconds or the execution's
// deadline, which then fire the matching cancellation (on a virtual clock nothing else would).
class TaskClock final : public Clock {
 public:
  TaskClock(Clock& base, int64_t task_deadline, int64_t execution_deadline, std::shared_ptr<Cancellation> task,
            std::shared_ptr<Cancellation> root)
      : base_(base),
        task_deadline_(task_deadline),
        execution_deadline_(execution_deadline),
        task_(std::move(task)),
        root_(std::move(root)) {}
  int64_t NowMillis() override { return base_.NowMillis(); }
  bool WaitUntil(int64_t deadline_ms, Cancellation& stop) override {
    const int64_t limit = std::min(task_deadline_, execution_deadline_);
    const int64_t effective = std::min(deadline_ms, limit);
    if (!base_.WaitUntil(effective, stop)) return false;
    if (effective < deadline_ms) {
      if (task_deadline_ <= execution_deadline_) {
        task_->Cancel(kReasonTaskTimeout);
      } else {
        root_->Cancel(kReasonTimeout);
      }
      return false;
    }
    return true;
  }
  bool IsVirtual() const override { return base_.IsVirtual(); }

 private:
  Clock& base_;
  int64_t task_deadline_, execution_deadline_;
  std::shared_ptr<Cancellation> task_, root_;
};

std::string NewTaskToken() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string token = "AQB";
  for (int i = 0; i < 160; ++i) token += kAlphabet[rng() % 64];
  return token;
}

double Uniform(double high) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, high)(rng);
}

// A positive integer from TimeoutSecondsPath / HeartbeatSecondsPath.
std::optional<int64_t> Seconds(const json::value& v) {
  if (v.is_int64() && v.get_int64() > 0) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() > 0 && v.get_uint64() < 100000000) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double() && v.get_double() >= 1 && v.get_double() < 1e8 &&
      v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double()))) {
    return static_cast<int64_t>(v.get_double());
  }
  return std::nullopt;
}

}  // namespace

StepResult Runner::WithRetry(const State& s, json::value& input, Frame& f,
                             const std::function<Attempt(int64_t retry_count)>& attempt) {
  std::vector<int64_t> counts(s.retry.size(), 0);
  int64_t retry_count = 0;
  while (true) {
    Attempt a = attempt(retry_count);
    if (a.flow == Flow::kAborted) {
      StepResult r;
      r.flow = Flow::kAborted;
      return r;
    }
    if (a.flow == Flow::kNext) {
      const json::value& ctx = s.uses_context ? Context(s, f, retry_count) : kNoContext;
      json::value result = std::move(a.result);
      Inspect(f, "result", result);
      bool ok = true;
      if (s.result_selector.present) {
        auto selected = ApplyTemplate(s.result_selector.compiled, result, ctx);
        if (selected) {
          result = std::move(*selected);
        } else {
          a.failure = FromError(s, f, selected.error());
          ok = false;
        }
      }
      if (ok) {
        Inspect(f, "afterResultSelector", result);
        // ResultPath and OutputPath may consume the input: keep it for a Catcher should they fail.
        json::value kept = s.catches.empty() ? json::value() : input;
        auto out = FinishOutput(s, input, std::move(result), ctx);
        if (out) {
          Inspect(f, "afterResultPath", *out);
          StepResult r;
          r.next = s.next_index;
          r.output = std::move(*out);
          return r;
        }
        if (!s.catches.empty()) input = std::move(kept);
        a.failure = FromError(s, f, out.error());
      }
    }
    const Failure& failure = a.failure;
    // Retry: the first Retrier that matches decides.
    bool retry = false;
    for (size_t i = 0; i < s.retry.size() && !retry; ++i) {
      const Retrier& retrier = s.retry[i];
      if (!ErrorMatches(retrier.errors, failure.error)) continue;
      if (counts[i] >= retrier.max_attempts) break;
      if (stop_at_retry && f.inspection != nullptr) {
        retriable = true;
        StepResult r;
        r.flow = Flow::kFailed;
        r.failure = failure;
        return r;
      }
      double delay_ms = static_cast<double>(retrier.interval_seconds) * 1000.0 *
                        std::pow(retrier.backoff_rate, static_cast<double>(counts[i]));
      if (retrier.max_delay_seconds) {
        delay_ms = std::min(delay_ms, static_cast<double>(*retrier.max_delay_seconds) * 1000);
      }
      delay_ms = std::min(delay_ms, 1e15);
      if (retrier.full_jitter) delay_ms = Uniform(delay_ms);
      ++counts[i];
      ++retry_count;
      if (!Sleep(clock_.NowMillis() + static_cast<int64_t>(delay_ms), f)) {
        StepResult r;
        r.flow = Flow::kAborted;
        return r;
      }
      retry = true;
    }
    if (retry) continue;
    // Catch: the first Catcher that matches.
    for (size_t i = 0; i < s.catches.size(); ++i) {
      const Catcher& catcher = s.catches[i];
      if (!ErrorMatches(catcher.errors, failure.error)) continue;
      json::object error_output;
      error_output["Error"] = failure.error;
      error_output["Cause"] = failure.cause;
      StepResult r;
      r.next = catcher.next_index;
      switch (catcher.result_path.kind) {
        case PathField::Kind::kAbsent:
          r.output = std::move(error_output);
          break;
        case PathField::Kind::kNull:
          r.output = std::move(input);
          break;
        case PathField::Kind::kPath: {
          json::value target = input;
          if (auto placed = catcher.result_path.path->Place(target, std::move(error_output)); !placed) {
            StepResult bad;
            bad.flow = Flow::kFailed;
            bad.failure = FromError(s, f, placed.error());
            return bad;
          }
          r.output = std::move(target);
          break;
        }
      }
      if (f.inspection != nullptr) {  // TestState reports the catch; concurrent iterations never inspect
        caught_next = static_cast<int>(i);
        caught_failure = failure;
      }
      return r;
    }
    StepResult r;
    r.flow = Flow::kFailed;
    r.failure = failure;
    return r;
  }
}

StepResult Runner::RunTask(const State& s, json::value& input, Frame& f) {
  return WithRetry(s, input, f, [&](int64_t retry_count) -> Attempt {
    json::value& ctx = const_cast<json::value&>(Context(s, f, retry_count));
    // Resuming: the first attempt of the resumed state continues what the previous run submitted.
    json::value resumed;
    std::string resumed_token;
    if (f.top_level && !resume_submission_.is_null()) {
      resumed = std::move(resume_submission_);
      resume_submission_ = nullptr;
      resumed_token = std::move(resume_task_token_);
      resume_task_token_.clear();
    }
    std::string token;
    if (s.pattern == IntegrationPattern::kWaitForTaskToken) {
      token = resumed_token.empty() ? NewTaskToken() : resumed_token;
      json::object task;
      task["Token"] = token;
      ctx.as_object()["Task"] = std::move(task);
    }
    json::value holder;
    auto effective = SelectInput(s.input_path, input, ctx, holder);
    if (!effective) return FailedAttempt(FromError(s, f, effective.error()));
    Inspect(f, "afterInputPath", **effective);
    json::value parameters;
    if (s.parameters.present) {
      auto applied = ApplyTemplate(s.parameters.compiled, **effective, ctx);
      if (!applied) return FailedAttempt(FromError(s, f, applied.error()));
      parameters = std::move(*applied);
    } else {
      parameters = **effective;
    }
    Inspect(f, "afterParameters", parameters);
    std::optional<int64_t> timeout = s.timeout_seconds;
    std::optional<int64_t> heartbeat = s.heartbeat_seconds;
    for (auto [path, target, field] : {std::tuple{&s.timeout_seconds_path, &timeout, "TimeoutSecondsPath"},
                                       std::tuple{&s.heartbeat_seconds_path, &heartbeat, "HeartbeatSecondsPath"}}) {
      if (!*path) continue;
      auto v = SelectFrom(**path, **effective, ctx);
      if (!v) return FailedAttempt(FromError(s, f, v.error()));
      *target = Seconds(*v);
      if (!*target) {
        return FailedAttempt(Runtime(
            s, f, std::string("The value of the field '") + field + "' must be a positive integer: " + ToText(*v)));
      }
    }
    std::string parameters_text = ToText(parameters);
    if (parameters_text.size() > kMaxPayloadBytes) {
      return FailedAttempt(Failure{
          "States.DataLimitExceeded",
          "The state/task '" + s.name + "' had input that exceeded the maximum number of bytes service limit."});
    }
    const bool lambda = s.lambda_function;
    auto identity = [&](json::object& d) {
      if (lambda) return;
      d["resourceType"] = s.resource_type;
      d["resource"] = s.resource_name;
    };
    {
      json::object d;
      if (lambda) {
        d["resource"] = s.resource;
        d["input"] = std::move(parameters_text);
        d["inputDetails"] = Truncated();
        if (timeout) d["timeoutInSeconds"] = *timeout;
        Emit(f, "LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", std::move(d));
      } else {
        identity(d);
        d["region"] = execution_.region;
        d["parameters"] = std::move(parameters_text);
        if (timeout) d["timeoutInSeconds"] = *timeout;
        if (heartbeat) d["heartbeatInSeconds"] = *heartbeat;
        Emit(f, "TaskScheduled", "taskScheduledEventDetails", std::move(d));
      }
    }
    {
      json::object d;
      identity(d);
      if (lambda) {
        Emit(f, "LambdaFunctionStarted", "", {});
      } else {
        Emit(f, "TaskStarted", "taskStartedEventDetails", std::move(d));
      }
    }
    Scope scope(f.cancel);
    const int64_t task_deadline = timeout ? clock_.NowMillis() + *timeout * 1000 : INT64_MAX;
    TaskClock task_clock(clock_, task_deadline, deadline_ms_, scope.cancel(), root_);
    Cancellation finished;
    std::thread watchdog;
    if (timeout && !clock_.IsVirtual()) {
      auto task_cancel = scope.cancel();
      watchdog = std::thread([this, &finished, task_cancel, task_deadline] {
        if (clock_.WaitUntil(task_deadline, finished)) task_cancel->Cancel(kReasonTaskTimeout);
      });
    }
    TaskCall call;
    call.resource = s.resource;
    call.parameters = std::move(parameters);
    call.state_name = s.name;
    call.region = execution_.region;
    call.task_token = token;
    call.heartbeat_seconds = heartbeat;
    if (!resumed.is_null()) call.resumed_submission = &resumed;
    call.context = &ctx;
    call.stop = scope.cancel().get();
    call.clock = &task_clock;
    call.submitted = [&](const json::value& output) {
      json::object d;
      identity(d);
      d["output"] = ToText(output);
      d["outputDetails"] = Truncated();
      Emit(f, "TaskSubmitted", "taskSubmittedEventDetails", std::move(d));
    };
    Result<json::value> result = [&] {
      BlockingRegion blocked;
      return integrations_.Invoke(call);
    }();
    finished.Cancel("finished");
    if (watchdog.joinable()) watchdog.join();
    if (s.pattern == IntegrationPattern::kWaitForTaskToken) ctx.as_object().erase("Task");
    if (deadline_ms_ != INT64_MAX && clock_.NowMillis() >= deadline_ms_) root_->Cancel(kReasonTimeout);
    if (f.cancel->cancelled()) {
      Attempt a;
      a.flow = Flow::kAborted;
      return a;
    }
    const bool timed_out = (scope.cancel()->cancelled() && scope.cancel()->reason() == kReasonTaskTimeout) ||
                           (timeout && clock_.NowMillis() >= task_deadline);
    if (timed_out) {
      json::object d;
      identity(d);
      d["error"] = "States.Timeout";
      Emit(f, lambda ? "LambdaFunctionTimedOut" : "TaskTimedOut",
           lambda ? "lambdaFunctionTimedOutEventDetails" : "taskTimedOutEventDetails", std::move(d));
      return FailedAttempt(Failure{"States.Timeout", ""});
    }
    if (!result && result.error().code == "States.HeartbeatTimeout") {
      json::object d;
      identity(d);
      d["error"] = "States.HeartbeatTimeout";
      Emit(f, "TaskTimedOut", "taskTimedOutEventDetails", std::move(d));
      return FailedAttempt(Failure{"States.HeartbeatTimeout", ""});
    }
    if (!result) {
      Failure failure{result.error().code.empty() ? "States.TaskFailed" : result.error().code, result.error().message};
      json::object d;
      identity(d);
      d["error"] = failure.error;
      if (!failure.cause.empty()) d["cause"] = failure.cause;
      Emit(f, lambda ? "LambdaFunctionFailed" : "TaskFailed",
           lambda ? "lambdaFunctionFailedEventDetails" : "taskFailedEventDetails", std::move(d));
      return FailedAttempt(std::move(failure));
    }
    std::string output_text = ToText(*result);
    if (output_text.size() > kMaxPayloadBytes) {
      return FailedAttempt(Failure{"States.DataLimitExceeded",
                                   "The state/task '" + s.name +
                                       "' returned a result with a size exceeding the maximum number of bytes "
                                       "service limit."});
    }
    {
      json::object d;
      identity(d);
      d["output"] = std::move(output_text);
      d["outputDetails"] = Truncated();
      Emit(f, lambda ? "LambdaFunctionSucceeded" : "TaskSucceeded",
           lambda ? "lambdaFunctionSucceededEventDetails" : "taskSucceededEventDetails", std::move(d));
    }
    Attempt a;
    a.result = std::move(*result);
    return a;
  });
}

}  // namespace xacct::asl::detail
