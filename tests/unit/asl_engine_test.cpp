// The interpreter's behaviour that a case file cannot express: real concurrency and cancellation (Map
// and Parallel abort their siblings, StopExecution and timeouts on the system clock), resuming at a state,
// the serialized sink, MaxConcurrency, and TestState (API Reference TestState).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "asl/definition.h"
#include "asl/interpreter.h"

namespace xacct::asl {
namespace {

std::shared_ptr<const Definition> Parse(const std::string& text) {
  Validation v = Validate(text);
  std::string why;
  for (const auto& d : v.diagnostics) why += d.code + ": " + d.message + " at " + d.location + "\n";
  EXPECT_NE(v.definition, nullptr) << why;
  return v.definition;
}

class Sink final : public ExecutionSink {
 public:
  void Append(HistoryEvent&& event) override {
    if (busy_.exchange(true)) concurrent_ = true;
    std::this_thread::yield();
    {
      std::lock_guard lock(mu_);
      events_.push_back(std::move(event));
    }
    busy_ = false;
  }
  void Checkpoint(const std::string& next_state, const json::value& input) override {
    std::lock_guard lock(mu_);
    checkpoints_.emplace_back(next_state, input);
  }
  std::vector<std::string> Types() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& e : events_) out.emplace_back(e.type);
    return out;
  }
  size_t Count(const std::string& type) {
    auto types = Types();
    return static_cast<size_t>(std::count(types.begin(), types.end(), type));
  }
  std::vector<HistoryEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::vector<std::pair<std::string, json::value>> checkpoints() {
    std::lock_guard lock(mu_);
    return checkpoints_;
  }
  bool concurrent() const { return concurrent_; }

 private:
  std::mutex mu_;
  std::vector<HistoryEvent> events_;
  std::vector<std::pair<std::string, json::value>> checkpoints_;
  std::atomic<bool> busy_{false}, concurrent_{false};
};

// "block": waits until the task is stopped; "fail": fails; "work": 20 ms of real work, counting overlap.
class Blocking final : public Integrations {
 public:
  Result<json::value> Invoke(TaskCall& call) override {
    const std::string op = call.resource.substr(call.resource.rfind(':') + 1);
    if (op == "block") {
      std::mutex mu;
      std::condition_variable cv;
      bool stopped = false;
      call.stop->OnCancel([&] {
        std::lock_guard lock(mu);
        stopped = true;
        cv.notify_all();
      });
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return stopped; });
      return AwsError::Client("Test.Stopped", "stopped");
    }
    if (op == "fail") return AwsError::Client("Test.Failure", "failed on purpose");
    const int now = ++running_;
    int seen = max_running_.load();
    while (now > seen && !max_running_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --running_;
    return call.parameters;
  }
  int max_running() const { return max_running_; }

 private:
  std::atomic<int> running_{0}, max_running_{0};
};

ExecutionInfo Info(json::value input = json::object()) {
  ExecutionInfo e;
  e.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:M:e";
  e.name = "e";
  e.region = "us-east-1";
  e.input = std::move(input);
  e.start_ms = 1700000000000;
  return e;
}

TEST(AslInterpreter, MapFailureAbortsTheIterationsStillRunning) {
  // Items 0 and 1 block until stopped; item 2 fails, which must abort the other two.
  auto def2 = Parse(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"C","States":{
    "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Fail"}],"Default":"Block"},
    "Block":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:block","End":true},
    "Fail":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:fail","End":true}}},"End":true}}})");
  ManualClock clock(1700000000000, false);
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  Outcome out = asl::Run(*def2, Info(json::array{0, 1, 2}), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kFailed);
  EXPECT_EQ(out.error, "Test.Failure");
  EXPECT_EQ(sink.Count("MapIterationFailed"), 1u);
  EXPECT_EQ(sink.Count("MapIterationAborted"), 2u);
  EXPECT_EQ(sink.Count("MapStateFailed"), 1u);
  EXPECT_FALSE(sink.concurrent());
}

TEST(AslInterpreter, ParallelBranchFailureAbortsTheOtherBranches) {
  auto def = Parse(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
    {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}},
    {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:block","End":true}}},
    {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Branch.Failed","Cause":"third"}}}],"End":true}}})");
  ManualClock clock(1700000000000, false);  // nothing advances it: the Wait only ends by cancellation
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  Outcome out = asl::Run(*def, Info(), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kFailed);
  EXPECT_EQ(out.error, "Branch.Failed");
  EXPECT_EQ(out.cause, "third");
  EXPECT_EQ(sink.Count("ParallelStateFailed"), 1u);
}

TEST(AslInterpreter, StopExecutionEndsABlockedTaskOnTheSystemClock) {
  auto def = Parse(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:block",
    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"After"}],"End":true},"After":{"Type":"Pass","End":true}}})");
  SystemClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.Cancel(AbortReason("User.Stop", "enough"));
  });
  const auto started = std::chrono::steady_clock::now();
  Outcome out = asl::Run(*def, Info(), RunOptions{}, integrations, clock, sink, stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(out.status, Outcome::Status::kAborted);
  EXPECT_EQ(out.error, "User.Stop");
  EXPECT_EQ(out.cause, "enough");
  EXPECT_EQ(sink.Types().back(), "ExecutionAborted");
  EXPECT_EQ(out.failed_state, "T");
}

