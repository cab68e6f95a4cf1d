// Policy documents: what IAM accepts and what it rejects, with its MalformedPolicyDocument wording.
#include "policy/parser.h"

#include <gtest/gtest.h>

namespace xacct::policy {
namespace {

struct InvalidCase {
  const char* name;
  PolicyKind kind;
  const char* document;
  const char* message;  // IAM's words
  const char* detail;   // a piece of xacct's detail (which statement, which field)
};

class InvalidDocumentTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidDocumentTest, IsRejectedWithIamWording) {
  const auto& c = GetParam();
  auto p = ParsePolicy(c.document, {.kind = c.kind});
  ASSERT_FALSE(p.ok()) << c.name;
  EXPECT_EQ(p.error().code, "MalformedPolicyDocument");
  EXPECT_EQ(p.error().message, c.message) << c.name;
  EXPECT_NE(p.error().detail.find(c.detail), std::string::npos) << c.name << ": " << p.error().detail;
}

constexpr const char* kSyntax = "Syntax errors in policy.";

INSTANTIATE_TEST_SUITE_P(
    Documents, InvalidDocumentTest,
    testing::Values(
        InvalidCase{"not_json", PolicyKind::kIdentity, "{\"Version\":", kSyntax, "invalid JSON"},
        InvalidCase{"not_object", PolicyKind::kIdentity, "[1]", kSyntax, "not a JSON object"},
        InvalidCase{"unknown_top_field", PolicyKind::kIdentity, R"({"Version":"2012-10-17","Foo":1,"Statement":[]})",
                    kSyntax, "\"Foo\""},
        InvalidCase{"bad_version", PolicyKind::kIdentity,
                    R"({"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})",
                    kSyntax, "Version"},
        InvalidCase{"no_statement", PolicyKind::kIdentity, R"({"Version":"2012-10-17"})", kSyntax, "Statement"},
        InvalidCase{"empty_statement", PolicyKind::kIdentity, R"({"Version":"2012-10-17","Statement":[]})", kSyntax,
                    "empty"},
        InvalidCase{"bad_effect", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]})", kSyntax, "Statement[0]"},
        InvalidCase{"lowercase_effect", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]})",
                    "The policy failed legacy parsing", "Effect"},
        InvalidCase{"no_action", PolicyKind::kIdentity, R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})",
                    "Policy statement must contain actions.", "Statement[0]"},
        InvalidCase{"action_and_notaction", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]})",
                    kSyntax, "NotAction"},
        InvalidCase{"no_resource", PolicyKind::kIdentity,
                    R"({"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*"}]})",
                    "Policy statement must contain resources.", "Sid \"A\""},
        InvalidCase{"resource_not_arn", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"my-bucket"}]})",
                    "Resource my-bucket must be in ARN format or \"*\".", "my-bucket"},
        InvalidCase{"no_vendor", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]})",
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", "GetObject"},
        InvalidCase{"two_colons", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}]})",
                    "Actions/Condition can contain only one colon.", "s3:Get:Object"},
        InvalidCase{"identity_with_principal", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})",
                    "Policy document should not specify a principal.", "Statement[0]"},
        InvalidCase{"resource_without_principal", PolicyKind::kResource,
                    R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})",
                    "Missing required field Principal", "Principal"},
        InvalidCase{
            "trust_with_resource", PolicyKind::kTrust,
            R"({"Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]})",
            "Has prohibited field Resource", "trust"},
        InvalidCase{"bad_principal", PolicyKind::kResource,
                    R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:*","Resource":"*"}]})",
                    "Invalid principal in policy: \"AWS\":\"bob\"", "bob"},
        InvalidCase{"unknown_principal_type", PolicyKind::kResource,
                    R"({"Statement":[{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"s3:*","Resource":"*"}]})",
                    "Invalid principal in policy: \"Robot\":\"x\"", "x"},
        InvalidCase{
            "unknown_operator", PolicyKind::kIdentity,
            R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}]})",
            kSyntax, "StringEqualz"},
        InvalidCase{
            "null_if_exists", PolicyKind::kIdentity,
            R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}]})",
            kSyntax, "NullIfExists"},
        InvalidCase{
            "object_condition_value", PolicyKind::kIdentity,
            R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}}]})",
            kSyntax, "aws:username"},
        InvalidCase{
            "duplicate_sid", PolicyKind::kIdentity,
            R"({"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]})",
            "Statement IDs (SID) in a single policy must be unique.", "\"A\""},
        InvalidCase{"unknown_statement_field", PolicyKind::kIdentity,
                    R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Actions":"s3:*"}]})", kSyntax,
                    "\"Actions\""},
        InvalidCase{"rcp_allow", PolicyKind::kRcp,
                    R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})", kSyntax,
                    "only have Deny"}),
    [](const testing::TestParamInfo<InvalidCase>& info) { return std::string(info.param.name); });

TEST(ParserTest, AcceptsUnusualButValidForms) {
  const char* documents[] = {
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})",
      R"({"Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]})",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*",
          "Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10}}}]})",
      R"({"Version":"2008-10-17","Id":"x","Statement":[{"Sid":"1","Effect":"Deny","Action":"*","Resource":"*"}]})",
  };
  for (const char* doc : documents) {
    auto p = ParsePolicy(doc, {.kind = PolicyKind::kIdentity});
    EXPECT_TRUE(p.ok()) << doc << ": " << (p.ok() ? "" : p.error().message + " " + p.error().detail);
  }
  auto trust = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:root"],"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
      {.kind = PolicyKind::kTrust});
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->statements[0].principal.entries.size(), 3U);
  EXPECT_FALSE(trust->statements[0].has_resource);
}

TEST(ParserTest, SizeIgnoresWhiteSpace) {
  EXPECT_EQ(PolicySize("{ \"a\" :\n\t1 }"), 7U);
  EXPECT_TRUE(CheckPolicySize(std::string(7000, ' ') + "{}", 6144, "PolicySize").ok());
  auto too_big = CheckPolicySize(std::string(6145, 'x'), 6144, "PolicySize");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, "LimitExceeded");
  EXPECT_EQ(too_big.error().message, "Cannot exceed quota for PolicySize: 6144");
}

}  // namespace
}  // namespace xacct::policy
