// The optimized Athena integration (Developer Guide, "Run Athena queries with Step Functions"):
// startQueryExecution as Request Response or Run a Job (.sync); getQueryExecution, getQueryResults and
// stopQueryExecution as Request Response. Parameters and outputs are the Athena API's, timestamps in epoch
// milliseconds. Every call (the polls of .sync included) is made as the execution role's session, so
// athena:GetQueryExecution must be allowed to the role as AWS's generated policy for .sync allows it.
//
// An error of an Athena API call is named Athena.<ErrorCode> with the Java SDK's cause form. A .sync query that
// ends FAILED (or CANCELLED) fails the task with States.TaskFailed and the GetQueryExecution response (its
// Status.StateChangeReason says why) as the cause: Developer Guide, "Handling errors in Step Functions
// workflows" (States.TaskFailed: "A Task state failed during the execution") and "Discover service integration
// patterns" (Run a Job: the task fails when the job fails).
#include "services/states/integrations.h"

#include "services/states/states_internal.h"

namespace xacct::services::states {

namespace {

constexpr std::string_view kServiceName = "AmazonAthena";

struct Action {
  std::string_view name;
  std::string_view operation;
};
constexpr Action kActions[] = {
    {"startQueryExecution", "StartQueryExecution"},
    {"getQueryExecution", "GetQueryExecution"},
    {"getQueryResults", "GetQueryResults"},
    {"stopQueryExecution", "StopQueryExecution"},
};

std::string StateOf(const json::object& get) {
  const auto* q = Obj(get, "QueryExecution");
  const auto* status = q != nullptr ? Obj(*q, "Status") : nullptr;
  return status != nullptr ? Str(*status, "State") : "";
}

}  // namespace

Result<json::value> InvokeAthena(TaskEnv& env, asl::TaskCall& call, std::string_view action, std::string_view pattern) {
  const Action* found = nullptr;
  for (const auto& a : kActions) {
    if (a.name == action) found = &a;
  }
  if (found == nullptr || (!pattern.empty() && !(pattern == "sync" && action == "startQueryExecution"))) {
    return NotServed(call.resource,
                     "Athena integrates startQueryExecution (Request Response, .sync), getQueryExecution, "
                     "getQueryResults and stopQueryExecution (Request Response)");
  }
  const std::string operation(found->operation);
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::object params = call.parameters.is_object() ? call.parameters.as_object() : json::object{};
  std::string request_id;
  std::string id;
  if (const json::value* resumed = call.resumed_submission; !pattern.empty() && resumed != nullptr &&
                                                            resumed->is_object() &&
                                                            !Str(resumed->as_object(), "QueryExecutionId").empty()) {
    // The server stopped while this task waited for its query: poll that query rather than run it again (an
    // INSERT that had finished would insert twice).
    id = Str(resumed->as_object(), "QueryExecutionId");
  } else {
    auto out = CallOperation(env, *session, "athena", operation, params, &request_id);
    if (!out) return TaskError("Athena", kServiceName, out.error(), request_id);
    if (pattern.empty()) return TaskOutput("athena", operation, *out, true, false);
    // Run a Job: report the submission, then poll the query as the role until it ends.
    id = Str(*out, "QueryExecutionId");
    if (call.submitted) call.submitted(TaskOutput("athena", operation, *out, true, false));
  }
  asl::SystemClock system_clock;
  asl::Clock& clock = call.clock != nullptr ? *call.clock : system_clock;
  asl::Cancellation never;
  asl::Cancellation& stop = call.stop != nullptr ? *call.stop : never;
  // In-process polls are cheap: every 2 ms for the first 100 ms (most queries end there), then backing off
  // to once a second.
  const int64_t submitted_ms = clock.NowMillis();
  int64_t delay_ms = 2;
  for (;;) {
    auto who = env.session->Get();
    if (!who) return who.error();
    auto got =
        CallOperation(env, *who, "athena", "GetQueryExecution", json::object{{"QueryExecutionId", id}}, &request_id);
    if (!got) return TaskError("Athena", kServiceName, got.error(), request_id);
    const std::string state = StateOf(*got);
    const json::value result = TaskOutput("athena", "GetQueryExecution", *got, true, false);
    if (state == "SUCCEEDED") return result;
    if (state == "FAILED" || state == "CANCELLED") {
      return AwsError::Client("States.TaskFailed", json::serialize(result));
    }
    if (!clock.WaitUntil(clock.NowMillis() + delay_ms, stop)) {
      // Stopped (StopExecution, the state's or the execution's timeout): the query is stopped as the role.
      std::string stop_request;
      (void)CallOperation(env, *who, "athena", "StopQueryExecution", json::object{{"QueryExecutionId", id}},
                          &stop_request);
      return AwsError::Client("States.TaskFailed",
                              "The task was stopped (" + stop.reason() + "); Athena query " + id + " was stopped");
    }
    if (clock.NowMillis() - submitted_ms >= 100)
      delay_ms = std::min<int64_t>(std::max<int64_t>(delay_ms, 50) * 2, 1000);
  }
}

}  // namespace xacct::services::states