TEST(AslInterpreter, TaskTimeoutStopsABlockedTaskOnTheSystemClock) {
  auto def = Parse(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:block",
    "TimeoutSeconds":1,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"After"}],"End":true},
    "After":{"Type":"Pass","End":true}}})");
  SystemClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  Outcome out = asl::Run(*def, Info(), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kSucceeded);
  EXPECT_EQ(sink.Count("TaskTimedOut"), 1u);
  EXPECT_EQ(json::serialize(out.output), R"({"Error":"States.Timeout","Cause":""})");
}

TEST(AslInterpreter, ExecutionTimeoutOnTheSystemClock) {
  auto def = Parse(R"({"TimeoutSeconds":1,"StartAt":"T","States":{"T":{"Type":"Task",
    "Resource":"arn:aws:states:::xacct-test:block","End":true}}})");
  SystemClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  ExecutionInfo info = Info();
  info.start_ms = clock.NowMillis();
  Outcome out = asl::Run(*def, info, RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kTimedOut);
  EXPECT_EQ(out.error, "States.Timeout");
  EXPECT_EQ(sink.Types().back(), "ExecutionTimedOut");
}

TEST(AslInterpreter, MaxDurationTimesOutAnExecutionWhateverItsTimeoutSeconds) {
  // EXPRESS executions run for five minutes at most: a one-hour Wait times out at minute five.
  auto def = Parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  ManualClock clock(1700000000000, true);
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  RunOptions options;
  options.max_duration_ms = 300000;
  Outcome out = asl::Run(*def, Info(), options, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kTimedOut);
  EXPECT_EQ(out.error, "States.Timeout");
  EXPECT_EQ(clock.NowMillis(), 1700000000000 + 300000);
}

// Hands the task what it was given: the submission to continue and the heartbeat interval; "heartbeat" fails
// as a callback task whose heartbeat did not come.
class Recording final : public Integrations {
 public:
  Result<json::value> Invoke(TaskCall& call) override {
    if (call.resource.ends_with(":heartbeat")) return AwsError::Client("States.HeartbeatTimeout", "");
    json::object seen;
    seen["resumed"] = call.resumed_submission != nullptr ? *call.resumed_submission : json::value(nullptr);
    seen["heartbeat"] = call.heartbeat_seconds ? json::value(*call.heartbeat_seconds) : json::value(nullptr);
    return json::value(std::move(seen));
  }
};

TEST(AslInterpreter, AResumedTaskContinuesItsSubmittedJobOnceOnly) {
  auto def = Parse(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:x.sync",
    "HeartbeatSeconds":5,"ResultPath":"$.first","Next":"U"},
    "U":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:x.sync","ResultPath":"$.second","End":true}}})");
  ManualClock clock;
  Recording integrations;
  Sink sink;
  Cancellation stop;
  RunOptions options;
  options.start_at = "T";
  options.input = json::object{};
  options.resume_submission = json::object{{"QueryExecutionId", "q-1"}};
  Outcome out = asl::Run(*def, Info(), options, integrations, clock, sink, stop);
  ASSERT_EQ(out.status, Outcome::Status::kSucceeded) << out.error << out.cause;
  EXPECT_EQ(
      json::serialize(out.output),
      R"({"first":{"resumed":{"QueryExecutionId":"q-1"},"heartbeat":5},"second":{"resumed":null,"heartbeat":null}})");
}

TEST(AslInterpreter, AMissedHeartbeatIsATaskTimedOutEvent) {
  auto def = Parse(R"({"StartAt":"T","States":{"T":{"Type":"Task",
    "Resource":"arn:aws:states:::xacct-test:heartbeat","HeartbeatSeconds":1,"End":true}}})");
  ManualClock clock;
  Recording integrations;
  Sink sink;
  Cancellation stop;
  Outcome out = asl::Run(*def, Info(), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kFailed);
  EXPECT_EQ(out.error, "States.HeartbeatTimeout");
  const auto types = sink.Types();
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskTimedOut"), types.end());
  EXPECT_EQ(std::find(types.begin(), types.end(), "TaskFailed"), types.end());
}

