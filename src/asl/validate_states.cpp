// One state's fields, by type (ASL specification "State Types", "Errors" for Retry/Catch; Developer Guide
// pages of each state, "Map state in Inline mode", "Service integration patterns"). Diagnostics use AWS's
// SCHEMA_VALIDATION_FAILED words; what xacct does not run yet (JSONata, variables, Distributed Map) is
// refused with a diagnostic that says so.
#include <algorithm>

#include "asl/intrinsics.h"
#include "asl/validate_internal.h"

namespace xacct::asl::detail {

namespace {

constexpr int64_t kMaxSeconds = 99999999;

bool Has(const json::object& o, std::string_view key) { return o.contains(key); }

void Exclusive(Checker& c, const json::object& o, std::string_view a, std::string_view b, const std::string& at) {
  if (Has(o, a) && Has(o, b)) {
    c.Schema("Only one of these fields is allowed: [" + std::string(a) + ", " + std::string(b) + "]", at);
  }
}

// Fields every state may carry, and the features xacct refuses with a clear word.
void CommonFields(Checker& c, const json::object& o, State& s) {
  (void)c.String(o, "Comment", s.location);
  if (auto ql = c.String(o, "QueryLanguage", s.location)) {
    if (*ql == "JSONata") {
      c.Schema("QueryLanguage 'JSONata' is not supported yet by xacct (use JSONPath)", At(s.location, "QueryLanguage"));
    } else if (*ql != "JSONPath") {
      c.Schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
               At(s.location, "QueryLanguage"));
    }
  }
  if (Has(o, "Assign")) {
    c.Schema("Field 'Assign' (workflow variables) is not supported yet by xacct", At(s.location, "Assign"));
  }
  for (std::string_view jsonata : {"Arguments", "Output"}) {
    if (Has(o, jsonata)) {
      c.Schema("Field '" + std::string(jsonata) + "' (JSONata) is not supported yet by xacct", At(s.location, jsonata));
    }
  }
}

void Transition(Checker& c, const json::object& o, State& s) {
  auto next = c.String(o, "Next", s.location);
  auto end = c.Bool(o, "End", s.location);
  if (next && end && *end) {
    c.Schema("Only one of these fields is allowed: [Next, End]", s.location);
    return;
  }
  if (next) s.next = *next;
  s.end = end.value_or(false);
  if (!next && !s.end && !(Has(o, "End") && !end)) c.Schema("These fields are required: [Next]", s.location);
}

void Note(State& s, const PathField& f) {
  if (f.path && f.path->IsContextPath()) s.uses_context = true;
}

void InputOutput(Checker& c, const json::object& o, State& s) {
  s.input_path = c.Path(o, "InputPath", s.location, false, true, true);
  s.output_path = c.Path(o, "OutputPath", s.location, false, true, true);
  Note(s, s.input_path);
  Note(s, s.output_path);
}

void ResultFields(Checker& c, const json::object& o, State& s, bool selector) {
  s.result_path = c.Path(o, "ResultPath", s.location, true, true, false);
  if (selector) {
    s.result_selector = c.ParseTemplate(o, "ResultSelector", s.location);
    if (s.result_selector.present && MentionsContext(s.result_selector.value)) s.uses_context = true;
  }
}

std::vector<std::string> ErrorEquals(Checker& c, const json::object& o, const std::string& at) {
  std::vector<std::string> errors;
  const auto* v = o.if_contains("ErrorEquals");
  if (v == nullptr) return errors;
  if (!v->is_array() || v->as_array().empty()) {
    c.Schema("The value for the field 'ErrorEquals' must be a non-empty ARRAY", At(at, "ErrorEquals"));
    return errors;
  }
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) {
      c.Schema("The value for the field 'ErrorEquals' must be an ARRAY of STRING", At(at, "ErrorEquals"));
      continue;
    }
    errors.emplace_back(e.as_string());
  }
  if (errors.size() > 1 && std::find(errors.begin(), errors.end(), "States.ALL") != errors.end()) {
    c.Schema("Error name 'States.ALL' must appear alone in ErrorEquals", At(at, "ErrorEquals"));
  }
  return errors;
}

