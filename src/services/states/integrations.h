// The Task integrations xacct serves (Developer Guide, "Integrating services with Step Functions", "Service
// integration patterns", "Run Athena queries with Step Functions", "Start a new AWS Step Functions state
// machine execution", "Learning to use AWS service SDK integrations"). Every call goes to the service's own
// handler inside the process, as the execution role's session, authorized by the policy engine like any
// request (and so recorded in the audit log); nothing goes over HTTP.
//
//   arn:aws:states:::athena:startQueryExecution[.sync], :getQueryExecution, :getQueryResults,
//                                                         :stopQueryExecution
//   arn:aws:states:::states:startExecution[.sync | .sync:2]
//   arn:aws:states:::dynamodb:getItem, :putItem, :updateItem, :deleteItem
//   arn:aws:states:::aws-sdk:SERVICE:apiAction   SERVICE in athena, glue, sts, iam, organizations, sfn,
//                                                 dynamodb, s3 (every S3 operation xacct implements,
//                                                 through S3's own handler: services/s3/internal_call.h)
//   RESOURCE.waitForTaskToken                     for the AWS SDK integrations and states:startExecution: the
//                                                 call, then a wait for SendTask* (task_tokens.h)
//
// Anything else fails the task with States.TaskFailed and a cause naming the resource xacct does not serve,
// so that a Catch on States.ALL or States.TaskFailed can handle it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "asl/interpreter.h"
#include "services/service.h"

namespace xacct::services::states {

//! The execution role's session, assumed when first needed and again before it expires.
class RoleSession {
 public:
  RoleSession(authz::Authorizer& authz, identity::IdentityStore& identities, std::string role_arn,
              std::string machine_arn, std::string region)
      : authz_(authz),
        identities_(identities),
        role_arn_(std::move(role_arn)),
        machine_arn_(std::move(machine_arn)),
        region_(std::move(region)) {}
  //! The session; an error whose message says why the role could not be assumed.
  Result<identity::Principal> Get();
  const std::string& role_arn() const { return role_arn_; }
  const std::string& machine_arn() const { return machine_arn_; }

 private:
  authz::Authorizer& authz_;
  identity::IdentityStore& identities_;
  std::string role_arn_, machine_arn_, region_;
  std::mutex mu_;
  std::optional<identity::Principal> session_;
};

//! What a task needs to call services.
struct TaskEnv {
  authz::Authorizer& authz;
  identity::IdentityStore& identities;
  Backends backends;
  std::shared_ptr<RoleSession> session;
  std::string region;
};

class StatesIntegrations final : public asl::Integrations {
 public:
  explicit StatesIntegrations(TaskEnv env) : env_(std::move(env)) {}
  Result<json::value> Invoke(asl::TaskCall& call) override;

 private:
  //! RESOURCE.waitForTaskToken: the call, then the wait for its token's outcome.
  Result<json::value> InvokeWithCallback(asl::TaskCall& call, std::string_view service, std::string_view action);

  TaskEnv env_;
};

//! Calls `operation` of the provider `service` ("athena", "glue", ...) as `who`, with `input` by the model's
//! member names, validated as the wire's decoder would. `request_id` receives the call's request id.
Result<json::object> CallOperation(TaskEnv& env, const identity::Principal& who, std::string_view service,
                                   std::string_view operation, const json::object& input, std::string* request_id);

//! An error of a service call as a task error: `Prefix.CodeException` with the Java SDK's cause
//! "MESSAGE (Service: NAME; Status Code: N; Error Code: CODE; Request ID: ID; Proxy: null)".
AwsError TaskError(std::string_view prefix, std::string_view service_name, const AwsError& error,
                   const std::string& request_id);

//! The error of a Task resource xacct does not serve: States.TaskFailed, "xacct does not serve the Task
//! resource 'RESOURCE': WHY" (a Task error, so that a Catch on States.TaskFailed or States.ALL handles it).
AwsError NotServed(std::string_view resource, std::string_view why);

//! An error of a service call as an AWS SDK integration's error: `Prefix.CodeException` (the SDK's base
//! `NameException` when the error has no code) with the Java SDK v2's cause
//! "MESSAGE (Service: NAME, Status Code: N, Request ID: ID)".
AwsError SdkTaskError(std::string_view prefix, std::string_view sdk_name, const AwsError& error,
                      const std::string& request_id);

//! An API action as written in a Resource ("getObject") as its operation name ("GetObject").
std::string Pascal(std::string_view name);

//! A response converted for a task's output: timestamps as epoch milliseconds (`millis`) or ISO 8601 text,
//! member names as in the model, or PascalCase (`pascal`).
json::value TaskOutput(std::string_view service, std::string_view operation, const json::object& output, bool millis,
                       bool pascal);

// integrations_states.cpp
Result<json::value> InvokeStartExecution(TaskEnv& env, asl::TaskCall& call, std::string_view pattern);
// integrations_athena.cpp
Result<json::value> InvokeAthena(TaskEnv& env, asl::TaskCall& call, std::string_view action, std::string_view pattern);
// integrations_dynamodb.cpp
Result<json::value> InvokeDynamoDb(TaskEnv& env, asl::TaskCall& call, std::string_view action,
                                   std::string_view pattern);
// integrations_s3.cpp (aws-sdk:s3:ACTION)
Result<json::value> InvokeS3(TaskEnv& env, asl::TaskCall& call, std::string_view action);
// integrations.cpp
Result<json::value> InvokeAwsSdk(TaskEnv& env, asl::TaskCall& call, std::string_view service, std::string_view action);

}  // namespace xacct::services::states
