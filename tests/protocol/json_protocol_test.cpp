// The AWS JSON 1.0/1.1 codec: bodies as botocore's JSONSerializer writes them, responses and errors
// as botocore's JSONParser reads them (the round trips through real clients are in roundtrip_test.py).
#include <gtest/gtest.h>

#include "model/service_model.h"
#include "protocol/json_protocol.h"

namespace {

using namespace xacct;

Result<json::value> Decode(const char* service, const char* operation, std::string_view body) {
  const auto* model = model::ServiceModel::Find(service);
  return protocol::DecodeJsonInput(*model, *model->FindOperation(operation), body);
}

std::string Encode(const char* service, const char* operation, const char* output) {
  const auto* model = model::ServiceModel::Find(service);
  return protocol::EncodeJsonResponse(*model, *model->FindOperation(operation), json::parse(output));
}

TEST(JsonDecodeTest, BodiesAreTypedAndUnknownMembersDropped) {
  auto input = Decode("glue", "GetTable", R"({"CatalogId":"111111111111","DatabaseName":"db","Name":"sales",
                                             "Extra":1,"VersionId":null})");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(*input), R"({"CatalogId":"111111111111","DatabaseName":"db","Name":"sales"})");
}

TEST(JsonDecodeTest, EmptyBodiesAreEmptyObjects) {
  for (const char* body : {"", " \n", "{}"}) {
    auto input = Decode("organizations", "DescribeOrganization", body);
    ASSERT_TRUE(input.ok()) << body;
    EXPECT_EQ(json::serialize(*input), "{}");
  }
  auto missing = Decode("states", "DescribeStateMachine", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must "
            "not be null");
}

TEST(JsonDecodeTest, BlobsAreDecodedAndTimestampsKept) {
  auto input = Decode("dynamodb", "PutItem", R"({"TableName":"tbl","Item":{"id":{"B":"AP8Q"},"n":{"N":"1"}}})");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(input->at("Item").at("id").at("B"), json::value(std::string("\0\xff\x10", 3)));
  auto bad = Decode("dynamodb", "PutItem", R"({"TableName":"tbl","Item":{"id":{"B":"!!"}}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "SerializationException");
  auto times = Decode("athena", "ListQueryExecutions", R"({"WorkGroup":"primary"})");
  ASSERT_TRUE(times.ok());
  auto restore = Decode("dynamodb", "RestoreTableToPointInTime",
                        R"({"TargetTableName":"tbl2","SourceTableName":"tbl","RestoreDateTime":1714564800.5})");
  ASSERT_TRUE(restore.ok()) << restore.error().message;
  EXPECT_EQ(restore->at("RestoreDateTime"), json::value(1714564800.5));
}

struct WrongType {
  const char* body;
  const char* message;
};

TEST(JsonDecodeTest, WrongTypesAreSerializationExceptions) {
  constexpr WrongType kCases[] = {
      {R"({"TableName":5})", "NUMBER_VALUE cannot be converted to String"},
      {R"({"TableName":"tbl","Limit":"5"})", "STRING_VALUE cannot be converted to Integer"},
      {R"({"TableName":"tbl","Limit":2147483648})", "NUMBER_VALUE cannot be converted to Integer"},
      {R"({"TableName":"tbl","ConsistentRead":"true"})", "STRING_VALUE cannot be converted to Boolean"},
      {R"({"TableName":{"a":1}})", "Start of structure or map found where not expected."},
      {R"({"TableName":["t"]})", "Start of list found where not expected"},
      {R"({"TableName":"tbl","AttributesToGet":"a"})", "STRING_VALUE cannot be converted to List"},
      {R"([1])", "Start of list found where not expected"},
  };
  for (const WrongType& c : kCases) {
    auto input = Decode("dynamodb", "Query", c.body);
    ASSERT_FALSE(input.ok()) << c.body;
    EXPECT_EQ(input.error().code, "SerializationException") << c.body;
    EXPECT_EQ(input.error().message, c.message) << c.body;
    EXPECT_EQ(input.error().http_status, 400);
  }
  auto integral = Decode("dynamodb", "Query", R"({"TableName":"tbl","Limit":5.0})");
  ASSERT_TRUE(integral.ok());
  EXPECT_EQ(integral->at("Limit"), json::value(5));
  auto not_json = Decode("dynamodb", "Query", "{\"TableName\":");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, "SerializationException");
}

TEST(JsonEncodeTest, OutputsFollowTheShape) {
  EXPECT_EQ(Encode("dynamodb", "DescribeTable",
                   R"({"Table":{"TableName":"tbl","CreationDateTime":"2024-05-01T12:00:00Z","ItemCount":3,
                               "TableStatus":"ACTIVE","Unknown":true}})"),
            R"({"Table":{"TableName":"tbl","TableStatus":"ACTIVE","CreationDateTime":1714564800,"ItemCount":3}})");
  EXPECT_EQ(Encode("dynamodb", "GetItem", R"({"Item":{"id":{"B":"\u0000\u00ff"}}})"),
            R"({"Item":{"id":{"B":"AMO/"}}})");
  EXPECT_EQ(Encode("athena", "GetQueryExecution",
                   R"({"QueryExecution":{"Status":{"SubmissionDateTime":1714564800.25,"State":"SUCCEEDED"}}})"),
            R"({"QueryExecution":{"Status":{"State":"SUCCEEDED","SubmissionDateTime":1.71456480025E9}}})");
  EXPECT_EQ(Encode("organizations", "DeleteOrganization", "{}"), "{}");
  EXPECT_EQ(Encode("glue", "GetTable", "[]"), "{}");
}

TEST(JsonEncodeTest, ErrorsCarryTypeAndMessage) {
  const auto* orgs = model::ServiceModel::Find("organizations");
  const AwsError not_in_use =
      AwsError::Client("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
  EXPECT_EQ(
      protocol::EncodeJsonError(*orgs, not_in_use),
      R"({"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."})");
  const auto response = protocol::MakeJsonErrorResponse(*orgs, not_in_use);
  EXPECT_EQ(response.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(response.error_type, "AWSOrganizationsNotInUseException");
  EXPECT_EQ(response.http_status, 400);

  const auto* dynamodb = model::ServiceModel::Find("dynamodb");
  EXPECT_EQ(
      protocol::EncodeJsonError(*dynamodb,
                                AwsError::Client("ResourceNotFoundException", "Requested resource not found")),
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})");
  EXPECT_EQ(protocol::JsonContentType(*dynamodb), "application/x-amz-json-1.0");
  EXPECT_EQ(protocol::EncodeJsonError(*dynamodb, AwsError::Client("ValidationException", "x")),
            R"({"__type":"com.amazon.coral.validate#ValidationException","message":"x"})");
  // DynamoDB's structured error members arrive as JSON text and go out as JSON.
  AwsError failed = AwsError::Client("ConditionalCheckFailedException", "The conditional request failed");
  failed.fields.emplace_back("Item", R"({"id":{"S":"a"}})");
  EXPECT_EQ(protocol::EncodeJsonError(*dynamodb, failed),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
            R"("message":"The conditional request failed","Item":{"id":{"S":"a"}}})");
}

}  // namespace