bool IsAll(const std::vector<std::string>& errors) { return errors.size() == 1 && errors[0] == "States.ALL"; }

void RetryCatch(Checker& c, const json::object& o, State& s) {
  if (const auto* retry = o.if_contains("Retry")) {
    if (!retry->is_array()) {
      c.Schema("The value for the field 'Retry' must be an ARRAY", At(s.location, "Retry"));
    } else {
      const auto& list = retry->as_array();
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string at = s.location + "/Retry/" + std::to_string(i);
        if (!list[i].is_object()) {
          c.Schema("The value must be an OBJECT", at);
          continue;
        }
        const auto& r = list[i].as_object();
        c.AllowOnly(r,
                    {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                     "JitterStrategy", "Comment"},
                    at);
        c.Require(r, {"ErrorEquals"}, at);
        (void)c.String(r, "Comment", at);
        Retrier retrier;
        retrier.errors = ErrorEquals(c, r, at);
        retrier.interval_seconds = c.Integer(r, "IntervalSeconds", at, 1, kMaxSeconds).value_or(1);
        retrier.max_attempts = c.Integer(r, "MaxAttempts", at, 0, kMaxSeconds).value_or(3);
        retrier.backoff_rate = c.Number(r, "BackoffRate", at, 1.0).value_or(2.0);
        retrier.max_delay_seconds = c.Integer(r, "MaxDelaySeconds", at, 1, 31622400);
        if (auto jitter = c.String(r, "JitterStrategy", at)) {
          if (*jitter != "FULL" && *jitter != "NONE") {
            c.Schema("The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                     At(at, "JitterStrategy"));
          }
          retrier.full_jitter = *jitter == "FULL";
        }
        if (IsAll(retrier.errors) && i + 1 != list.size()) {
          c.Schema("A Retrier with 'States.ALL' must be the last Retrier", at);
        }
        s.retry.push_back(std::move(retrier));
      }
    }
  }
  if (const auto* catches = o.if_contains("Catch")) {
    if (!catches->is_array()) {
      c.Schema("The value for the field 'Catch' must be an ARRAY", At(s.location, "Catch"));
      return;
    }
    const auto& list = catches->as_array();
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = s.location + "/Catch/" + std::to_string(i);
      if (!list[i].is_object()) {
        c.Schema("The value must be an OBJECT", at);
        continue;
      }
      const auto& r = list[i].as_object();
      c.AllowOnly(r, {"ErrorEquals", "Next", "ResultPath", "Comment"}, at);
      c.Require(r, {"ErrorEquals", "Next"}, at);
      (void)c.String(r, "Comment", at);
      Catcher catcher;
      catcher.errors = ErrorEquals(c, r, at);
      catcher.next = c.String(r, "Next", at).value_or("");
      catcher.result_path = c.Path(r, "ResultPath", at, true, true, false);
      if (IsAll(catcher.errors) && i + 1 != list.size()) {
        c.Schema("A Catcher with 'States.ALL' must be the last Catcher", at);
      }
      s.catches.push_back(std::move(catcher));
    }
  }
}

