// The ASL conformance suite: every case of tests/asl/conformance/*.json, run with a ManualClock (virtual
// time: a one-hour Wait takes no time) and a scripted integration standing in for AWS services.
//
// A case: {"name", "source", "definition", "input", and "output" | "error"(+"cause") | "status"
// ("ABORTED", "TIMED_OUT"), optional "history" (the exact sequence of event types), "events" (objects
// {"type", "details"?, "t"?} matched in order against a subsequence of the history: details by subset,
// t = milliseconds since the execution started, or tAtMost), "stopOn" ({"event", "error", "cause"}: StopExecution when
// that event is appended), "inputFill" ({"field", "bytes"}: that input field becomes a string of so many
// bytes), "express", and for invalid definitions "diagnostics" ([{"code", "message"?,
// "location"?}], each found among Validate's) and "message" (InvalidDefinitionMessage, exact)}.
//
// Test resources ("arn:aws:states:::xacct-test:<op>", also the Lambda function ARN
// "arn:aws:lambda:us-east-1:123456789012:function:<op>"), taking their behaviour from the parameters:
//   echo      returns the parameters
//   fail      fails with parameters.error (default "Test.Failure") and parameters.cause
//   sleep     waits parameters.seconds on the task's clock, then returns the parameters
//   sequence  the n-th call of the state returns parameters.results[n] (the last one repeats): {"output": v}
//             or {"error", "cause"} or {"parameters": true} (the call's parameters)
//   sync      reports TaskSubmitted with {"JobId":"job-1"}, then returns the parameters (a .sync job)
//   token     returns {"matches": parameters.TaskToken is the token the integration received}
//   context   returns the context object
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "asl/definition.h"
#include "asl/interpreter.h"

namespace xacct::asl {
namespace {

constexpr int64_t kStart = 1700000000000;

struct Case {
  std::string file;
  std::string name;
  json::object spec;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file << ": " << c.name; }

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const std::filesystem::path dir = std::filesystem::path(XACCT_SOURCE_DIR) / "tests/asl/conformance";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseJson(text.str());
    if (!parsed || !parsed->is_array()) {
      cases.push_back(Case{path.filename().string(), "unreadable_" + path.stem().string(), {}});
      continue;
    }
    for (const auto& c : parsed->as_array()) {
      if (!c.is_object()) continue;
      cases.push_back(Case{path.filename().string(), StringField(c.as_object(), "name"), c.as_object()});
    }
  }
  return cases;
}

class ScriptedIntegrations final : public Integrations {
 public:
  Result<json::value> Invoke(TaskCall& call) override {
    const std::string& r = call.resource;
    std::string op = r.substr(r.rfind(':') + 1);
    for (const char* suffix : {".sync", ".waitForTaskToken"}) {
      const std::string s(suffix);
      if (op.size() > s.size() && op.compare(op.size() - s.size(), s.size(), s) == 0) op.resize(op.size() - s.size());
    }
    const json::object empty;
    const json::object& p = call.parameters.is_object() ? call.parameters.as_object() : empty;
    if (op == "echo") return call.parameters;
    if (op == "fail") {
      const std::string error = p.contains("error") ? StringField(p, "error") : "Test.Failure";
      return AwsError::Client(error, StringField(p, "cause"));
    }
    if (op == "sleep") {
      const auto* seconds = p.if_contains("seconds");
      const int64_t ms = seconds == nullptr ? 0 : static_cast<int64_t>(seconds->to_number<double>() * 1000);
      if (!call.clock->WaitUntil(call.clock->NowMillis() + ms, *call.stop)) {
        return AwsError::Client("Test.Cancelled", "the task was stopped");
      }
      return call.parameters;
    }
    if (op == "sequence") {
      size_t n = 0;
      {
        std::lock_guard lock(mu_);
        n = calls_[call.state_name]++;
      }
      const auto* results = p.if_contains("results");
      if (results == nullptr || !results->is_array() || results->as_array().empty()) return json::value();
      const auto& list = results->as_array();
      const json::object& step = list[std::min(n, list.size() - 1)].as_object();
      if (step.contains("error")) return AwsError::Client(StringField(step, "error"), StringField(step, "cause"));
      if (step.contains("parameters")) return call.parameters;
      return step.contains("output") ? step.at("output") : json::value();
    }
    if (op == "sync") {
      json::object submitted;
      submitted["JobId"] = "job-1";
      if (call.submitted) call.submitted(submitted);
      return call.parameters;
    }
    if (op == "token") {
      json::object out;
      out["matches"] = !call.task_token.empty() && StringField(p, "TaskToken") == call.task_token;
      return json::value(std::move(out));
    }
    if (op == "context") return call.context != nullptr ? *call.context : json::value();
    return AwsError::Client("Test.UnknownResource", "no scripted behaviour for " + r);
  }

