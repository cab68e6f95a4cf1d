// The AWS query protocol codec: request keys as botocore's QuerySerializer writes them, responses as
// botocore's QueryParser reads them (the round trips through real clients are in roundtrip_test.py).
#include <gtest/gtest.h>

#include "model/service_model.h"
#include "protocol/form.h"
#include "protocol/query.h"

namespace {

using namespace xacct;

Result<json::value> Decode(const char* service, const char* operation, const char* form) {
  const auto* model = model::ServiceModel::Find(service);
  auto params = protocol::DecodeForm(form);
  EXPECT_TRUE(params.ok());
  return protocol::DecodeQueryInput(*model, *model->FindOperation(operation), *params);
}

std::string Encode(const char* service, const char* operation, const char* output) {
  const auto* model = model::ServiceModel::Find(service);
  return protocol::EncodeQueryResponse(*model, *model->FindOperation(operation), json::parse(output), "rid");
}

TEST(QueryDecodeTest, StructuresListsAndScalarsFollowTheInputShape) {
  auto input = Decode("iam", "CreateRole",
                      "Action=CreateRole&Version=2010-05-08&RoleName=r1&Path=%2Fapp%2F"
                      "&AssumeRolePolicyDocument=%7B%7D&MaxSessionDuration=3600"
                      "&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1"
                      "&Unknown=ignored");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(*input),
            R"({"Path":"/app/","RoleName":"r1","AssumeRolePolicyDocument":"{}","MaxSessionDuration":3600,)"
            R"("Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]})");
}

TEST(QueryDecodeTest, ListIndexesAreOrderedNumerically) {
  auto input = Decode("iam", "GetAccountAuthorizationDetails",
                      "Filter.member.10=Role&Filter.member.2=Group&Filter.member.1=User&Filter.member.x=Bad");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(input->at("Filter")), R"(["User","Group","Role"])");
}

TEST(QueryDecodeTest, EmptyListsTravelAsAnEmptyValue) {
  auto input = Decode("iam", "GetAccountAuthorizationDetails", "Filter=");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(*input), R"({"Filter":[]})");
}

TEST(QueryDecodeTest, MapsComeFromEntries) {
  // The one map in a query service's input: CloudFormation's ResourceToImport.ResourceIdentifier.
  auto input = Decode("cloudformation", "CreateChangeSet",
                      "StackName=s&ChangeSetName=c&ChangeSetType=IMPORT"
                      "&ResourcesToImport.member.1.ResourceType=AWS%3A%3AS3%3A%3ABucket"
                      "&ResourcesToImport.member.1.LogicalResourceId=Bucket"
                      "&ResourcesToImport.member.1.ResourceIdentifier.entry.1.key=BucketName"
                      "&ResourcesToImport.member.1.ResourceIdentifier.entry.1.value=my-bucket"
                      "&ResourcesToImport.member.1.ResourceIdentifier.entry.2.key=Region"
                      "&ResourcesToImport.member.1.ResourceIdentifier.entry.2.value=us-east-1");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(input->at("ResourcesToImport")),
            R"([{"ResourceType":"AWS::S3::Bucket","LogicalResourceId":"Bucket",)"
            R"("ResourceIdentifier":{"BucketName":"my-bucket","Region":"us-east-1"}}])");
}

TEST(QueryDecodeTest, BooleansAndIntegersAreTyped) {
  auto input = Decode("cloudformation", "CreateStack",
                      "StackName=s&TemplateBody=%7B%7D&Parameters.member.1.ParameterKey=Env"
                      "&Parameters.member.1.ParameterValue=prod&Capabilities.member.1=CAPABILITY_IAM"
                      "&DisableRollback=true&TimeoutInMinutes=5");
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(json::serialize(input->at("Parameters")), R"([{"ParameterKey":"Env","ParameterValue":"prod"}])");
  EXPECT_EQ(input->at("DisableRollback"), json::value(true));
  EXPECT_EQ(input->at("TimeoutInMinutes"), json::value(5));
  EXPECT_EQ(json::serialize(input->at("Capabilities")), R"(["CAPABILITY_IAM"])");
}

