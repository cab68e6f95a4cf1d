// The AWS SDK integration for Amazon S3 (arn:aws:states:::aws-sdk:s3:ACTION; Developer Guide, "Learning to use
// AWS service SDK integrations"): getObject, headObject, putObject, deleteObject and listObjectsV2, each made
// through S3's internal client (services/s3/object_client.h) as the execution role's session, authorized as the
// S3 operation it stands for, with the bucket's policy. Parameters and outputs are the S3 API's members in
// PascalCase; GetObject's Body is the object's bytes as text (a task's result is JSON text, at most 256 KiB).
// Errors are S3.<Code>Exception with the SDK's cause form.
#include <fstream>
#include <sstream>

#include "common/ids.h"
#include "protocol/values.h"
#include "services/s3/object_client.h"
#include "services/states/integrations.h"
#include "services/states/states_internal.h"

namespace xacct::services::states {

namespace {

AwsError S3TaskError(const AwsError& e, const std::string& request_id) {
  std::string code = e.code;
  if (!code.ends_with("Exception")) code += "Exception";
  AwsError task =
      AwsError::Client("S3." + code, e.message + " (Service: S3, Status Code: " + std::to_string(e.http_status) +
                                         ", Request ID: " + request_id + ")");
  task.detail = e.detail;
  return task;
}

std::string LastModified(int64_t ms) { return protocol::FormatIso8601(static_cast<double>(ms) / 1000.0); }

json::object Described(const s3::ObjectInfo& o) {
  json::object out;
  out["AcceptRanges"] = "bytes";
  out["ContentLength"] = o.size;
  out["ETag"] = o.etag;
  out["LastModified"] = LastModified(o.last_modified_ms);
  out["Metadata"] = json::object{};
  if (!o.version_id.empty() && o.version_id != "null") out["VersionId"] = o.version_id;
  return out;
}

Result<std::string> ReadAll(const s3::ObjectInfo& o) {
  if (o.path.empty()) return std::string();
  std::ifstream in(o.path, std::ios::binary);
  if (!in) return AwsError::Server("InternalError", "cannot read the object's bytes");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<json::value> InvokeS3(TaskEnv& env, asl::TaskCall& call, std::string_view action) {
  if (env.backends.s3 == nullptr) return AwsError::Client("States.TaskFailed", "xacct runs without S3");
  auto session = env.session->Get();
  if (!session) return session.error();
  const json::object params = call.parameters.is_object() ? call.parameters.as_object() : json::object{};
  const std::string bucket = Str(params, "Bucket");
  const std::string key = Str(params, "Key");
  s3::ObjectClient client(*env.backends.s3);
  authz::RequestInfo info;
  info.request_id = NewUuid();
  info.service = "s3";
  info.region = env.region;
  info.now = NowMs() / 1000;
  std::string explanation;
  const auto failed = [&](const AwsError& e) {
    AwsError copy = e;
    if (copy.detail.empty()) copy.detail = explanation;
    return S3TaskError(copy, info.request_id);
  };
  const auto missing = [&](std::string_view member) {
    return S3TaskError(AwsError::Client("ValidationError", "Missing required parameter: " + std::string(member)),
                       info.request_id);
  };
  if (bucket.empty()) return missing("Bucket");

  if (action == "getObject" || action == "headObject") {
    info.operation = action == "getObject" ? "GetObject" : "HeadObject";
    if (key.empty()) return missing("Key");
    auto got = client.Get(*session, info, bucket, key, &explanation);
    if (!got) return failed(got.error());
    json::object out = Described(*got);
    if (action == "getObject") {
      auto body = ReadAll(*got);
      if (!body) return failed(body.error());
      out["Body"] = std::move(*body);
    }
    return json::value(std::move(out));
  }
  if (action == "putObject") {
    info.operation = "PutObject";
    if (key.empty()) return missing("Key");
    const json::value* body = params.if_contains("Body");
    const std::string bytes =
        body == nullptr ? std::string() : (body->is_string() ? std::string(body->as_string()) : json::serialize(*body));
    const std::filesystem::path temp = env.backends.s3->blobs().temp_dir() / ("sfn-" + NewUuid());
    {
      std::ofstream out(temp, std::ios::binary);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) return failed(AwsError::Server("InternalError", "cannot stage the object's bytes"));
    }
    std::string content_type = Str(params, "ContentType");
    if (content_type.empty()) content_type = "binary/octet-stream";
    auto put = client.PutFile(*session, info, bucket, key, temp, content_type, &explanation, true);
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    if (!put) return failed(put.error());
    json::object out{{"ETag", put->etag}};
    if (!put->version_id.empty() && put->version_id != "null") out["VersionId"] = put->version_id;
    return json::value(std::move(out));
  }
  if (action == "deleteObject") {
    info.operation = "DeleteObject";
    if (key.empty()) return missing("Key");
    auto deleted = client.Delete(*session, info, bucket, key, &explanation);
    if (!deleted) return failed(deleted.error());
    json::object out;
    if (deleted->delete_marker) out["DeleteMarker"] = true;
    if (!deleted->version_id.empty() && deleted->version_id != "null") out["VersionId"] = deleted->version_id;
    return json::value(std::move(out));
  }
  if (action == "listObjectsV2") {
    info.operation = "ListObjectsV2";
    const std::string prefix = Str(params, "Prefix");
    int64_t max_keys = 1000;
    if (const auto* m = params.if_contains("MaxKeys"); m != nullptr && m->is_int64()) {
      max_keys = std::clamp<int64_t>(m->as_int64(), 0, 1000);
    }
    // The continuation token is the last key of the previous page; StartAfter works the same way.
    std::string after = Str(params, "ContinuationToken");
    if (after.empty()) after = Str(params, "StartAfter");
    auto listed = client.List(*session, info, bucket, prefix, &explanation);
    if (!listed) return failed(listed.error());
    json::array contents;
    bool truncated = false;
    std::string last;
    for (const auto& o : *listed) {
      if (!after.empty() && o.key <= after) continue;
      if (static_cast<int64_t>(contents.size()) >= max_keys) {
        truncated = true;
        break;
      }
      contents.push_back(json::object{{"ETag", o.etag},
                                      {"Key", o.key},
                                      {"LastModified", LastModified(o.last_modified_ms)},
                                      {"Size", o.size},
                                      {"StorageClass", "STANDARD"}});
      last = o.key;
    }
    json::object out;
    out["IsTruncated"] = truncated;
    out["KeyCount"] = contents.size();
    out["MaxKeys"] = max_keys;
    out["Name"] = bucket;
    out["Prefix"] = prefix;
    if (!contents.empty()) out["Contents"] = std::move(contents);
    if (truncated) out["NextContinuationToken"] = last;
    if (params.contains("ContinuationToken")) out["ContinuationToken"] = Str(params, "ContinuationToken");
    return json::value(std::move(out));
  }
  return AwsError::Client("States.TaskFailed",
                          "xacct does not serve the Task resource '" + call.resource +
                              "': its S3 SDK integration serves getObject, headObject, putObject, deleteObject and "
                              "listObjectsV2");
}

}  // namespace xacct::services::states
