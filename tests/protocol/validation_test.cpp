// Constraint validation and the scalar conversions behind it: how AWS's validators word a broken
// constraint, name a member, and echo a value (sources in tests/protocol/golden/validation.json).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/service_model.h"
#include "protocol/validate.h"
#include "protocol/values.h"

namespace {

using namespace xacct;
using protocol::ValidationStyle;

std::vector<std::string> Validate(const char* service, const char* operation, const char* input,
                                  ValidationStyle style = {}) {
  const auto* model = model::ServiceModel::Find(service);
  const auto* op = model->FindOperation(operation);
  std::vector<std::string> errors;
  protocol::ValidateStructure(*op->input, json::parse(input).as_object(), "", style, &errors);
  return errors;
}

TEST(ValidationTest, MissingRequiredMembersAreNull) {
  EXPECT_EQ(Validate("iam", "CreateRole", "{}"),
            (std::vector<std::string>{
                "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
                "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"}));
}

TEST(ValidationTest, ConstraintsOfOneMemberComeInAwsOrder) {
  // STS answered "Value '' at 'roleArn'": the pattern first, then the length.
  const auto errors = Validate("sts", "AssumeRole", R"({"RoleArn":"","RoleSessionName":"s1"})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("Member must satisfy regular expression pattern"), std::string::npos);
  EXPECT_NE(errors[1].find("Member must have length greater than or equal to 20"), std::string::npos);
}

TEST(ValidationTest, NumbersAreEchoedOnlyWhereAwsEchoesThem) {
  EXPECT_EQ(
      Validate("iam", "CreateRole", R"({"RoleName":"r","AssumeRolePolicyDocument":"{}","MaxSessionDuration":1000000})",
               ValidationStyle{.echo_numbers = false}),
      (std::vector<std::string>{"Value at 'maxSessionDuration' failed to satisfy constraint: Member must have "
                                "value less than or equal to 43200"}));
  EXPECT_EQ(Validate("dynamodb", "Query", R"({"TableName":"tbl","Limit":0})"),
            (std::vector<std::string>{"Value '0' at 'limit' failed to satisfy constraint: Member must have value "
                                      "greater than or equal to 1"}));
}

TEST(ValidationTest, SensitiveValuesAreNotEchoed) {
  const auto errors = Validate("iam", "CreateLoginProfile", R"({"UserName":"alice","Password":""})");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind("Value at 'password' failed to satisfy constraint: ", 0), 0u) << errors[0];
}

TEST(ValidationTest, NestedMembersAndListElementsHavePaths) {
  const auto errors = Validate("dynamodb", "CreateTable",
                               R"({"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
          "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"x","AttributeType":"X"}]})");
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "Value 'X' at 'attributeDefinitions.2.member.attributeType' failed to satisfy constraint: "
                        "Member must satisfy enum value set: [B, N, S]"}));
  EXPECT_EQ(Validate("iam", "TagRole", R"({"RoleName":"r","Tags":[{"Key":"k"}]})"),
            (std::vector<std::string>{
                "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"}));
}

TEST(ValidationTest, ScalarListsAndMapsFailAsAWhole) {
  EXPECT_EQ(Validate("iam", "GetAccountAuthorizationDetails", R"({"Filter":["User","Bogus"]})"),
            (std::vector<std::string>{"Value '[User, Bogus]' at 'filter' failed to satisfy constraint: Member must "
                                      "satisfy constraint: [Member must satisfy enum value set: [AWSManagedPolicy, "
                                      "Group, LocalManagedPolicy, Role, User]]"}));
  EXPECT_EQ(Validate("glue", "CreateDatabase", R"({"DatabaseInput":{"Name":"db"},"Tags":{"":"v"}})"),
            (std::vector<std::string>{"Value '{=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy "
                                      "constraint: [Member must have length less than or equal to 128, Member must "
                                      "have length greater than or equal to 1]"}));
}

TEST(ValidationTest, FailureCountsItsViolations) {
  EXPECT_EQ(protocol::ValidationFailure("ValidationError", {"a"}).message, "1 validation error detected: a");
  const AwsError two = protocol::ValidationFailure("ValidationException", {"a", "b"});
  EXPECT_EQ(two.message, "2 validation errors detected: a; b");
  EXPECT_EQ(two.code, "ValidationException");
  EXPECT_EQ(two.http_status, 400);
  EXPECT_TRUE(two.sender_fault);
}