TEST(QueryDecodeTest, OperationsWithoutMembersDecodeToAnEmptyObject) {
  auto get = Decode("iam", "GetCredentialReport", "Action=GetCredentialReport&Version=2010-05-08");
  ASSERT_TRUE(get.ok()) << get.error().message;
  EXPECT_EQ(json::serialize(*get), "{}");
}

// Query traits that IAM, STS and CloudFormation inputs do not use, in a model of their own.
constexpr const char* kTraitsModel = R"({
  "metadata": {"protocol": "query", "endpointPrefix": "traits", "apiVersion": "2020-01-01",
               "xmlNamespace": "https://traits.example/doc/"},
  "operations": {"Op": {"name": "Op", "input": {"shape": "In"},
                        "output": {"shape": "In", "resultWrapper": "OpResult"}}},
  "shapes": {
    "In": {"type": "structure", "members": {
      "When": {"shape": "Time"}, "Epoch": {"shape": "Time", "timestampFormat": "unixTimestamp"},
      "Data": {"shape": "Bytes"}, "Ratio": {"shape": "Ratio"}, "Big": {"shape": "Big"},
      "Flat": {"shape": "FlatList"}, "Named": {"shape": "NamedList", "locationName": "NamedItems"},
      "Renamed": {"shape": "FlatNamedList"}, "Attrs": {"shape": "Attrs"}, "FlatAttrs": {"shape": "FlatAttrs"}}},
    "Time": {"type": "timestamp"}, "Bytes": {"type": "blob"}, "Ratio": {"type": "double"}, "Big": {"type": "long"},
    "Str": {"type": "string"},
    "FlatList": {"type": "list", "member": {"shape": "Str"}, "flattened": true},
    "NamedList": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
    "FlatNamedList": {"type": "list", "member": {"shape": "Str", "locationName": "Item"}, "flattened": true},
    "Attrs": {"type": "map", "key": {"shape": "Str", "locationName": "Name"}, "value": {"shape": "Str", "locationName": "Val"}},
    "FlatAttrs": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}, "flattened": true}}})";

TEST(QueryDecodeTest, SerializationTraitsAsBotocoreWritesThem) {
  auto model = model::ServiceModel::Parse(kTraitsModel);
  auto params = protocol::DecodeForm(
      "When=2024-05-01T12%3A00%3A00Z&Epoch=1714564800&Data=AP8Q&Ratio=0.25&Big=9007199254740993"
      "&Flat.1=a&Flat.2=b&NamedItems.item.1=x&Item.1=renamed"
      "&Attrs.entry.1.Name=k&Attrs.entry.1.Val=v&FlatAttrs.1.key=fk&FlatAttrs.1.value=fv");
  ASSERT_TRUE(params.ok());
  auto input = protocol::DecodeQueryInput(*model, *model->FindOperation("Op"), *params);
  ASSERT_TRUE(input.ok()) << input.error().message;
  EXPECT_EQ(input->at("When"), json::value("2024-05-01T12:00:00Z"));
  EXPECT_EQ(input->at("Epoch"), json::value("1714564800"));
  EXPECT_EQ(input->at("Data"), json::value(std::string("\0\xff\x10", 3)));
  EXPECT_EQ(input->at("Ratio"), json::value(0.25));
  EXPECT_EQ(input->at("Big"), json::value(int64_t{9007199254740993}));
  EXPECT_EQ(json::serialize(input->at("Flat")), R"(["a","b"])");
  EXPECT_EQ(json::serialize(input->at("Named")), R"(["x"])");
  EXPECT_EQ(json::serialize(input->at("Renamed")), R"(["renamed"])");
  EXPECT_EQ(json::serialize(input->at("Attrs")), R"({"k":"v"})");
  EXPECT_EQ(json::serialize(input->at("FlatAttrs")), R"({"fk":"fv"})");

  const std::string xml = protocol::EncodeQueryResponse(*model, *model->FindOperation("Op"), *input, "r");
  EXPECT_NE(xml.find("<When>2024-05-01T12:00:00Z</When>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Epoch>1714564800</Epoch>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Data>AP8Q</Data>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Flat>a</Flat>\n    <Flat>b</Flat>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<NamedItems>\n      <item>x</item>\n    </NamedItems>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Item>renamed</Item>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<entry>\n        <Name>k</Name>\n        <Val>v</Val>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<FlatAttrs>\n      <key>fk</key>\n      <value>fv</value>\n    </FlatAttrs>"), std::string::npos)
      << xml;

  auto bad = protocol::DecodeForm("When=yesterday&Data=%21%21");
  auto rejected = protocol::DecodeQueryInput(*model, *model->FindOperation("Op"), *bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().message,
            "2 validation errors detected: Value 'yesterday' at 'when' failed to satisfy constraint: Member must be a "
            "timestamp; Value '!!' at 'data' failed to satisfy constraint: Member must be base64 encoded");
}

