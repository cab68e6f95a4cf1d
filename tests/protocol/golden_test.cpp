// Golden request/response exchanges (tests/protocol/golden/*.json): each case names its source (an
// AWS document, an AWS answer a real client printed, or a real client's bytes) and is one of
//   {"form": "Action=...&..."}            a query request -> "input" (JSON) or "error"
//   {"json_body": {...} or "text"}        a JSON protocol request -> "input" or "error"
//   {"output": {...}}                     a response -> "xml" (query) or "json" (JSON protocol) text
//   {"aws_error": {"code","message","status","sender"}} -> "xml" or "json" error body
// with "service", "operation" and, for errors, {"code","status","message" | "message_endswith"}.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "common/json.h"
#include "model/service_model.h"
#include "protocol/form.h"
#include "protocol/json_protocol.h"
#include "protocol/query.h"

namespace {

using namespace xacct;

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr ? std::string(JsonString(*v)) : std::string();
}

void CheckError(const json::object& expected, const AwsError& actual, const std::string& name) {
  EXPECT_EQ(actual.code, Field(expected, "code")) << name;
  if (const json::value* status = expected.if_contains("status")) {
    EXPECT_EQ(actual.http_status, status->to_number<int>()) << name;
  }
  if (expected.contains("message")) {
    EXPECT_EQ(actual.message, Field(expected, "message")) << name;
  }
  if (expected.contains("message_endswith")) {
    const std::string suffix = Field(expected, "message_endswith");
    EXPECT_TRUE(actual.message.size() >= suffix.size() &&
                actual.message.compare(actual.message.size() - suffix.size(), suffix.size(), suffix) == 0)
        << name << "\n  message: " << actual.message << "\n  expected to end with: " << suffix;
  }
}

template <typename T>
void CheckDecoded(const json::object& c, const Result<T>& result, const std::string& name) {
  if (const json::value* error = c.if_contains("error")) {
    ASSERT_FALSE(result.ok()) << name << " decoded to " << json::serialize(result.value());
    CheckError(error->as_object(), result.error(), name);
    return;
  }
  ASSERT_TRUE(result.ok()) << name << ": " << result.error().code << " " << result.error().message;
  EXPECT_EQ(json::serialize(*result), json::serialize(c.at("input"))) << name;
}

void RunCase(const json::object& c, const std::string& file) {
  const std::string name = file + ": " + Field(c, "name");
  ASSERT_FALSE(Field(c, "source").empty()) << name << " says nowhere where its expectation comes from";
  const model::ServiceModel* service = model::ServiceModel::Find(Field(c, "service"));
  ASSERT_NE(service, nullptr) << name;
  const model::Operation* op = service->FindOperation(Field(c, "operation"));
  const bool query = service->protocol() == model::Protocol::kQuery;
  const std::string request_id = c.contains("request_id") ? Field(c, "request_id") : "req-1";
  if (c.contains("aws_error")) {
    const json::object& e = c.at("aws_error").as_object();
    AwsError error{Field(e, "code"), Field(e, "message"), e.at("status").to_number<int>(), e.at("sender").as_bool()};
    const std::string body =
        query ? protocol::EncodeQueryError(*service, error, request_id) : protocol::EncodeJsonError(*service, error);
    EXPECT_EQ(body, Field(c, query ? "xml" : "json")) << name;
    return;
  }
  ASSERT_NE(op, nullptr) << name;
  if (c.contains("form")) {
    auto form = protocol::DecodeForm(Field(c, "form"));
    if (!form.ok()) {
      CheckDecoded(c, Result<json::value>(form.error()), name);
      return;
    }
    CheckDecoded(c, protocol::DecodeQueryInput(*service, *op, *form), name);
  } else if (c.contains("json_body")) {
    const json::value& body = c.at("json_body");
    const std::string text = body.is_string() ? std::string(JsonString(body)) : json::serialize(body);
    CheckDecoded(c, protocol::DecodeJsonInput(*service, *op, text), name);
  } else if (c.contains("output")) {
    if (query) {
      EXPECT_EQ(protocol::EncodeQueryResponse(*service, *op, c.at("output"), request_id), Field(c, "xml")) << name;
    } else {
      EXPECT_EQ(protocol::EncodeJsonResponse(*service, *op, c.at("output")), json::serialize(c.at("json"))) << name;
    }
  } else {
    ADD_FAILURE() << name << " is neither a request nor a response";
  }
}

struct GoldenCase {
  std::string file;
  json::object c;
};

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  const std::filesystem::path dir = std::filesystem::path(XACCT_SOURCE_DIR) / "tests/protocol/golden";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = ParseJson(text.str());
    if (!doc.ok()) throw std::runtime_error(path.string() + ": " + doc.error().message);
    for (const json::value& c : doc->at("cases").as_array()) cases.push_back({path.stem().string(), c.as_object()});
  }
  return cases;
}

class GoldenTest : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, ExchangeMatches) { RunCase(GetParam().c, GetParam().file); }

std::string CaseName(const testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.file + "_" + Field(info.param.c, "name");
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, testing::ValuesIn(LoadCases()), CaseName);

}  // namespace
