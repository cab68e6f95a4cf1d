// The optimized DynamoDB integration (Developer Guide, "Call DynamoDB APIs with Step Functions"): getItem,
// putItem, updateItem and deleteItem as Request Response only (no .sync, no .waitForTaskToken). Parameters
// are the DynamoDB API's; the output is the API's response with the Java SDK's SdkHttpMetadata and
// SdkResponseMetadata beside it, as AWS's optimized integrations return it. An error is named
// DynamoDB.<Code>Exception (upper-case "DB", where the AWS SDK integration says "DynamoDb") with the Java SDK's
// cause form "... (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID: ...; Proxy: null)".
#include "services/states/integrations.h"
#include "services/states/states_internal.h"

namespace xacct::services::states {

namespace {

struct Action {
  std::string_view name;
  std::string_view operation;
};
constexpr Action kActions[] = {
    {"getItem", "GetItem"},
    {"putItem", "PutItem"},
    {"updateItem", "UpdateItem"},
    {"deleteItem", "DeleteItem"},
};

json::object HttpMetadata(const std::string& body, const std::string& request_id) {
  const std::pair<std::string_view, std::string> headers[] = {
      {"Connection", "keep-alive"},
      {"Content-Length", std::to_string(body.size())},
      {"Content-Type", "application/x-amz-json-1.0"},
      {"Server", "Server"},
      {"x-amzn-RequestId", request_id},
  };
  json::object all, single;
  for (const auto& [name, value] : headers) {
    all[name] = json::array{json::value(value)};
    single[name] = value;
  }
  return json::object{{"AllHttpHeaders", std::move(all)}, {"HttpHeaders", std::move(single)}, {"HttpStatusCode", 200}};
}

}  // namespace

Result<json::value> InvokeDynamoDb(TaskEnv& env, asl::TaskCall& call, std::string_view action,
                                   std::string_view pattern) {
  const Action* found = nullptr;
  for (const auto& a : kActions) {
    if (a.name == action) found = &a;
  }
  if (found == nullptr || !pattern.empty()) {
    return NotServed(call.resource,
                     "the optimized DynamoDB integration serves getItem, putItem, updateItem and deleteItem as "
                     "Request Response (other actions: arn:aws:states:::aws-sdk:dynamodb:...)");
  }
  const std::string operation(found->operation);
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::object params = call.parameters.is_object() ? call.parameters.as_object() : json::object{};
  std::string request_id;
  auto out = CallOperation(env, *session, "dynamodb", operation, params, &request_id);
  if (!out) return TaskError("DynamoDB", "AmazonDynamoDBv2", out.error(), request_id);
  json::value result = TaskOutput("dynamodb", operation, *out, true, false);
  json::object& o = result.as_object();
  const std::string body = json::serialize(*out);
  o["SdkHttpMetadata"] = HttpMetadata(body, request_id);
  o["SdkResponseMetadata"] = json::object{{"RequestId", request_id}};
  return result;
}

}  // namespace xacct::services::states