 private:
  std::mutex mu_;
  std::map<std::string, size_t> calls_;
};

class RecordingSink final : public ExecutionSink {
 public:
  RecordingSink(Cancellation& stop, const json::object* stop_on) : stop_(stop), stop_on_(stop_on) {}
  void Append(HistoryEvent&& event) override {
    const bool stop_here = stop_on_ != nullptr && event.type == StringField(*stop_on_, "event");
    events.push_back(std::move(event));
    if (stop_here) stop_.Cancel(AbortReason(StringField(*stop_on_, "error"), StringField(*stop_on_, "cause")));
  }
  void Checkpoint(const std::string& next_state, const json::value& input) override {
    (void)input;
    checkpoints.push_back(next_state);
  }
  std::vector<HistoryEvent> events;
  std::vector<std::string> checkpoints;

 private:
  Cancellation& stop_;
  const json::object* stop_on_;
};

// Every member of `expected` is in `actual` with an equal value (objects compared by subset, recursively).
bool Subset(const json::value& expected, const json::value& actual) {
  if (expected.is_object() && actual.is_object()) {
    for (const auto& m : expected.as_object()) {
      const auto* a = actual.as_object().if_contains(m.key());
      if (a == nullptr || !Subset(m.value(), *a)) return false;
    }
    return true;
  }
  if (expected.is_number() && actual.is_number()) return expected.to_number<double>() == actual.to_number<double>();
  return expected == actual;
}

std::string Types(const std::vector<HistoryEvent>& events) {
  std::string out;
  for (const auto& e : events) out += (out.empty() ? "" : ", ") + std::string(e.type);
  return out;
}

void CheckDiagnostics(const json::object& spec, const Validation& v) {
  std::string actual;
  for (const auto& d : v.diagnostics) actual += "\n  " + d.code + ": " + d.message + " at " + d.location;
  EXPECT_EQ(v.definition, nullptr) << "expected an invalid definition";
  for (const auto& e : spec.at("diagnostics").as_array()) {
    const auto& want = e.as_object();
    bool found = false;
    for (const auto& d : v.diagnostics) {
      if (d.code != StringField(want, "code")) continue;
      if (want.contains("message") && d.message != StringField(want, "message")) continue;
      if (want.contains("location") && d.location != StringField(want, "location")) continue;
      found = true;
    }
    EXPECT_TRUE(found) << "missing diagnostic " << json::serialize(e) << "; got:" << actual;
  }
  if (spec.contains("message")) {
    EXPECT_EQ(InvalidDefinitionMessage(v.diagnostics), StringField(spec, "message"));
  }
}

class Conformance : public testing::TestWithParam<Case> {};

