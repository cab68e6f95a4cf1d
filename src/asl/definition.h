// The typed, validated state machine that Validate builds from a definition's JSON (Amazon States Language
// specification; Step Functions Developer Guide "State machine structure" and the pages of each state
// type). Everything the interpreter needs is resolved here once: transitions are indices into the
// enclosing scope's state list, every path is parsed, every timestamp and operand is typed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "asl/json_path.h"
#include "asl/payload.h"
#include "common/json.h"

namespace xacct::asl {

enum class StateType : uint8_t { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

//! "Pass", "Task", ... as the history event types spell them.
const char* StateTypeName(StateType type);

//! InputPath / OutputPath / ResultPath / ItemsPath: absent, JSON null, or a parsed path.
struct PathField {
  enum class Kind : uint8_t { kAbsent, kNull, kPath };
  Kind kind = Kind::kAbsent;
  std::optional<JsonPath> path;
  bool absent() const { return kind == Kind::kAbsent; }
};

//! A payload template (Parameters, ItemSelector, ResultSelector), kept as written.
struct Template {
  bool present = false;
  json::value value;
  CompiledTemplate compiled;  //!< `value` compiled (what the interpreter applies)
};

struct Retrier {
  std::vector<std::string> errors;
  int64_t interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  bool full_jitter = false;
};

struct Catcher {
  std::vector<std::string> errors;
  std::string next;
  int next_index = -1;
  PathField result_path;
};

//! One Choice rule: a comparison (Variable + operator), a boolean combination (And, Or, Not), and at the
//! top level the Next it leads to.
struct ChoiceRule {
  enum class Op : uint8_t {
    kAnd,
    kOr,
    kNot,
    kStringEquals,
    kStringLessThan,
    kStringGreaterThan,
    kStringLessThanEquals,
    kStringGreaterThanEquals,
    kStringMatches,
    kNumericEquals,
    kNumericLessThan,
    kNumericGreaterThan,
    kNumericLessThanEquals,
    kNumericGreaterThanEquals,
    kBooleanEquals,
    kTimestampEquals,
    kTimestampLessThan,
    kTimestampGreaterThan,
    kTimestampLessThanEquals,
    kTimestampGreaterThanEquals,
    kIsNull,
    kIsPresent,
    kIsNumeric,
    kIsString,
    kIsBoolean,
    kIsTimestamp,
  };
  Op op = Op::kAnd;
  std::optional<JsonPath> variable;
  json::value operand;                     //!< the literal operand (string, number, boolean)
  std::optional<JsonPath> operand_path;    //!< the *Path form's operand
  std::optional<int64_t> timestamp_nanos;  //!< a literal Timestamp* operand, parsed
  std::vector<ChoiceRule> children;        //!< And / Or / Not
  std::string next;
  int next_index = -1;
};

enum class IntegrationPattern : uint8_t { kRequestResponse, kSync, kWaitForTaskToken };

struct StateMachine;

struct State {
  std::string name;
  StateType type = StateType::kPass;
  std::string location;  //!< "/States/Name" (nested: "/States/Map/ItemProcessor/States/Name")
  std::string next;
  int next_index = -1;
  bool end = false;

  PathField input_path, output_path, result_path;
  Template parameters;                //!< Parameters, or a Map's ItemSelector
  Template result_selector;           //!< ResultSelector
  std::optional<json::value> result;  //!< Pass: Result

  // Task.
  std::string resource;
  std::string resource_type;     //!< history's resourceType: "athena", "lambda", "aws-sdk:s3"
  std::string resource_name;     //!< history's resource: "startQueryExecution.sync"
  bool lambda_function = false;  //!< a Lambda function ARN (LambdaFunction* history events)
  IntegrationPattern pattern = IntegrationPattern::kRequestResponse;
  std::optional<int64_t> timeout_seconds;
  std::optional<JsonPath> timeout_seconds_path;
  std::optional<int64_t> heartbeat_seconds;
  std::optional<JsonPath> heartbeat_seconds_path;
  std::optional<json::value> credentials;

  std::vector<Retrier> retry;
  std::vector<Catcher> catches;

  // Choice.
  std::vector<ChoiceRule> choices;
  std::string default_next;
  int default_index = -1;

  // Wait.
  std::optional<int64_t> seconds;
  std::optional<int64_t> timestamp_ms;
  std::optional<JsonPath> seconds_path;
  std::optional<JsonPath> timestamp_path;

  // Fail.
  std::optional<std::string> error, cause;
  std::optional<std::string> error_path, cause_path;  //!< a reference path or an intrinsic call

  // Parallel / Map.
  std::vector<std::shared_ptr<const StateMachine>> branches;  //!< Parallel
  std::shared_ptr<const StateMachine> processor;              //!< Map: Iterator / ItemProcessor
  PathField items_path;
  int64_t max_concurrency = 0;
  std::optional<JsonPath> max_concurrency_path;

  //! Some field of this state reads the context object (`$$`): the interpreter fills State.* only then.
  bool uses_context = false;
};

//! A scope of states: the top level, a Parallel branch, a Map's processor.
struct StateMachine {
  std::string start_at;
  int start_index = -1;
  std::vector<State> states;
  std::unordered_map<std::string, int> index;  //!< state name -> position in `states`

  int Find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
  }
};

struct Definition {
  StateMachine machine;
  std::optional<int64_t> timeout_seconds;
  std::string comment;
  std::string version;
};

}  // namespace xacct::asl