// Splits a Task's Resource into the history's resourceType and resource.
void ParseResource(Checker& c, State& s) {
  const std::string& r = s.resource;
  const std::string at = At(s.location, "Resource");
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= r.size(); ++i) {
    if (i == r.size() || r[i] == ':') {
      parts.push_back(r.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() < 6 || parts[0] != "arn" || parts[1].empty() || parts[2].empty()) {
    c.Error("INVALID_RESOURCE", "Value is not a valid resource ARN: " + r, at);
    return;
  }
  auto join = [&](size_t from) {
    std::string out;
    for (size_t i = from; i < parts.size(); ++i) out += (i == from ? "" : ":") + parts[i];
    return out;
  };
  if (parts[2] == "states" && parts[3].empty() && parts[4].empty()) {
    // arn:aws:states:::service:api[.sync|.waitForTaskToken], arn:aws:states:::aws-sdk:service:api
    if (parts[5] == "aws-sdk" && parts.size() >= 8) {
      s.resource_type = "aws-sdk:" + parts[6];
      s.resource_name = join(7);
    } else if (parts.size() >= 7 && !parts[5].empty() && !parts[6].empty()) {
      s.resource_type = parts[5];
      s.resource_name = join(6);
    } else {
      c.Error("INVALID_RESOURCE", "Value is not a valid resource ARN: " + r, at);
      return;
    }
  } else if (parts[2] == "lambda" && parts[5] == "function" && parts.size() >= 7) {
    s.lambda_function = true;
    s.resource_type = "lambda";
    s.resource_name = r;
  } else {
    s.resource_type = parts[2];
    s.resource_name = join(5);
  }
  auto ends_with = [&](std::string_view suffix) {
    return r.size() >= suffix.size() && r.compare(r.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".sync") || ends_with(".sync:2")) s.pattern = IntegrationPattern::kSync;
  if (ends_with(".waitForTaskToken")) s.pattern = IntegrationPattern::kWaitForTaskToken;
  if (c.options().express && s.pattern != IntegrationPattern::kRequestResponse) {
    c.Schema(std::string("Express state machine does not support '") +
                 (s.pattern == IntegrationPattern::kSync ? ".sync" : ".waitForTaskToken") + "' service integration",
             at);
  }
}

void ParseTask(Checker& c, const json::object& o, State& s) {
  c.Require(o, {"Resource"}, s.location);
  if (auto resource = c.String(o, "Resource", s.location)) {
    s.resource = *resource;
    ParseResource(c, s);
  }
  Exclusive(c, o, "TimeoutSeconds", "TimeoutSecondsPath", s.location);
  Exclusive(c, o, "HeartbeatSeconds", "HeartbeatSecondsPath", s.location);
  s.timeout_seconds = c.Integer(o, "TimeoutSeconds", s.location, 1, kMaxSeconds);
  s.timeout_seconds_path = c.PathOnly(o, "TimeoutSecondsPath", s.location, true);
  s.heartbeat_seconds = c.Integer(o, "HeartbeatSeconds", s.location, 1, kMaxSeconds);
  s.heartbeat_seconds_path = c.PathOnly(o, "HeartbeatSecondsPath", s.location, true);
  if (s.timeout_seconds && s.heartbeat_seconds && *s.heartbeat_seconds >= *s.timeout_seconds) {
    c.Schema("The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
             At(s.location, "HeartbeatSeconds"));
  }
  for (const auto& p : {s.timeout_seconds_path, s.heartbeat_seconds_path}) {
    if (p && p->IsContextPath()) s.uses_context = true;
  }
  if (const auto* credentials = o.if_contains("Credentials")) {
    if (!credentials->is_object()) {
      c.Schema("The value for the field 'Credentials' must be an OBJECT", At(s.location, "Credentials"));
    } else {
      s.credentials = *credentials;
    }
  }
}

void ParseWait(Checker& c, const json::object& o, State& s) {
  int count = 0;
  for (std::string_view key : {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}) count += Has(o, key) ? 1 : 0;
  if (count != 1) {
    c.Schema("Exactly one of these fields is required: [Seconds, Timestamp, SecondsPath, TimestampPath]", s.location);
  }
  s.seconds = c.Integer(o, "Seconds", s.location, 0, kMaxSeconds);
  if (auto ts = c.String(o, "Timestamp", s.location)) {
    if (auto nanos = ParseTimestamp(*ts)) {
      s.timestamp_ms = *nanos / 1000000;
    } else {
      c.Schema("The value for the field 'Timestamp' must be a valid ISO-8601 timestamp", At(s.location, "Timestamp"));
    }
  }
  s.seconds_path = c.PathOnly(o, "SecondsPath", s.location, true);
  s.timestamp_path = c.PathOnly(o, "TimestampPath", s.location, true);
  for (const auto& p : {s.seconds_path, s.timestamp_path}) {
    if (p && p->IsContextPath()) s.uses_context = true;
  }
}

// ErrorPath / CausePath: a reference path or an intrinsic function.
std::optional<std::string> PathOrIntrinsic(Checker& c, const json::object& o, std::string_view key, State& s) {
  auto text = c.String(o, key, s.location);
  if (!text) return std::nullopt;
  if (IsIntrinsicCall(*text)) {
    if (auto status = ValidateIntrinsic(*text); !status) {
      c.Schema(status.error().message, At(s.location, key));
      return std::nullopt;
    }
  } else {
    auto path = JsonPath::Parse(*text);
    if (!path || !path->IsReferencePath()) {
      c.Schema(
          "The value for the field '" + std::string(key) + "' must be a valid Reference Path or an intrinsic function",
          At(s.location, key));
      return std::nullopt;
    }
  }
  if (text->find("$$") != std::string::npos) s.uses_context = true;
  return text;
}

void ParseFail(Checker& c, const json::object& o, State& s) {
  Exclusive(c, o, "Error", "ErrorPath", s.location);
  Exclusive(c, o, "Cause", "CausePath", s.location);
  s.error = c.String(o, "Error", s.location);
  s.cause = c.String(o, "Cause", s.location);
  s.error_path = PathOrIntrinsic(c, o, "ErrorPath", s);
  s.cause_path = PathOrIntrinsic(c, o, "CausePath", s);
}

void ParseChoice(Checker& c, const json::object& o, State& s) {
  c.Require(o, {"Choices"}, s.location);
  if (auto def = c.String(o, "Default", s.location)) s.default_next = *def;
  const auto* choices = o.if_contains("Choices");
  if (choices == nullptr) return;
  if (!choices->is_array() || choices->as_array().empty()) {
    c.Schema("The value for the field 'Choices' must be a non-empty ARRAY", At(s.location, "Choices"));
    return;
  }
  const auto& list = choices->as_array();
  for (size_t i = 0; i < list.size(); ++i) {
    ChoiceRule rule;
    if (ParseChoiceRule(c, list[i], s.location + "/Choices/" + std::to_string(i), true, rule, s.uses_context)) {
      s.choices.push_back(std::move(rule));
    }
  }
}

void ParseParallel(Checker& c, const json::object& o, State& s) {
  c.Require(o, {"Branches"}, s.location);
  const auto* branches = o.if_contains("Branches");
  if (branches == nullptr) return;
  if (!branches->is_array() || branches->as_array().empty()) {
    c.Schema("The value for the field 'Branches' must be a non-empty ARRAY", At(s.location, "Branches"));
    return;
  }
  const auto& list = branches->as_array();
  for (size_t i = 0; i < list.size(); ++i) {
    s.branches.push_back(ParseMachine(c, list[i], s.location + "/Branches/" + std::to_string(i), false));
  }
}

void ParseMap(Checker& c, const json::object& o, State& s) {
  for (std::string_view distributed :
       {"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount", "ToleratedFailurePercentage",
        "ToleratedFailureCountPath", "ToleratedFailurePercentagePath", "Label"}) {
    if (Has(o, distributed)) {
      c.Schema("Field '" + std::string(distributed) + "' is not supported when the Map state's Mode is INLINE",
               At(s.location, distributed));
    }
  }
  if (Has(o, "Items")) c.Schema("Field 'Items' (JSONata) is not supported yet by xacct", At(s.location, "Items"));
  Exclusive(c, o, "ItemSelector", "Parameters", s.location);
  Exclusive(c, o, "Iterator", "ItemProcessor", s.location);
  Exclusive(c, o, "MaxConcurrency", "MaxConcurrencyPath", s.location);
  s.items_path = c.Path(o, "ItemsPath", s.location, true, false, true);
  Note(s, s.items_path);
  s.max_concurrency = c.Integer(o, "MaxConcurrency", s.location, 0, kMaxSeconds).value_or(0);
  s.max_concurrency_path = c.PathOnly(o, "MaxConcurrencyPath", s.location, true);
  if (s.max_concurrency_path && s.max_concurrency_path->IsContextPath()) s.uses_context = true;
  s.parameters = c.ParseTemplate(o, Has(o, "ItemSelector") ? "ItemSelector" : "Parameters", s.location);
  // The item selector reads $$.Map.Item: the context object is always built for it.
  if (s.parameters.present) s.uses_context = true;
  const bool processor = Has(o, "ItemProcessor");
  if (!processor && !Has(o, "Iterator")) {
    c.Schema("These fields are required: [ItemProcessor]", s.location);
    return;
  }
  const std::string key = processor ? "ItemProcessor" : "Iterator";
  const json::value& body = o.at(key);
  if (processor && body.is_object()) {
    if (const auto* config = body.as_object().if_contains("ProcessorConfig")) {
      const std::string at = At(s.location, key) + "/ProcessorConfig";
      if (!config->is_object()) {
        c.Schema("The value for the field 'ProcessorConfig' must be an OBJECT", at);
      } else {
        c.AllowOnly(config->as_object(), {"Mode", "ExecutionType"}, at);
        auto mode = c.String(config->as_object(), "Mode", at);
        if (mode && *mode == "DISTRIBUTED") {
          c.Schema("Map state Mode 'DISTRIBUTED' is not supported yet by xacct (use INLINE)", At(at, "Mode"));
        } else if (mode && *mode != "INLINE") {
          c.Schema("The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]", At(at, "Mode"));
        }
        if (config->as_object().contains("ExecutionType") && (!mode || *mode != "DISTRIBUTED")) {
          c.Schema("Field 'ExecutionType' is not supported when the Map state's Mode is INLINE",
                   At(at, "ExecutionType"));
        }
      }
    }
  }
  s.processor = ParseMachine(c, body, At(s.location, key), processor);
}

}  // namespace

