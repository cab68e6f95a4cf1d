// TestState: one state run on its own (API Reference TestState and InspectionData; Developer Guide
// "Using TestState API to test a state"). Transitions are not resolved (the Next states do not exist), a
// Retrier that would retry ends the test as RETRIABLE, a Catcher that matches as CAUGHT_ERROR.
#include "asl/interpreter_internal.h"
#include "asl/validate_internal.h"

namespace xacct::asl {

namespace {

class NullSink final : public ExecutionSink {
 public:
  void Append(HistoryEvent&& event) override { (void)event; }
};

// Gives every transition target of `s` an index into `names`.
void NameTargets(State& s, std::vector<std::string>& names) {
  auto index = [&](const std::string& name, int& out) {
    if (name.empty()) return;
    names.push_back(name);
    out = static_cast<int>(names.size()) - 1;
  };
  index(s.next, s.next_index);
  index(s.default_next, s.default_index);
  for (auto& rule : s.choices) index(rule.next, rule.next_index);
  for (auto& c : s.catches) index(c.next, c.next_index);
}

AwsError Invalid(const std::vector<Diagnostic>& diagnostics) {
  return AwsError::Client("InvalidDefinition", InvalidDefinitionMessage(diagnostics));
}

}  // namespace

Result<TestStateOutcome> TestState(std::string_view state_definition, const json::value& input,
                                   Integrations& integrations, Clock& clock, const std::string& region) {
  auto parsed = ParseJson(state_definition);
  if (!parsed) {
    return Invalid({Diagnostic{"ERROR", "INVALID_JSON_DESCRIPTION", parsed.error().message, ""}});
  }
  if (!parsed->is_object()) {
    return Invalid({Diagnostic{"ERROR", detail::kSchema, "The state definition must be a JSON OBJECT", "/"}});
  }
  detail::Checker checker(ValidateOptions{});
  State state;
  state.name = "TestState";
  state.location = "";
  detail::ParseState(checker, parsed->as_object(), state);
  if (checker.has_errors()) return Invalid(checker.diagnostics());
  std::vector<std::string> names;
  NameTargets(state, names);

  ExecutionInfo execution;
  execution.region = region;
  execution.name = "TestState";
  execution.input = input;
  execution.start_ms = clock.NowMillis();
  NullSink sink;
  auto root = std::make_shared<Cancellation>();
  detail::Runner runner(execution, integrations, clock, sink, root, 1, INT64_MAX);
  runner.stop_at_retry = true;
  TestStateOutcome out;
  detail::Frame frame;
  frame.cancel = root;
  frame.inspection = &out.inspection_data;
  out.inspection_data["input"] = detail::ToText(input);
  json::value state_input = input;
  detail::StepResult r = runner.RunState(state, state_input, frame);
  switch (r.flow) {
    case detail::Flow::kNext:
    case detail::Flow::kEnd:
      out.output = std::move(r.output);
      if (r.next >= 0) out.next_state = names[static_cast<size_t>(r.next)];
      if (runner.caught_next >= 0) {
        out.status = "CAUGHT_ERROR";
        out.error = runner.caught_failure.error;
        out.cause = runner.caught_failure.cause;
      } else {
        out.status = "SUCCEEDED";
      }
      break;
    case detail::Flow::kFailed:
    case detail::Flow::kAborted:
      out.status = runner.retriable ? "RETRIABLE" : "FAILED";
      out.error = r.failure.error;
      out.cause = r.failure.cause;
      break;
  }
  return out;
}

}  // namespace xacct::asl
