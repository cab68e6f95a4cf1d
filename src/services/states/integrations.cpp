// Routing a Task's Resource to the integration that serves it, the calls into other services' handlers, and
// the AWS SDK integrations (Developer Guide, "Learning to use AWS service SDK integrations in Step Functions":
// parameters in PascalCase, errors named ServiceName.ErrorName with an "Exception" suffix).
#include "services/states/integrations.h"

#include <algorithm>
#include <cmath>

#include "common/arn.h"
#include "model/service_model.h"
#include "policy/context.h"
#include "protocol/json_protocol.h"
#include "protocol/values.h"
#include "services/states/execution_runner.h"
#include "services/states/states_internal.h"
#include "services/sts/sts_provider.h"

namespace xacct::services::states {

namespace {

// aws-sdk service names (as written in the Resource) xacct routes to its providers: the provider, the
// ServiceName of error names, and the SDK's service name in causes.
struct SdkService {
  std::string_view resource_name;
  std::string_view provider;
  std::string_view error_prefix;
  std::string_view sdk_name;
};
constexpr SdkService kSdkServices[] = {
    {"athena", "athena", "Athena", "Athena"},
    {"glue", "glue", "Glue", "Glue"},
    {"sts", "sts", "Sts", "Sts"},
    {"iam", "iam", "Iam", "Iam"},
    {"organizations", "organizations", "Organizations", "Organizations"},
    {"sfn", "states", "Sfn", "Sfn"},
    {"dynamodb", "dynamodb", "DynamoDb", "DynamoDb"},
};

json::value Convert(const model::Shape* shape, const json::value& v, bool millis, bool pascal) {
  if (shape == nullptr || shape->document) return v;
  switch (shape->type) {
    case model::ShapeType::kStructure: {
      if (!v.is_object()) return v;
      json::object out;
      for (const auto& [key, value] : v.as_object()) {
        const model::ShapeRef* member = shape->FindMember(key);
        if (member == nullptr) continue;  // xacct's own bookkeeping never leaves the service
        out[pascal ? Pascal(key) : std::string(key)] = Convert(member->shape, value, millis, pascal);
      }
      return out;
    }
    case model::ShapeType::kList: {
      if (!v.is_array()) return v;
      json::array out;
      for (const auto& item : v.as_array()) out.push_back(Convert(shape->member.shape, item, millis, pascal));
      return out;
    }
    case model::ShapeType::kMap: {
      if (!v.is_object()) return v;
      json::object out;
      for (const auto& [key, value] : v.as_object()) out[key] = Convert(shape->value.shape, value, millis, pascal);
      return out;
    }
    case model::ShapeType::kTimestamp: {
      const auto seconds = protocol::TimestampSeconds(v);
      if (!seconds) return v;
      if (millis) return static_cast<int64_t>(std::llround(*seconds * 1000.0));
      return json::value(protocol::FormatIso8601(*seconds));
    }
    default:
      return v;
  }
}

// Task parameters (PascalCase) to the model's member names, recursively.
json::value FromParameters(const model::Shape* shape, const json::value& v) {
  if (shape == nullptr || shape->document) return v;
  if (shape->type == model::ShapeType::kStructure && v.is_object()) {
    json::object out;
    for (const auto& [key, value] : v.as_object()) {
      const model::ShapeRef* member = shape->FindMember(key);
      if (member == nullptr) {
        for (const auto& m : shape->members) {
          if (policy::EqualsIgnoreCase(m.name, key)) member = &m;
        }
      }
      if (member == nullptr) {
        out[key] = value;  // the decoder drops it
        continue;
      }
      out[member->name] = FromParameters(member->shape, value);
    }
    return out;
  }
  if (shape->type == model::ShapeType::kList && v.is_array()) {
    json::array out;
    for (const auto& item : v.as_array()) out.push_back(FromParameters(shape->member.shape, item));
    return out;
  }
  return v;
}

}  // namespace

AwsError NotServed(std::string_view resource, std::string_view why) {
  return AwsError::Client("States.TaskFailed", "xacct does not serve the Task resource '" + std::string(resource) +
                                                   "': " + std::string(why));
}

std::string Pascal(std::string_view name) {
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

AwsError SdkTaskError(std::string_view prefix, std::string_view sdk_name, const AwsError& error,
                      const std::string& request_id) {
  std::string code = error.code.empty() ? std::string(sdk_name) : error.code;
  if (!code.ends_with("Exception")) code += "Exception";
  AwsError task =
      AwsError::Client(std::string(prefix) + "." + code, error.message + " (Service: " + std::string(sdk_name) +
                                                             ", Status Code: " + std::to_string(error.http_status) +
                                                             ", Request ID: " + request_id + ")");
  task.detail = error.detail;
  return task;
}

Result<identity::Principal> RoleSession::Get() {
  std::lock_guard lock(mu_);
  const int64_t now = NowMs() / 1000;
  if (session_ && session_->expiration - 300 > now) return *session_;
  // The confused-deputy keys name the state machine the session is for (none for TestState).
  std::vector<std::pair<std::string, std::string>> context;
  if (const auto machine = ArnView::Parse(machine_arn_)) {
    context = {{"aws:SourceArn", machine_arn_}, {"aws:SourceAccount", std::string(machine->account)}};
  }
  std::string session_name = NewUuid();
  session_name.erase(std::remove(session_name.begin(), session_name.end(), '-'), session_name.end());
  AwsError last = UntrustedRole();
  for (const std::string& service : {std::string("states.amazonaws.com"), "states." + region_ + ".amazonaws.com"}) {
    authz::RequestInfo request;
    request.request_id = NewUuid();
    request.region = region_;
    request.now = now;
    auto principal =
        AssumeRoleForService(authz_, identities_, request, service, role_arn_, session_name, context, nullptr);
    if (principal) {
      session_ = std::move(*principal);
      return *session_;
    }
    last = principal.error();
    if (last.code != "AccessDenied") break;
  }
  AwsError e = AwsError::Client("States.Runtime", "Step Functions could not assume the execution role " + role_arn_ +
                                                      ": " + std::string(kUntrustedRoleMessage));
  e.detail = last.detail.empty() ? last.message : last.detail;
  return e;
}

Result<json::object> CallOperation(TaskEnv& env, const identity::Principal& who, std::string_view service,
                                   std::string_view operation, const json::object& input, std::string* request_id) {
  const Provider* provider = FindProvider(service);
  const model::ServiceModel* model = model::ServiceModel::Find(service);
  if (provider == nullptr || model == nullptr) {
    return AwsError::Server("InternalFailure", "xacct has no service " + std::string(service));
  }
  const model::Operation* op = model->FindOperation(operation);
  if (op == nullptr) {
    return AwsError::Client("UnknownOperationException",
                            "Unknown operation " + std::string(operation) + " of " + std::string(model->service_id()));
  }
  const auto handler = provider->handlers->find(op->name);
  if (handler == provider->handlers->end()) {
    return AwsError::Server("NotImplemented",
                            "xacct does not implement " + std::string(model->service_id()) + " operation " + op->name +
                                " yet (see docs/coverage/" + std::string(model->name()) + ".md)",
                            501);
  }
  authz::RequestInfo info;
  info.request_id = NewUuid();
  info.service = std::string(model->name());
  info.operation = op->name;
  info.region = env.region;
  info.now = NowMs() / 1000;
  if (request_id != nullptr) *request_id = info.request_id;
  // Validated as the wire's decoder validates a request (required members, types, constraints).
  auto decoded = protocol::DecodeJsonInput(*model, *op, json::serialize(input));
  if (!decoded) return decoded.error();
  CallContext ctx{who, info, env.authz, env.identities, {}, env.backends};
  const json::object empty;
  auto out = handler->second(ctx, decoded->is_object() ? decoded->as_object() : empty);
  if (!out) {
    AwsError e = out.error();
    if (e.detail.empty()) e.detail = ctx.explanation;
    return e;
  }
  return out;
}

AwsError TaskError(std::string_view prefix, std::string_view service_name, const AwsError& error,
                   const std::string& request_id) {
  std::string code = error.code;
  if (!code.ends_with("Exception")) code += "Exception";
  AwsError out = AwsError::Client(std::string(prefix) + "." + code,
                                  error.message + " (Service: " + std::string(service_name) +
                                      "; Status Code: " + std::to_string(error.http_status) +
                                      "; Error Code: " + error.code + "; Request ID: " + request_id + "; Proxy: null)");
  out.detail = error.detail;
  return out;
}

json::value TaskOutput(std::string_view service, std::string_view operation, const json::object& output, bool millis,
                       bool pascal) {
  const model::ServiceModel* model = model::ServiceModel::Find(service);
  const model::Operation* op = model != nullptr ? model->FindOperation(operation) : nullptr;
  if (op == nullptr || op->output == nullptr) return output;
  return Convert(op->output, output, millis, pascal);
}

Result<json::value> InvokeAwsSdk(TaskEnv& env, asl::TaskCall& call, std::string_view service, std::string_view action) {
  const SdkService* sdk = nullptr;
  for (const auto& s : kSdkServices) {
    if (s.resource_name == service) sdk = &s;
  }
  if (action.find('.') != std::string_view::npos) {
    return NotServed(call.resource, "AWS SDK integrations are Request Response or .waitForTaskToken");
  }
  if (service == "s3") return InvokeS3(env, call, action);
  if (sdk == nullptr) return NotServed(call.resource, "xacct does not serve this service");
  const std::string operation = Pascal(action);
  const model::ServiceModel* model = model::ServiceModel::Find(sdk->provider);
  const model::Operation* op = model != nullptr ? model->FindOperation(operation) : nullptr;
  if (op == nullptr) return NotServed(call.resource, "the service has no operation " + operation);
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::value params = call.parameters.is_object() ? call.parameters : json::value(json::object{});
  const json::value input = FromParameters(op->input, params);
  std::string request_id;
  auto out = CallOperation(env, *session, sdk->provider, operation, input.as_object(), &request_id);
  if (!out) return SdkTaskError(sdk->error_prefix, sdk->sdk_name, out.error(), request_id);
  return TaskOutput(sdk->provider, operation, *out, false, true);
}

Result<json::value> StatesIntegrations::InvokeWithCallback(asl::TaskCall& call, std::string_view service,
                                                           std::string_view action) {
  constexpr std::string_view kSuffix = ".waitForTaskToken";
  const std::string_view base = action.substr(0, action.size() - kSuffix.size());
  const bool served = service == "aws-sdk" || (service == "states" && base == "startExecution");
  ExecutionRunner* runner = env_.backends.executions;
  // TestState (no state machine) answers in the request: it cannot wait for a callback.
  if (!served || runner == nullptr || env_.session->machine_arn().empty() || call.task_token.empty() ||
      call.stop == nullptr || call.clock == nullptr) {
    return NotServed(call.resource,
                     "the callback pattern (.waitForTaskToken) is served for the AWS SDK "
                     "integrations and states:startExecution, in executions");
  }
  std::string execution_arn;  // $$.Execution.Id
  if (call.context != nullptr && call.context->is_object()) {
    const json::value* execution = call.context->as_object().if_contains("Execution");
    if (execution != nullptr && execution->is_object()) execution_arn = Str(execution->as_object(), "Id");
  }
  // Resumed after a restart with the token the previous run handed out: wait for it again, without sending.
  const bool resumed = call.resumed_submission != nullptr && !execution_arn.empty() &&
                       runner->tokens().StoredTokenOf(execution_arn) == call.task_token;
  // Registered (durably) before the call: a worker may answer before the call returns.
  auto waiter = runner->tokens().Register(call.task_token, env_.session->machine_arn(), execution_arn);
  if (!waiter) return AwsError::Client("States.Runtime", "could not record the task token: " + waiter.error().message);
  const std::string token = call.task_token;
  struct Release {
    TaskTokens& tokens;
    const std::string& token;
    ~Release() { tokens.Finish(token); }
  } release{runner->tokens(), token};
  if (!resumed) {
    // `service` and `action` view call.resource, which the call below replaces for a while.
    const bool sdk = service == "aws-sdk";
    const std::string resource = call.resource;
    call.resource = resource.substr(0, resource.size() - kSuffix.size());
    auto sent = sdk ? Invoke(call) : InvokeStartExecution(env_, call, "");
    call.resource = resource;
    if (!sent) return sent.error();
    if (call.submitted) call.submitted(*sent);  // the call's response, before the wait (TaskSubmitted)
  }
  auto outcome = (*waiter)->Wait(*call.clock, *call.stop, call.heartbeat_seconds);
  if (!outcome) return outcome.error();
  if (outcome->success) return outcome->output;
  return AwsError::Client(outcome->error, outcome->cause);
}

Result<json::value> StatesIntegrations::Invoke(asl::TaskCall& call) {
  const std::string& resource = call.resource;
  const auto arn = ArnView::Parse(resource);
  if (!arn || arn->service != "states" || !arn->region.empty() || !arn->account.empty()) {
    return NotServed(resource,
                     "only the optimized (arn:aws:states:::SERVICE:API) and AWS SDK integrations of "
                     "services xacct runs are served");
  }
  std::string_view rest = arn->resource;  // "athena:startQueryExecution.sync", "aws-sdk:glue:getTable"
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return NotServed(resource, "it names no API action");
  const std::string_view service = rest.substr(0, colon);
  std::string_view action = rest.substr(colon + 1);
  if (action.ends_with(".waitForTaskToken")) return InvokeWithCallback(call, service, action);
  if (service == "aws-sdk") {
    const auto second = action.find(':');
    if (second == std::string_view::npos) return NotServed(resource, "it names no API action");
    return InvokeAwsSdk(env_, call, action.substr(0, second), action.substr(second + 1));
  }
  std::string_view pattern;
  if (const auto dot = action.find('.'); dot != std::string_view::npos) {
    pattern = action.substr(dot + 1);
    action = action.substr(0, dot);
  }
  if (service == "athena") return InvokeAthena(env_, call, action, pattern);
  if (service == "states" && action == "startExecution") return InvokeStartExecution(env_, call, pattern);
  if (service == "dynamodb") return InvokeDynamoDb(env_, call, action, pattern);
  return NotServed(resource, "xacct does not serve this integration");
}

}  // namespace xacct::services::states