TEST(AslInterpreter, ResumesAtAStateWithItsInputAndEventIds) {
  auto def = Parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","Next":"B"},
    "B":{"Type":"Pass","Parameters":{"resumed.$":"$.x"},"End":true}}})");
  ManualClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  RunOptions options;
  options.start_at = "B";
  options.input = json::object{{"x", 5}};
  options.first_event_id = 10;
  options.emit_started = false;
  Outcome out = asl::Run(*def, Info(), options, integrations, clock, sink, stop);
  EXPECT_EQ(json::serialize(out.output), R"({"resumed":5})");
  auto events = sink.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "PassStateEntered");
  EXPECT_EQ(events[0].id, 10);
  EXPECT_EQ(events[0].previous_event_id, 9);
  EXPECT_EQ(out.last_event_id, 12);
}

TEST(AslInterpreter, ChecksIntoEveryTopLevelStateOnly) {
  auto def = Parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"M"},
    "M":{"Type":"Map","ItemProcessor":{"StartAt":"Inner","States":{"Inner":{"Type":"Pass","End":true}}},"Next":"Z"},
    "Z":{"Type":"Succeed"}}})");
  ManualClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  Outcome out = asl::Run(*def, Info(json::array{1, 2}), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kSucceeded);
  auto checkpoints = sink.checkpoints();
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints[0].first, "A");
  EXPECT_EQ(checkpoints[1].first, "M");
  EXPECT_EQ(json::serialize(checkpoints[1].second), "[1,2]");
  EXPECT_EQ(checkpoints[2].first, "Z");
}

TEST(AslInterpreter, MaxConcurrencyBoundsIterationsAndTheSinkIsSerialized) {
  auto def = Parse(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":3,"ItemProcessor":{"StartAt":"T",
    "States":{"T":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:work","End":true}}},"End":true}}})");
  ManualClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  json::array items;
  for (int i = 0; i < 12; ++i) items.push_back(i);
  Outcome out = asl::Run(*def, Info(items), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kSucceeded);
  EXPECT_EQ(json::serialize(out.output), json::serialize(items));
  EXPECT_LE(integrations.max_running(), 3);
  EXPECT_GE(integrations.max_running(), 2);
  EXPECT_FALSE(sink.concurrent());
}

TEST(AslInterpreter, UnboundedMapIsCapped) {
  auto def = Parse(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T",
    "States":{"T":{"Type":"Task","Resource":"arn:aws:states:::xacct-test:work","End":true}}},"End":true}}})");
  ManualClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  json::array items;
  for (int i = 0; i < 120; ++i) items.push_back(i);
  Outcome out = asl::Run(*def, Info(items), RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(out.status, Outcome::Status::kSucceeded);
  EXPECT_LE(integrations.max_running(), 40);
  EXPECT_GE(integrations.max_running(), 4);
}

TEST(AslInterpreter, RedriveCountAndTimeInTheContext) {
  auto def = Parse(R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
    "count.$":"$$.Execution.RedriveCount","time.$":"$$.Execution.RedriveTime"},"End":true}}})");
  ManualClock clock;
  Blocking integrations;
  Sink sink;
  Cancellation stop;
  ExecutionInfo info = Info();
  info.redrive_count = 2;
  info.redrive_ms = 1700000060000;
  Outcome out = asl::Run(*def, info, RunOptions{}, integrations, clock, sink, stop);
  EXPECT_EQ(json::serialize(out.output), R"({"count":2,"time":"2023-11-14T22:14:20.000Z"})");
}

TEST(AslDefinition, TaskResourcesSplitIntoResourceTypeAndResource) {
  auto def = Parse(R"({"StartAt":"A","States":{
    "A":{"Type":"Task","Resource":"arn:aws:states:::athena:startQueryExecution.sync","Next":"S"},
    "S":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:listBuckets","Next":"L"},
    "L":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}})");
  ASSERT_NE(def, nullptr);
  const auto& states = def->machine.states;
  EXPECT_EQ(states[0].resource_type, "athena");
  EXPECT_EQ(states[0].resource_name, "startQueryExecution.sync");
  EXPECT_EQ(states[0].pattern, IntegrationPattern::kSync);
  EXPECT_EQ(states[1].resource_type, "aws-sdk:s3");
  EXPECT_EQ(states[1].resource_name, "listBuckets");
  EXPECT_EQ(states[2].resource_type, "lambda");
  EXPECT_EQ(states[2].resource_name, "invoke.waitForTaskToken");
  EXPECT_EQ(states[2].pattern, IntegrationPattern::kWaitForTaskToken);
  EXPECT_EQ(states[0].next_index, 1);
}

