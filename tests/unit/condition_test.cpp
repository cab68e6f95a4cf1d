// Condition operators (IAM User Guide: "Condition operators", "Single-valued vs. multivalued context keys").
#include "policy/condition.h"

#include <gtest/gtest.h>

#include <cctype>

namespace xacct::policy {
namespace {

struct ConditionCase {
  const char* op;
  const char* key;
  std::vector<std::string> values;
  bool expected;
};

Context SampleContext() {
  Context ctx;
  ctx.Set("aws:username", "carlos");
  ctx.Set("aws:SourceIp", "203.0.113.7");
  ctx.Set("aws:SourceIpV6", "2001:db8::1");
  ctx.Set("aws:SecureTransport", "true");
  ctx.Set("aws:EpochTime", "1700000000");
  ctx.Set("aws:CurrentTime", "2024-05-01T12:00:00Z");
  ctx.Set("s3:max-keys", "10");
  ctx.Set("aws:SourceArn", "arn:aws:s3:::my-bucket");
  ctx.Set("aws:PrincipalArn", "arn:aws:iam::111111111111:role/path/Admin");
  ctx.SetMulti("aws:TagKeys", {"team", "cost"});
  ctx.SetMulti("aws:CalledVia", {});
  return ctx;
}

class ConditionTest : public testing::TestWithParam<ConditionCase> {};

TEST_P(ConditionTest, Evaluates) {
  const auto& c = GetParam();
  const auto op = Operator::Parse(c.op);
  ASSERT_TRUE(op.has_value()) << c.op;
  const Condition cond = Condition::Make(c.op, *op, c.key, c.values, true);
  EXPECT_EQ(cond.Evaluate(SampleContext()), c.expected) << c.op << " " << c.key;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, ConditionTest,
    testing::Values(
        ConditionCase{"StringEquals", "aws:username", {"carlos"}, true},
        ConditionCase{"StringEquals", "AWS:UserName", {"carlos"}, true},  // keys are case-insensitive
        ConditionCase{"StringEquals", "aws:username", {"Carlos"}, false},
        ConditionCase{"StringEquals", "aws:username", {"x", "carlos"}, true},      // values OR
        ConditionCase{"StringNotEquals", "aws:username", {"x", "carlos"}, false},  // negated: NOR
        ConditionCase{"StringNotEquals", "aws:username", {"x", "y"}, true},
        ConditionCase{"StringEqualsIgnoreCase", "aws:username", {"CARLOS"}, true},
        ConditionCase{"StringNotEqualsIgnoreCase", "aws:username", {"CARLOS"}, false},
        ConditionCase{"StringLike", "aws:username", {"car*"}, true},
        ConditionCase{"StringLike", "aws:username", {"c?rlos"}, true},
        ConditionCase{"StringNotLike", "aws:username", {"car*"}, false},
        ConditionCase{"StringEquals", "aws:username", {"${aws:username}"}, true},
        // Absent keys: positive false, negated true, IfExists true.
        ConditionCase{"StringEquals", "aws:userid", {"x"}, false},
        ConditionCase{"StringNotEquals", "aws:userid", {"x"}, true},
        ConditionCase{"StringEqualsIfExists", "aws:userid", {"x"}, true},
        ConditionCase{"StringEqualsIfExists", "aws:username", {"x"}, false},
        ConditionCase{"NumericLessThan", "s3:max-keys", {"11"}, true},
        ConditionCase{"NumericLessThan", "s3:max-keys", {"10"}, false},
        ConditionCase{"NumericLessThanEquals", "s3:max-keys", {"10"}, true},
        ConditionCase{"NumericGreaterThan", "s3:max-keys", {"9.5"}, true},
        ConditionCase{"NumericGreaterThanEquals", "s3:max-keys", {"11"}, false},
        ConditionCase{"NumericEquals", "s3:max-keys", {"10.0"}, true},
        ConditionCase{"NumericNotEquals", "s3:max-keys", {"10"}, false},
        ConditionCase{"NumericEquals", "s3:max-keys", {"ten"}, false},
        ConditionCase{"DateGreaterThan", "aws:CurrentTime", {"2024-01-01T00:00:00Z"}, true},
        ConditionCase{"DateLessThan", "aws:CurrentTime", {"2024-05-01"}, false},
        ConditionCase{"DateEquals", "aws:CurrentTime", {"2024-05-01T14:00:00+02:00"}, true},
        ConditionCase{"DateLessThan", "aws:EpochTime", {"2024-01-01T00:00:00Z"}, true},  // epoch vs ISO
        ConditionCase{"DateGreaterThanEquals", "aws:CurrentTime", {"1714564800"}, true},
        ConditionCase{"DateNotEquals", "aws:CurrentTime", {"1714564800"}, false},
        ConditionCase{"Bool", "aws:SecureTransport", {"true"}, true},
        ConditionCase{"Bool", "aws:SecureTransport", {"false"}, false},
        ConditionCase{"Bool", "aws:MultiFactorAuthPresent", {"false"}, false},
        ConditionCase{"BoolIfExists", "aws:MultiFactorAuthPresent", {"false"}, true},
        ConditionCase{"BinaryEquals", "aws:username", {"carlos"}, true},
        ConditionCase{"IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, true},
        ConditionCase{"IpAddress", "aws:SourceIp", {"203.0.112.0/24"}, false},
        ConditionCase{"IpAddress", "aws:SourceIp", {"203.0.113.7"}, true},
        ConditionCase{"NotIpAddress", "aws:SourceIp", {"10.0.0.0/8", "203.0.113.0/25"}, false},
        ConditionCase{"NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, true},
        ConditionCase{"IpAddress", "aws:SourceIpV6", {"2001:db8::/32"}, true},
        ConditionCase{"IpAddress", "aws:SourceIpV6", {"2001:db9::/32"}, false},
        ConditionCase{"IpAddress", "aws:SourceIp", {"2001:db8::/32"}, false},
        ConditionCase{"ArnLike", "aws:PrincipalArn", {"arn:aws:iam::*:role/path/*"}, true},
        ConditionCase{"ArnEquals", "aws:PrincipalArn", {"arn:aws:iam::111111111111:role/path/Admin"}, true},
        ConditionCase{"ArnLike", "aws:PrincipalArn", {"arn:aws:iam::1111*:role/*"}, true},
        ConditionCase{"ArnLike", "aws:PrincipalArn", {"arn:aws:*:role/path/Admin"}, false},  // parts don't merge
        ConditionCase{"ArnNotLike", "aws:PrincipalArn", {"arn:aws:iam::*:user/*"}, true},
        ConditionCase{"ArnNotEquals", "aws:SourceArn", {"arn:aws:s3:::my-bucket"}, false},
        ConditionCase{"Null", "aws:userid", {"true"}, true}, ConditionCase{"Null", "aws:username", {"true"}, false},
        ConditionCase{"Null", "aws:username", {"false"}, true},
        ConditionCase{"Null", "aws:CalledVia", {"true"}, true},  // an empty list counts as absent
        // Set operators.
        ConditionCase{"ForAllValues:StringEquals", "aws:TagKeys", {"team", "cost", "env"}, true},
        ConditionCase{"ForAllValues:StringEquals", "aws:TagKeys", {"team"}, false},
        ConditionCase{"ForAllValues:StringEquals", "aws:RequestTagKeysAbsent", {"team"}, true},
        ConditionCase{"ForAllValues:StringEquals", "aws:CalledVia", {"athena.amazonaws.com"}, true},
        ConditionCase{"ForAnyValue:StringEquals", "aws:TagKeys", {"team"}, true},
        ConditionCase{"ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, false},
        ConditionCase{"ForAnyValue:StringEquals", "aws:RequestTagKeysAbsent", {"team"}, false},
        ConditionCase{"ForAnyValue:StringNotEquals", "aws:TagKeys", {"team"}, true},
        ConditionCase{"ForAnyValue:StringNotEquals", "aws:TagKeys", {"team", "cost"}, false},
        ConditionCase{"ForAllValues:StringNotEquals", "aws:TagKeys", {"env"}, true},
        ConditionCase{"ForAllValues:StringLike", "aws:TagKeys", {"t*", "c*"}, true},
        ConditionCase{"ForAnyValue:StringEquals", "aws:username", {"carlos"}, true},  // single value: a set of one
        ConditionCase{"ForAnyValue:StringEqualsIfExists", "aws:RequestTagKeysAbsent", {"x"}, true},
        // A multivalued key without a set operator matches when any value does.
        ConditionCase{"StringEquals", "aws:TagKeys", {"cost"}, true},
        ConditionCase{"StringNotEquals", "aws:TagKeys", {"cost"}, false}),
    [](const testing::TestParamInfo<ConditionCase>& info) {
      std::string name = std::to_string(info.index) + "_" + info.param.op;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(OperatorTest, RejectsUnknownOperatorsAndNullIfExists) {
  EXPECT_FALSE(Operator::Parse("StringEqualz").has_value());
  EXPECT_FALSE(Operator::Parse("NullIfExists").has_value());
  EXPECT_FALSE(Operator::Parse("ForAllValues:NullIfExists").has_value());
  EXPECT_FALSE(Operator::Parse("ForSomeValues:StringEquals").has_value());
  EXPECT_FALSE(Operator::Parse("IfExists").has_value());
  EXPECT_TRUE(Operator::Parse("ForAllValues:StringLikeIfExists").has_value());
  EXPECT_TRUE(Operator::Parse("ArnNotLikeIfExists").has_value());
}

TEST(DateTest, ParsesIso8601AndEpoch) {
  EXPECT_EQ(ParseIamDate("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(ParseIamDate("2020-02-29"), 1582934400.0);
  EXPECT_EQ(ParseIamDate("2020-02-29T01:00:00+01:00"), 1582934400.0);
  EXPECT_EQ(ParseIamDate("1582934400"), 1582934400.0);
  EXPECT_EQ(ParseIamDate("2020-02-29T00:00:00.500Z"), 1582934400.5);
  EXPECT_FALSE(ParseIamDate("yesterday").has_value());
  EXPECT_FALSE(ParseIamDate("2020-13-01").has_value());
}

}  // namespace
}  // namespace xacct::policy
