// The AWS SDK integration for Amazon S3 (arn:aws:states:::aws-sdk:s3:ACTION; Developer Guide, "Learning to use
// AWS service SDK integrations"): every S3 operation xacct serves (s3::ImplementedOperations(), ACTION being the
// operation's name in lowerCamel), made through s3::CallS3 as the execution role's session: the request S3's
// own handler receives, so authorization, the bucket's policy and the audit log are those of the wire.
// Parameters and outputs are the S3 API's members in PascalCase (the model's member names); a Body is the
// object's bytes as text (a task's result is JSON text, at most 256 KiB), and a Body given as JSON is sent
// serialized. Errors are S3.<Code>Exception with the Java SDK v2's cause form; an error with no code (a HEAD
// answer other than 404) is S3.S3Exception, as the SDK's S3Exception.
#include <algorithm>
#include <cctype>

#include "common/ids.h"
#include "services/s3/internal_call.h"
#include "services/states/integrations.h"
#include "services/states/states_internal.h"

namespace xacct::services::states {

Result<json::value> InvokeS3(TaskEnv& env, asl::TaskCall& call, std::string_view action) {
  if (env.backends.s3 == nullptr) return AwsError::Client("States.TaskFailed", "xacct runs without S3");
  const std::string operation = Pascal(action);
  const auto& served = s3::ImplementedOperations();
  if (action.empty() || !std::islower(static_cast<unsigned char>(action[0])) ||
      std::find(served.begin(), served.end(), operation) == served.end()) {
    return NotServed(call.resource,
                     "S3 has no operation " + operation + " that xacct implements (see docs/coverage/s3.md)");
  }
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::object params = call.parameters.is_object() ? call.parameters.as_object() : json::object{};
  authz::RequestInfo info;
  info.request_id = NewUuid();
  info.service = "s3";
  info.operation = operation;
  info.region = env.region;
  info.now = NowMs() / 1000;
  const std::string request_id = info.request_id;
  auto out = s3::CallS3(*env.backends.s3, *session, std::move(info), operation, params);
  if (!out) return SdkTaskError("S3", "S3", out.error(), request_id);
  return json::value(std::move(*out));
}

}  // namespace xacct::services::states