TEST_P(Conformance, Case) {
  const Case& c = GetParam();
  ASSERT_FALSE(c.spec.empty()) << c.file << " is not a JSON list of cases";
  const json::object& spec = c.spec;
  ASSERT_TRUE(spec.contains("source")) << "every case names the document it comes from";
  ValidateOptions options;
  if (const auto* express = spec.if_contains("express")) options.express = express->as_bool();
  const json::value& def = spec.at("definition");
  const std::string text = def.is_string() ? std::string(def.as_string()) : json::serialize(def);
  Validation v = Validate(text, options);
  if (spec.contains("diagnostics")) {
    CheckDiagnostics(spec, v);
    return;
  }
  std::string diagnostics;
  for (const auto& d : v.diagnostics) diagnostics += "\n  " + d.code + ": " + d.message + " at " + d.location;
  ASSERT_NE(v.definition, nullptr) << "invalid definition:" << diagnostics;

  ManualClock clock(kStart);
  ScriptedIntegrations integrations;
  Cancellation stop;
  RecordingSink sink(stop, spec.contains("stopOn") ? &spec.at("stopOn").as_object() : nullptr);
  ExecutionInfo execution;
  execution.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:Machine:exec-1";
  execution.name = "exec-1";
  execution.role_arn = "arn:aws:iam::123456789012:role/StepFunctionsRole";
  execution.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Machine";
  execution.state_machine_name = "Machine";
  execution.region = "us-east-1";
  execution.input = spec.contains("input") ? spec.at("input") : json::value(json::object());
  if (const auto* fill = spec.if_contains("inputFill")) {
    const auto& f = fill->as_object();
    execution.input.as_object()[StringField(f, "field")] =
        std::string(static_cast<size_t>(f.at("bytes").to_number<int64_t>()), 'x');
  }
  execution.start_ms = kStart;
  Outcome out = asl::Run(*v.definition, execution, RunOptions{}, integrations, clock, sink, stop);

  const std::string history = Types(sink.events);
  if (spec.contains("output")) {
    EXPECT_EQ(out.status, Outcome::Status::kSucceeded) << out.error << ": " << out.cause << "\n" << history;
    EXPECT_EQ(json::serialize(out.output), json::serialize(spec.at("output")));
  }
  if (spec.contains("error")) {
    EXPECT_EQ(out.status, Outcome::Status::kFailed) << history;
    EXPECT_EQ(out.error, StringField(spec, "error")) << out.cause;
    if (spec.contains("cause")) {
      EXPECT_EQ(out.cause, StringField(spec, "cause"));
    }
  }
  if (spec.contains("status")) {
    const std::string status = StringField(spec, "status");
    const auto want = status == "ABORTED"     ? Outcome::Status::kAborted
                      : status == "TIMED_OUT" ? Outcome::Status::kTimedOut
                      : status == "FAILED"    ? Outcome::Status::kFailed
                                              : Outcome::Status::kSucceeded;
    EXPECT_EQ(out.status, want) << out.error << ": " << out.cause << "\n" << history;
  }
  if (spec.contains("history")) {
    std::string want;
    for (const auto& t : spec.at("history").as_array()) want += (want.empty() ? "" : ", ") + std::string(t.as_string());
    EXPECT_EQ(history, want);
  }
  if (spec.contains("events")) {
    size_t at = 0;
    for (const auto& e : spec.at("events").as_array()) {
      const auto& want = e.as_object();
      bool found = false;
      for (; at < sink.events.size() && !found; ++at) {
        const HistoryEvent& ev = sink.events[at];
        if (ev.type != StringField(want, "type")) continue;
        if (want.contains("details") && !Subset(want.at("details"), json::value(ev.details))) continue;
        if (want.contains("t") && ev.timestamp_ms - kStart != want.at("t").to_number<int64_t>()) continue;
        if (want.contains("tAtMost") && ev.timestamp_ms - kStart > want.at("tAtMost").to_number<int64_t>()) continue;
        found = true;
      }
      EXPECT_TRUE(found) << "no event matching " << json::serialize(e) << " (in order) in:\n"
                         <<
          [&] {
            std::string all;
            for (const auto& ev : sink.events) {
              all += "  " + std::to_string(ev.id) + " " + std::string(ev.type) +
                     " t=" + std::to_string(ev.timestamp_ms - kStart) + " " + json::serialize(ev.details) + "\n";
            }
            return all;
          }();
    }
  }
  // Event ids are consecutive from 1 and every event points back at an earlier one.
  for (size_t i = 0; i < sink.events.size(); ++i) {
    EXPECT_EQ(sink.events[i].id, static_cast<int64_t>(i) + 1);
    EXPECT_LT(sink.events[i].previous_event_id, sink.events[i].id);
  }
  EXPECT_EQ(out.last_event_id, static_cast<int64_t>(sink.events.size()));
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.name.empty() ? "unnamed_" + std::to_string(info.index) : info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Asl, Conformance, testing::ValuesIn(LoadCases()), CaseName);

}  // namespace
}  // namespace xacct::asl