const char* StateTypeName(StateType type) {
  switch (type) {
    case StateType::kPass:
      return "Pass";
    case StateType::kTask:
      return "Task";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "Pass";
}

void ParseState(Checker& c, const json::object& o, State& s) {
  if (!c.Require(o, {"Type"}, s.location)) return;
  auto type = c.String(o, "Type", s.location);
  if (!type) return;
  static constexpr std::pair<std::string_view, StateType> kTypes[] = {
      {"Task", StateType::kTask},         {"Wait", StateType::kWait}, {"Pass", StateType::kPass},
      {"Succeed", StateType::kSucceed},   {"Fail", StateType::kFail}, {"Choice", StateType::kChoice},
      {"Parallel", StateType::kParallel}, {"Map", StateType::kMap}};
  auto it = std::find_if(std::begin(kTypes), std::end(kTypes), [&](const auto& t) { return t.first == *type; });
  if (it == std::end(kTypes)) {
    c.Schema(
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
        At(s.location, "Type"));
    return;
  }
  s.type = it->second;
  CommonFields(c, o, s);
  const std::string& at = s.location;
  switch (s.type) {
    case StateType::kPass:
      c.AllowOnly(o,
                  {"Type", "Comment", "QueryLanguage", "Assign", "Output", "Next", "End", "InputPath", "OutputPath",
                   "ResultPath", "Parameters", "Result"},
                  at);
      Transition(c, o, s);
      InputOutput(c, o, s);
      ResultFields(c, o, s, false);
      s.parameters = c.ParseTemplate(o, "Parameters", at);
      if (const auto* result = o.if_contains("Result")) s.result = *result;
      break;
    case StateType::kTask:
      c.AllowOnly(o,
                  {"Type",
                   "Comment",
                   "QueryLanguage",
                   "Assign",
                   "Output",
                   "Arguments",
                   "Next",
                   "End",
                   "InputPath",
                   "OutputPath",
                   "ResultPath",
                   "Parameters",
                   "ResultSelector",
                   "Retry",
                   "Catch",
                   "Resource",
                   "TimeoutSeconds",
                   "TimeoutSecondsPath",
                   "HeartbeatSeconds",
                   "HeartbeatSecondsPath",
                   "Credentials"},
                  at);
      Transition(c, o, s);
      InputOutput(c, o, s);
      ResultFields(c, o, s, true);
      s.parameters = c.ParseTemplate(o, "Parameters", at);
      RetryCatch(c, o, s);
      ParseTask(c, o, s);
      break;
    case StateType::kChoice:
      c.AllowOnly(
          o, {"Type", "Comment", "QueryLanguage", "Assign", "Output", "InputPath", "OutputPath", "Choices", "Default"},
          at);
      InputOutput(c, o, s);
      ParseChoice(c, o, s);
      break;
    case StateType::kWait:
      c.AllowOnly(o,
                  {"Type", "Comment", "QueryLanguage", "Assign", "Output", "Next", "End", "InputPath", "OutputPath",
                   "Seconds", "Timestamp", "SecondsPath", "TimestampPath"},
                  at);
      Transition(c, o, s);
      InputOutput(c, o, s);
      ParseWait(c, o, s);
      break;
    case StateType::kSucceed:
      c.AllowOnly(o, {"Type", "Comment", "QueryLanguage", "Output", "InputPath", "OutputPath"}, at);
      InputOutput(c, o, s);
      break;
    case StateType::kFail:
      c.AllowOnly(o, {"Type", "Comment", "QueryLanguage", "Error", "Cause", "ErrorPath", "CausePath"}, at);
      ParseFail(c, o, s);
      break;
    case StateType::kParallel:
      c.AllowOnly(o,
                  {"Type", "Comment", "QueryLanguage", "Assign", "Output", "Arguments", "Next", "End", "InputPath",
                   "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Branches"},
                  at);
      Transition(c, o, s);
      InputOutput(c, o, s);
      ResultFields(c, o, s, true);
      s.parameters = c.ParseTemplate(o, "Parameters", at);
      RetryCatch(c, o, s);
      ParseParallel(c, o, s);
      break;
    case StateType::kMap:
      c.AllowOnly(o,
                  {"Type",
                   "Comment",
                   "QueryLanguage",
                   "Assign",
                   "Output",
                   "Arguments",
                   "Next",
                   "End",
                   "InputPath",
                   "OutputPath",
                   "ResultPath",
                   "Parameters",
                   "ItemSelector",
                   "ResultSelector",
                   "Retry",
                   "Catch",
                   "ItemsPath",
                   "MaxConcurrency",
                   "MaxConcurrencyPath",
                   "Iterator",
                   "ItemProcessor",
                   "ItemReader",
                   "ItemBatcher",
                   "ResultWriter",
                   "ToleratedFailureCount",
                   "ToleratedFailurePercentage",
                   "ToleratedFailureCountPath",
                   "ToleratedFailurePercentagePath",
                   "Label",
                   "Items"},
                  at);
      Transition(c, o, s);
      InputOutput(c, o, s);
      ResultFields(c, o, s, true);
      RetryCatch(c, o, s);
      ParseMap(c, o, s);
      break;
  }
  if (s.parameters.present && MentionsContext(s.parameters.value)) s.uses_context = true;
}

}  // namespace xacct::asl::detail
