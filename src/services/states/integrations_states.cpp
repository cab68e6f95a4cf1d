// The optimized Step Functions integration (Developer Guide, "Start a new AWS Step Functions state machine
// execution"): states:startExecution as Request Response, Run a Job (.sync: Output as a JSON string) and
// .sync:2 (Output as JSON). The child execution is started, polled and (when the parent task is stopped)
// stopped as the execution role's session; .sync also needs the permissions AWS's generated policy grants on
// the managed EventBridge rule StepFunctionsGetEventsForStepFunctionsExecutionRule (events:PutTargets,
// events:PutRule, events:DescribeRule), which xacct checks as the role although it runs no EventBridge.
// Errors of the API calls are named StepFunctions.<ErrorCode>; a child that does not succeed fails the task
// with States.TaskFailed and the child's DescribeExecution response as the cause.
#include "services/states/integrations.h"

#include "services/states/states_internal.h"

namespace xacct::services::states {

namespace {

constexpr std::string_view kServiceName = "AWSStepFunctions";
constexpr std::string_view kManagedRule = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

}  // namespace

Result<json::value> InvokeStartExecution(TaskEnv& env, asl::TaskCall& call, std::string_view pattern) {
  if (!pattern.empty() && pattern != "sync" && pattern != "sync:2") {
    return AwsError::Client("States.TaskFailed", "xacct does not serve the Task resource '" + call.resource + "'");
  }
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::object params = call.parameters.is_object() ? call.parameters.as_object() : json::object{};
  json::object input{{"stateMachineArn", Str(params, "StateMachineArn")}};
  if (const auto* in = params.if_contains("Input")) {
    input["input"] = in->is_string() ? std::string(in->as_string()) : json::serialize(*in);
  }
  if (const std::string name = Str(params, "Name"); !name.empty()) input["name"] = name;
  if (const std::string trace = Str(params, "TraceHeader"); !trace.empty()) input["traceHeader"] = trace;

  if (!pattern.empty()) {
    // The managed rule through which AWS learns that the child ended (Developer Guide, "IAM policies for
    // Step Functions: StartExecution .sync").
    const std::string rule =
        "arn:aws:events:" + env.region + ":" + session->account + ":rule/" + std::string(kManagedRule);
    authz::RequestInfo request;
    request.request_id = NewUuid();
    request.service = "states";
    request.operation = "StartExecution";
    request.region = env.region;
    request.now = NowMs() / 1000;
    for (const char* action : {"events:PutTargets", "events:PutRule", "events:DescribeRule"}) {
      authz::Check check{.action = action, .resource = rule, .resource_account = session->account};
      std::string explanation;
      if (!env.authz.Authorize(*session, request, check, &explanation)) {
        AwsError e = AwsError::Client("States.TaskFailed",
                                      "'" + env.session->role_arn() + "' is not authorized to create managed-rule.");
        e.detail = explanation;
        return e;
      }
    }
  }
  std::string request_id;
  std::string execution_arn;
  if (const json::value* resumed = call.resumed_submission; !pattern.empty() && resumed != nullptr &&
                                                            resumed->is_object() &&
                                                            !Str(resumed->as_object(), "ExecutionArn").empty()) {
    // The server stopped while this task waited for its child: wait for that child, do not start another.
    execution_arn = Str(resumed->as_object(), "ExecutionArn");
  } else {
    auto started = CallOperation(env, *session, "states", "StartExecution", input, &request_id);
    if (!started) return TaskError("StepFunctions", kServiceName, started.error(), request_id);
    if (pattern.empty()) return TaskOutput("states", "StartExecution", *started, true, true);
    execution_arn = Str(*started, "executionArn");
    if (call.submitted) call.submitted(TaskOutput("states", "StartExecution", *started, true, true));
  }
  asl::SystemClock system_clock;
  asl::Clock& clock = call.clock != nullptr ? *call.clock : system_clock;
  asl::Cancellation never;
  asl::Cancellation& stop = call.stop != nullptr ? *call.stop : never;
  int64_t delay_ms = 5;
  for (;;) {
    auto who = env.session->Get();
    if (!who) return who.error();
    auto described = CallOperation(env, *who, "states", "DescribeExecution",
                                   json::object{{"executionArn", execution_arn}}, &request_id);
    if (!described) return TaskError("StepFunctions", kServiceName, described.error(), request_id);
    const std::string status = Str(*described, "status");
    if (status != "RUNNING" && status != "PENDING_REDRIVE") {
      json::value result = TaskOutput("states", "DescribeExecution", *described, true, true);
      if (pattern == "sync:2") {
        for (const char* key : {"Input", "Output"}) {
          auto& o = result.as_object();
          if (const auto* text = o.if_contains(key); text != nullptr && text->is_string()) {
            auto parsed = ParseJson(text->as_string());
            if (parsed) o[key] = *parsed;
          }
        }
      }
      if (status == "SUCCEEDED") return result;
      return AwsError::Client("States.TaskFailed", json::serialize(result));
    }
    if (!clock.WaitUntil(clock.NowMillis() + delay_ms, stop)) {
      std::string stop_request;
      (void)CallOperation(env, *who, "states", "StopExecution", json::object{{"executionArn", execution_arn}},
                          &stop_request);
      return AwsError::Client("States.TaskFailed", "The task was stopped (" + stop.reason() + "); execution " +
                                                       execution_arn + " was stopped");
    }
    delay_ms = std::min<int64_t>(delay_ms * 2, 1000);
  }
}

}  // namespace xacct::services::states