TEST(QueryDecodeTest, ValuesThatAreNotTheirTypeAreValidationErrors) {
  auto input =
      Decode("sts", "AssumeRole", "RoleArn=arn:aws:iam::123456789012:role/demo&RoleSessionName=s&DurationSeconds=1h");
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.error().code, "ValidationError");
  EXPECT_EQ(input.error().message,
            "1 validation error detected: Value '1h' at 'durationSeconds' failed to satisfy constraint: Member must "
            "be an integer");
  auto flag = Decode("cloudformation", "CreateStack", "StackName=s&DisableRollback=yes");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.error().message.find("Member must be a boolean"), std::string::npos);
}

TEST(QueryEncodeTest, ResponsesAreWrappedAndTyped) {
  EXPECT_EQ(Encode("sts", "AssumeRole", R"({
      "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s<&>", "SessionToken": "t",
                      "Expiration": 1714568400},
      "AssumedRoleUser": {"AssumedRoleId": "AROA:s", "Arn": "arn:aws:sts::123456789012:assumed-role/r/s"},
      "PackedPolicySize": 6, "NotInModel": "dropped"})"),
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <AssumeRoleResult>\n"
            "    <Credentials>\n"
            "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
            "      <SecretAccessKey>s&lt;&amp;&gt;</SecretAccessKey>\n"
            "      <SessionToken>t</SessionToken>\n"
            "      <Expiration>2024-05-01T13:00:00Z</Expiration>\n"
            "    </Credentials>\n"
            "    <AssumedRoleUser>\n"
            "      <AssumedRoleId>AROA:s</AssumedRoleId>\n"
            "      <Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>\n"
            "    </AssumedRoleUser>\n"
            "    <PackedPolicySize>6</PackedPolicySize>\n"
            "  </AssumeRoleResult>\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>rid</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</AssumeRoleResponse>\n");
}

TEST(QueryEncodeTest, OperationsWithoutOutputCarryOnlyMetadata) {
  EXPECT_EQ(Encode("iam", "DeleteRole", "{}"),
            "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>rid</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</DeleteRoleResponse>\n");
}

TEST(QueryEncodeTest, ListsMapsAndBooleans) {
  const std::string xml = Encode("iam", "GetAccountSummary", R"({"SummaryMap": {"Users": 2, "Roles": 5}})");
  EXPECT_NE(xml.find("    <SummaryMap>\n      <entry>\n        <key>Users</key>\n        <value>2</value>\n"
                     "      </entry>\n"),
            std::string::npos)
      << xml;
  const std::string roles = Encode("iam", "ListRoles", R"({"Roles": [], "IsTruncated": false})");
  EXPECT_NE(roles.find("<Roles>\n    </Roles>\n    <IsTruncated>false</IsTruncated>"), std::string::npos) << roles;
}

TEST(QueryEncodeTest, ErrorsNameTheirFault) {
  const auto* iam = model::ServiceModel::Find("iam");
  EXPECT_EQ(protocol::EncodeQueryError(
                *iam, AwsError::Client("NoSuchEntity", "The role with name x cannot be found.", 404), "rid"),
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <Error>\n"
            "    <Type>Sender</Type>\n"
            "    <Code>NoSuchEntity</Code>\n"
            "    <Message>The role with name x cannot be found.</Message>\n"
            "  </Error>\n"
            "  <RequestId>rid</RequestId>\n"
            "</ErrorResponse>\n");
  EXPECT_NE(
      protocol::EncodeQueryError(*iam, AwsError::Server("ServiceFailure", "boom"), "rid").find("<Type>Receiver</Type>"),
      std::string::npos);
}

}  // namespace
