// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat (API Reference): the answers to a task waiting with
// .waitForTaskToken (task_tokens.h). Each is authorized as states:<Operation> on the state machine whose task
// issued the token, so a worker's policy may name that machine or "*".
#include "services/states/execution_runner.h"
#include "services/states/states_ops.h"
#include "services/states/task_tokens.h"

namespace xacct::services::states {

namespace {

Result<std::shared_ptr<TaskTokens::Waiter>> WaiterFor(CallContext& ctx, const json::object& in,
                                                      std::string_view action) {
  ExecutionRunner* runner = ctx.backends.executions;
  const std::string token = Str(in, "taskToken");
  if (runner == nullptr) return AwsError::Client("InvalidToken", "Invalid Token: 'Invalid token'");
  auto waiter = runner->tokens().Find(token);
  if (!waiter) {
    // Whoever asks about a token that names no waiting task learns only that (no resource to authorize on).
    if (auto s = AuthorizeStates(ctx, action, "*", ctx.caller.account); !s) return s.error();
    return waiter.error();
  }
  const std::string& machine = (*waiter)->machine_arn();
  auto ref = ParseMachineArn(machine);
  if (auto s = AuthorizeStates(ctx, action, machine, ref ? ref->account : ctx.caller.account); !s) return s.error();
  return waiter;
}

}  // namespace

Result<json::object> SendTaskSuccess(CallContext& ctx, const json::object& in) {
  auto waiter = WaiterFor(ctx, in, "SendTaskSuccess");
  if (!waiter) return waiter.error();
  const std::string text = Str(in, "output");
  if (text.size() > kMaxPayloadBytes) {
    return AwsError::Client("InvalidOutput",
                            "Invalid Output: 'The output is larger than the maximum size of 262144 bytes.'");
  }
  auto output = ParseJson(text);
  if (!output) return AwsError::Client("InvalidOutput", "Invalid Output: '" + output.error().message + "'");
  TaskTokens::Outcome outcome;
  outcome.success = true;
  outcome.output = std::move(*output);
  if (auto s = ctx.backends.executions->tokens().Deliver(**waiter, std::move(outcome)); !s) return s.error();
  return json::object{};
}

Result<json::object> SendTaskFailure(CallContext& ctx, const json::object& in) {
  auto waiter = WaiterFor(ctx, in, "SendTaskFailure");
  if (!waiter) return waiter.error();
  TaskTokens::Outcome outcome;
  outcome.error = Str(in, "error");
  outcome.cause = Str(in, "cause");
  if (auto s = ctx.backends.executions->tokens().Deliver(**waiter, std::move(outcome)); !s) return s.error();
  return json::object{};
}

Result<json::object> SendTaskHeartbeat(CallContext& ctx, const json::object& in) {
  auto waiter = WaiterFor(ctx, in, "SendTaskHeartbeat");
  if (!waiter) return waiter.error();
  if (auto s = ctx.backends.executions->tokens().Heartbeat(**waiter); !s) return s.error();
  return json::object{};
}

}  // namespace xacct::services::states