TEST(ValuesTest, TimestampsReadAndWriteAsAwsDoes) {
  EXPECT_EQ(protocol::ParseIso8601("2024-05-01T12:00:00Z"), 1714564800.0);
  EXPECT_EQ(protocol::ParseIso8601("2024-05-01T14:00:00+02:00"), 1714564800.0);
  EXPECT_EQ(protocol::ParseIso8601("2024-05-01T12:00:00.250Z"), 1714564800.25);
  EXPECT_EQ(protocol::ParseIso8601("2024-05-01"), 1714521600.0);
  EXPECT_EQ(protocol::ParseIso8601("1969-12-31T23:59:59Z"), -1.0);
  for (const char* bad : {"", "2024-02-30T00:00:00Z", "2024-05-01T25:00:00Z", "2024-05-01X", "yesterday"}) {
    EXPECT_FALSE(protocol::ParseIso8601(bad)) << bad;
  }
  EXPECT_EQ(protocol::ParseRfc822("Wed, 01 May 2024 12:00:00 GMT"), 1714564800.0);
  EXPECT_EQ(protocol::FormatIso8601(1714564800), "2024-05-01T12:00:00Z");
  EXPECT_EQ(protocol::FormatIso8601(1714564800.5), "2024-05-01T12:00:00.500Z");
  EXPECT_EQ(protocol::FormatIso8601(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(protocol::FormatRfc822(1714564800), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(protocol::TimestampSeconds(json::value(1714564800)), 1714564800.0);
  EXPECT_EQ(protocol::TimestampSeconds(json::value("1714564800")), 1714564800.0);
  EXPECT_EQ(protocol::TimestampSeconds(json::value("2024-05-01T12:00:00Z")), 1714564800.0);
  EXPECT_FALSE(protocol::TimestampSeconds(json::value(true)));
}

TEST(ValuesTest, Base64RoundTrips) {
  for (const std::string& bytes :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(protocol::Base64Decode(protocol::Base64Encode(bytes)), bytes);
  }
  EXPECT_EQ(protocol::Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(protocol::Base64Decode("Zm9vYg"), "foob");  // padding optional
  EXPECT_FALSE(protocol::Base64Decode("Zm9v!"));
  EXPECT_FALSE(protocol::Base64Decode("Z"));
}

TEST(ValuesTest, NumbersAndNames) {
  EXPECT_EQ(protocol::JavaDouble(1), "1.0");
  EXPECT_EQ(protocol::JavaDouble(0.5), "0.5");
  EXPECT_EQ(protocol::JavaDouble(1e10), "1.0E10");
  EXPECT_EQ(protocol::JavaDouble(1.5e-7), "1.5E-7");
  EXPECT_EQ(protocol::FormatDouble(1.5), "1.5");
  EXPECT_EQ(protocol::FormatDouble(100), "100");
  EXPECT_EQ(protocol::ValidationName("RoleName"), "roleName");
  EXPECT_EQ(protocol::ValidationName("SSESpecification"), "sSESpecification");
  EXPECT_EQ(protocol::ParseInteger("-12", -100, 100), -12);
  EXPECT_FALSE(protocol::ParseInteger("+1", -100, 100));
  EXPECT_FALSE(protocol::ParseInteger("101", -100, 100));
  EXPECT_FALSE(protocol::ParseInteger("1.0", -100, 100));
  EXPECT_EQ(protocol::ParseDecimal("1e3"), 1000.0);
  EXPECT_FALSE(protocol::ParseDecimal("nan"));
}

TEST(ValuesTest, XmlEscapingKeepsTextReadable) {
  EXPECT_EQ(protocol::XmlEscape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(protocol::XmlEscape("line\r\nnext\ttab"), "line&#xD;\nnext\ttab");
  EXPECT_EQ(protocol::XmlEscape(std::string("nul\0bell\x07", 9)), "nulbell");  // not representable in XML 1.0
  EXPECT_EQ(protocol::XmlEscape("caf\xC3\xA9 \xFF"), "caf\xC3\xA9 \xEF\xBF\xBD");
}

}  // namespace