TEST(AslDefinition, InvalidDefinitionMessageJoinsErrorsOnly) {
  std::vector<Diagnostic> d = {{"ERROR", "SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", "/States/A"},
                               {"WARNING", "NO_DOLLAR", "ignored", "/States/A"},
                               {"ERROR", "MISSING_TRANSITION_TARGET", "Missing 'Next' target: B", "/States/C/Next"}};
  EXPECT_EQ(InvalidDefinitionMessage(d),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at "
            "/States/A, MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/C/Next'");
}

class Echo final : public Integrations {
 public:
  Result<json::value> Invoke(TaskCall& call) override {
    if (call.resource.find(":fail") != std::string::npos) return AwsError::Client("Boom", "it broke");
    return call.parameters;
  }
};

TEST(AslTestState, PassReportsInspectionData) {
  ManualClock clock;
  Echo integrations;
  auto out = TestState(R"({"Type":"Pass","InputPath":"$.a","Parameters":{"b.$":"$.b"},"ResultPath":"$.r","Next":"N"})",
                       json::parse(R"({"a":{"b":1}})"), integrations, clock, "us-east-1");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->status, "SUCCEEDED");
  EXPECT_EQ(out->next_state, "N");
  EXPECT_EQ(json::serialize(out->output), R"({"a":{"b":1},"r":{"b":1}})");
  EXPECT_EQ(json::serialize(out->inspection_data.at("input")), R"("{\"a\":{\"b\":1}}")");
  EXPECT_EQ(json::serialize(out->inspection_data.at("afterInputPath")), R"("{\"b\":1}")");
  EXPECT_EQ(json::serialize(out->inspection_data.at("afterParameters")), R"("{\"b\":1}")");
}

TEST(AslTestState, TaskInspectionDataFollowsTheProcessingSteps) {
  ManualClock clock;
  Echo integrations;
  auto out = TestState(R"({"Type":"Task","Resource":"arn:aws:states:::xacct-test:echo","Parameters":{"v.$":"$.x"},
    "ResultSelector":{"w.$":"$.v"},"ResultPath":"$.out","End":true})",
                       json::parse(R"({"x":3})"), integrations, clock, "us-east-1");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->status, "SUCCEEDED");
  EXPECT_EQ(out->next_state, "");
  EXPECT_EQ(json::serialize(out->output), R"({"x":3,"out":{"w":3}})");
  for (const char* key :
       {"input", "afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath"}) {
    EXPECT_TRUE(out->inspection_data.contains(key)) << key;
  }
  EXPECT_EQ(json::serialize(out->inspection_data.at("result")), R"("{\"v\":3}")");
}

TEST(AslTestState, RetriableCaughtAndFailed) {
  ManualClock clock;
  Echo integrations;
  const json::value input = json::object();
  auto retriable = TestState(R"({"Type":"Task","Resource":"arn:aws:states:::xacct-test:fail",
    "Retry":[{"ErrorEquals":["Boom"]}],"End":true})",
                             input, integrations, clock, "us-east-1");
  ASSERT_TRUE(retriable.ok());
  EXPECT_EQ(retriable->status, "RETRIABLE");
  EXPECT_EQ(retriable->error, "Boom");
  auto caught = TestState(R"({"Type":"Task","Resource":"arn:aws:states:::xacct-test:fail",
    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}],"End":true})",
                          input, integrations, clock, "us-east-1");
  ASSERT_TRUE(caught.ok());
  EXPECT_EQ(caught->status, "CAUGHT_ERROR");
  EXPECT_EQ(caught->next_state, "Handler");
  EXPECT_EQ(caught->error, "Boom");
  EXPECT_EQ(caught->cause, "it broke");
  auto failed = TestState(R"({"Type":"Task","Resource":"arn:aws:states:::xacct-test:fail","End":true})", input,
                          integrations, clock, "us-east-1");
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->status, "FAILED");
  EXPECT_EQ(failed->cause, "it broke");
}

TEST(AslTestState, ChoiceReportsTheNextState) {
  ManualClock clock;
  Echo integrations;
  auto out = TestState(R"({"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],
    "Default":"Small"})",
                       json::parse(R"({"n":5})"), integrations, clock, "us-east-1");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, "SUCCEEDED");
  EXPECT_EQ(out->next_state, "Big");
}

TEST(AslTestState, InvalidStateIsInvalidDefinition) {
  ManualClock clock;
  Echo integrations;
  auto out = TestState(R"({"Type":"Task","End":true})", json::object(), integrations, clock, "us-east-1");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "InvalidDefinition");
  EXPECT_EQ(out.error().message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Resource]'");
}

}  // namespace
}  // namespace xacct::asl
