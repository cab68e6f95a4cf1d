// S3 rules that need no store, as tables a reader can check against AWS's documentation:
//  - which bucket policies S3 calls public: Amazon S3 User Guide, "Blocking public access to your Amazon S3
//    storage", section "The meaning of 'public'" (userguide/access-control-block-public-access.html
//    #access-control-block-public-access-policy-status), quoted as [public];
//  - general purpose bucket names: User Guide "General purpose bucket naming rules"
//    (userguide/bucketnamingrules.html), quoted as [naming];
//  - object keys: User Guide "Naming Amazon S3 objects" (userguide/object-keys.html), quoted as [keys], and
//    the errors of the S3 API Reference "Error responses" (API/ErrorResponses.html#ErrorCodeList), [errors].
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "policy/parser.h"
#include "services/s3/public_policy.h"
#include "services/s3/s3_names.h"

namespace xacct::services::s3 {
namespace {

// ---- bucket policies ----

struct PolicyCase {
  std::string name;
  std::string statements;  // the Statement list's members
  bool is_public;
  std::string rule;  // what the documentation says about it
};

Result<policy::Policy> ParseBucketPolicy(const std::string& statements) {
  const std::string document = R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
  // Not strict: a partial wildcard in a principal ARN must reach the public check.
  return policy::ParsePolicy(document,
                             {.kind = policy::PolicyKind::kResource, .label = "bucket policy", .strict = false});
}

// One statement granting s3:GetObject on the example bucket's objects.
std::string Grant(std::string_view principal, std::string_view condition = {}, std::string_view effect = "Allow",
                  std::string_view principal_element = "Principal") {
  std::string s = R"({"Effect":")" + std::string(effect) + R"(",")" + std::string(principal_element) + R"(":)" +
                  std::string(principal) +
                  R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*")";
  if (!condition.empty()) s += R"(,"Condition":)" + std::string(condition);
  return s + "}";
}

constexpr std::string_view kAnyone = R"("*")";

class BucketPolicyTest : public testing::TestWithParam<PolicyCase> {};

TEST_P(BucketPolicyTest, IsPublicExactlyWhenTheUserGuideSaysSo) {
  const auto& c = GetParam();
  auto p = ParseBucketPolicy(c.statements);
  ASSERT_TRUE(p.ok()) << p.error().message << ": " << p.error().detail;
  const auto grant = PublicStatement(*p);
  EXPECT_EQ(grant.has_value(), c.is_public) << c.rule << (grant ? "\n  xacct: " + grant->Describe() : "");
  EXPECT_EQ(IsPublicPolicy(*p), c.is_public);
}

INSTANTIATE_TEST_SUITE_P(
    MeaningOfPublic, BucketPolicyTest,
    testing::Values(
        // Fixed principals.
        PolicyCase{"AccountRootArnIsFixed", Grant(R"({"AWS":"arn:aws:iam::222222222222:root"})"), false,
                   "[public] fixed values for an AWS principal (the CDK's AccountPrincipal)"},
        PolicyCase{"AccountIdIsFixed", Grant(R"({"AWS":"222222222222"})"), false, "[public] an AWS principal"},
        PolicyCase{"RoleArnIsFixed", Grant(R"({"AWS":"arn:aws:iam::222222222222:role/reader"})"), false,
                   "[public] an AWS ... role"},
        PolicyCase{"UserArnIsFixed", Grant(R"({"AWS":["arn:aws:iam::222222222222:user/alice","333333333333"]})"), false,
                   "[public] an AWS ... user"},
        PolicyCase{"ServicePrincipalIsFixed", Grant(R"({"Service":"cloudtrail.amazonaws.com"})"), false,
                   "[public] an AWS ... service principal"},
        PolicyCase{"CanonicalUserIsFixed",
                   Grant(R"({"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})"),
                   false, "[public] an AWS principal (an account's canonical user id)"},
        // Wildcard principals held by a condition on a key S3 accepts, with fixed values.
        PolicyCase{"PrincipalOrgIdStringEqualsIsFixed",
                   Grant(kAnyone, R"({"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}})"), false,
                   "[public] An AWS principal ... (e.g. aws:PrincipalOrgID)"},
        PolicyCase{"PrincipalOrgIdIgnoreCaseIsFixed",
                   Grant(kAnyone, R"({"StringEqualsIgnoreCase":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}})"), false,
                   "[public] aws:PrincipalOrgID with a fixed value"},
        PolicyCase{"PrincipalAccountIsFixed",
                   Grant(kAnyone, R"({"StringEquals":{"aws:PrincipalAccount":"111122223333"}})"), false,
                   "[public] An AWS principal (a key naming it)"},
        PolicyCase{"PrincipalArnIsFixed",
                   Grant(kAnyone, R"({"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/reader"}})"),
                   false, "[public] An AWS principal, user, role (a key naming it)"},
        PolicyCase{"SourceVpcStringEqualsIsFixed",
                   Grant(kAnyone, R"({"StringEquals":{"aws:SourceVpc":"vpc-91237329"}})"), false,
                   "[public] 'you can make the last policy preceding non-public by setting aws:SourceVpc to a fixed "
                   "value'"},
        PolicyCase{"SourceVpceIsFixed", Grant(kAnyone, R"({"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})"), false,
                   "[public] aws:SourceVpce"},
        PolicyCase{"SourceIpSlash8IsFixed", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})"), false,
                   "[public] a set of CIDRs using aws:SourceIp; only values broader than /8 for IPv4 are public"},
        PolicyCase{"SourceIpSlash24IsFixed",
                   Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":["54.240.143.0/24","192.0.2.7"]}})"), false,
                   "[public] a set of CIDRs using aws:SourceIp"},
        PolicyCase{"SourceIpv4MappedSlash8IsFixed",
                   Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"::ffff:10.0.0.0/104"}})"), false,
                   "[public] an IPv4-mapped IPv6 network is the IPv4 network it covers: 10.0.0.0/8"},
        PolicyCase{"SourceIpv6Slash32IsFixed", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"2001:db8::/32"}})"),
                   false, "[public] only values broader than /32 for IPv6 are public"},
        PolicyCase{
            "SourceArnIsFixed",
            Grant(kAnyone, R"({"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}})"),
            false, "[public] aws:SourceArn"},
        PolicyCase{"SourceAccountIsFixed", Grant(kAnyone, R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})"),
                   false, "[public] aws:SourceAccount"},
        PolicyCase{"SourceOwnerIsFixed", Grant(kAnyone, R"({"StringEquals":{"aws:SourceOwner":"111122223333"}})"),
                   false, "[public] aws:SourceOwner"},
        PolicyCase{"KmsKeyIdIsFixed",
                   Grant(kAnyone, R"({"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":)"
                                  R"("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}})"),
                   false, "[public] s3:x-amz-server-side-encryption-aws-kms-key-id"},
        PolicyCase{"UserIdIsFixed", Grant(kAnyone, R"({"StringEquals":{"aws:userid":"AIDAJQABLZS4A3QDU576Q"}})"), false,
                   "[public] aws:userid"},
        PolicyCase{"UserIdRoleSessionPatternIsFixed",
                   Grant(kAnyone, R"({"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}})"), false,
                   "[public] aws:userid, outside the pattern \"AROLEID:*\" (the role's sessions)"},
        PolicyCase{"DataAccessPointArnWithFixedAccountIsFixed",
                   Grant(kAnyone,
                         R"({"ArnLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}})"),
                   false,
                   "[public] 'this value can contain a wildcard for the access point name without rendering the "
                   "policy public, as long as the account id is fixed'"},
        PolicyCase{"DataAccessPointAccountIsFixed",
                   Grant(kAnyone, R"({"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}})"), false,
                   "[public] s3:DataAccessPointAccount"},
        PolicyCase{"OneFixedConditionHoldsTheStatement",
                   Grant(kAnyone, R"({"Bool":{"aws:SecureTransport":"true"},)"
                                  R"("StringEquals":{"aws:SourceVpc":"vpc-91237329"}})"),
                   false, "[public] conditions AND together: a fixed aws:SourceVpc limits the grant"},
        PolicyCase{"ForAnyValueWithFixedValueIsFixed",
                   Grant(kAnyone, R"({"ForAnyValue:StringEquals":{"aws:SourceVpc":"vpc-91237329"}})"), false,
                   "[public] aws:SourceVpc fixed (ForAnyValue is false when the key is absent)"},
        // Deny statements grant nothing.
        PolicyCase{"DenyOnlyIsNotPublic", Grant(kAnyone, {}, "Deny"), false,
                   "[public] only grants can be public: a Deny statement grants nothing"},
        PolicyCase{"DenyEveryoneBesideFixedGrantIsNotPublic",
                   Grant(kAnyone, R"({"Bool":{"aws:SecureTransport":"false"}})", "Deny") + "," +
                       Grant(R"({"AWS":"arn:aws:iam::222222222222:root"})"),
                   false, "[public] a fixed grant and a Deny to everyone"},
        // Public.
        PolicyCase{"StarPrincipalIsPublic", Grant(kAnyone), true,
                   "[public] example: \"Principal\": \"*\" with no Condition"},
        PolicyCase{"AwsStarPrincipalIsPublic", Grant(R"({"AWS":"*"})"), true,
                   "[public] {\"AWS\":\"*\"} is the wildcard principal"},
        PolicyCase{"ServiceStarPrincipalIsPublic", Grant(R"({"Service":"*"})"), true,
                   "[public] a service principal must be a fixed value"},
        PolicyCase{"FederatedPrincipalIsPublic", Grant(R"({"Federated":"graph.facebook.com"})"), true,
                   "[public] example: {\"Federated\": \"graph.facebook.com\"}"},
        PolicyCase{"StarAmongFixedPrincipalsIsPublic", Grant(R"({"AWS":["arn:aws:iam::222222222222:root","*"]})"), true,
                   "[public] every principal must be a fixed value"},
        PolicyCase{"WildcardInPrincipalArnIsPublic", Grant(R"({"AWS":"arn:aws:iam::222222222222:role/*"})"), true,
                   "[public] fixed values: values that don't contain a wildcard"},
        PolicyCase{"NotPrincipalAllowIsPublic",
                   Grant(R"({"AWS":"arn:aws:iam::222222222222:root"})", {}, "Allow", "NotPrincipal"), true,
                   "[public] Allow with NotPrincipal grants to everyone it does not name"},
        PolicyCase{"SourceVpcStringLikeWildcardIsPublic", Grant(kAnyone, R"({"StringLike":{"aws:SourceVpc":"vpc-*"}})"),
                   true, "[public] example: \"Condition\": { \"StringLike\": {\"aws:SourceVpc\": \"vpc-*\"}}"},
        PolicyCase{"PrincipalOrgIdStringLikeWildcardIsPublic",
                   Grant(kAnyone, R"({"StringLike":{"aws:PrincipalOrgID":"o-*"}})"), true,
                   "[public] fixed values: values that don't contain a wildcard"},
        PolicyCase{"SourceIpEverywhereIsPublic", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})"), true,
                   "[public] values broader than /8 for IPv4 are public"},
        PolicyCase{"SourceIpSlash1IsPublic", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}})"), true,
                   "[public] 'very broad IP ranges (for example, 0.0.0.0/1) are evaluated as public'"},
        PolicyCase{"SourceIpSlash7IsPublic", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/7"}})"), true,
                   "[public] values broader than /8 for IPv4 are public"},
        PolicyCase{"SourceIpv4MappedEverywhereIsPublic",
                   Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"::ffff:0.0.0.0/96"}})"), true,
                   "[public] an IPv4-mapped IPv6 network is the IPv4 network it covers: 0.0.0.0/0"},
        PolicyCase{"SourceIpv6Slash31IsPublic", Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"2001:db8::/31"}})"),
                   true, "[public] values broader than /32 for IPv6 are public"},
        PolicyCase{"OneBroadCidrAmongFixedIsPublic",
                   Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":["10.0.0.0/8","0.0.0.0/0"]}})"), true,
                   "[public] values of one key OR together: one broad CIDR opens the grant"},
        PolicyCase{"NotIpAddressIsPublic", Grant(kAnyone, R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})"), true,
                   "[public] a negated operator grants to every value but the ones it names"},
        PolicyCase{"StringNotEqualsIsPublic", Grant(kAnyone, R"({"StringNotEquals":{"aws:SourceVpc":"vpc-91237329"}})"),
                   true, "[public] a negated operator does not fix values"},
        PolicyCase{"IfExistsIsPublic", Grant(kAnyone, R"({"StringEqualsIfExists":{"aws:SourceVpc":"vpc-91237329"}})"),
                   true, "[public] ...IfExists holds for a request without the key"},
        PolicyCase{"ForAllValuesIsPublic",
                   Grant(kAnyone, R"({"ForAllValues:StringEquals":{"aws:SourceVpc":"vpc-91237329"}})"), true,
                   "[public] ForAllValues holds for a request without the key"},
        PolicyCase{"NullConditionIsPublic", Grant(kAnyone, R"({"Null":{"aws:SourceVpc":"false"}})"), true,
                   "[public] Null only asks that the key be present"},
        PolicyCase{"UnlistedKeyIsPublic", Grant(kAnyone, R"({"Bool":{"aws:SecureTransport":"true"}})"), true,
                   "[public] aws:SecureTransport is not among the keys S3 accepts"},
        PolicyCase{"ArnEqualsWildcardIsPublic", Grant(kAnyone, R"({"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::*"}})"),
                   true, "[public] fixed values: ArnEquals matches wildcards like ArnLike"},
        PolicyCase{"SourceArnWildcardRegionIsPublic",
                   Grant(kAnyone, R"({"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:alerts"}})"), true,
                   "[public] fixed values: values that don't contain a wildcard"},
        PolicyCase{"PolicyVariableIsPublic",
                   Grant(kAnyone, R"({"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}})"), true,
                   "[public] fixed values: values that don't contain ... an IAM policy variable"},
        PolicyCase{"UserIdWildcardOutsideRolePatternIsPublic",
                   Grant(kAnyone, R"({"StringLike":{"aws:userid":"AIDA*"}})"), true,
                   "[public] aws:userid, outside the pattern \"AROLEID:*\""},
        PolicyCase{"DataAccessPointArnWildcardAccountIsPublic",
                   Grant(kAnyone, R"({"ArnLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}})"),
                   true, "[public] the access point name may be a wildcard 'as long as the account id is fixed'"},
        PolicyCase{"PublicStatementAfterFixedOnesIsPublic",
                   Grant(R"({"Service":"cloudtrail.amazonaws.com"})") + "," +
                       Grant(R"({"AWS":"arn:aws:iam::222222222222:root"})") + "," + Grant(kAnyone),
                   true, "[public] 'This policy qualifies as public because of the third statement'"}),
    [](const testing::TestParamInfo<PolicyCase>& info) { return info.param.name; });

TEST(BucketPolicyExplanation, NamesTheFirstPublicStatement) {
  // The User Guide's mixed policy: CloudTrail, "Account-2", then "Principal": "*" with no Condition.
  auto p = ParseBucketPolicy(Grant(R"({"Service":"cloudtrail.amazonaws.com"})") + "," +
                             Grant(R"({"AWS":"arn:aws:iam::222222222222:root"})") + "," +
                             R"({"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                             R"("Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"})");
  ASSERT_TRUE(p.ok()) << p.error().detail;
  const auto grant = PublicStatement(*p);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->index, 2u);
  EXPECT_EQ(grant->sid, "PublicRead");
  EXPECT_EQ(grant->Describe(),
            "statement \"PublicRead\" (Statement[2]) is public: it grants to the wildcard principal \"*\", and no "
            "condition fixes aws:SourceIp, aws:SourceVpc, aws:SourceArn, aws:PrincipalOrgID or another key S3 "
            "accepts");
}

TEST(BucketPolicyExplanation, NamesTheConditionThatIsNotFixed) {
  auto p = ParseBucketPolicy(Grant(kAnyone, R"({"StringLike":{"aws:PrincipalOrgID":"o-*"}})"));
  ASSERT_TRUE(p.ok()) << p.error().detail;
  const auto grant = PublicStatement(*p);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->reason,
            "it grants to the wildcard principal \"*\", and StringLike aws:PrincipalOrgID: \"o-*\" contains a "
            "wildcard");
}

TEST(BucketPolicyExplanation, NamesABroadCidr) {
  auto p = ParseBucketPolicy(Grant(kAnyone, R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})"));
  ASSERT_TRUE(p.ok()) << p.error().detail;
  const auto grant = PublicStatement(*p);
  ASSERT_TRUE(grant.has_value());
  EXPECT_NE(grant->reason.find("\"0.0.0.0/0\" is broader than /8"), std::string::npos) << grant->reason;
}

// ---- bucket names ----

struct BucketNameCase {
  std::string name;
  std::string bucket;
  const char* rule;  // a piece of the rule the reason must quote; nullptr for a valid name
};

class BucketNameTest : public testing::TestWithParam<BucketNameCase> {};

TEST_P(BucketNameTest, FollowsTheNamingRules) {
  const auto& c = GetParam();
  const auto reason = InvalidBucketName(c.bucket);
  if (c.rule == nullptr) {
    EXPECT_FALSE(reason.has_value()) << c.bucket << ": " << reason.value_or("");
    EXPECT_TRUE(CheckBucketName(c.bucket).ok());
    return;
  }
  ASSERT_TRUE(reason.has_value()) << c.bucket << " should break: " << c.rule;
  EXPECT_NE(reason->find(c.rule), std::string::npos) << *reason;
}

INSTANTIATE_TEST_SUITE_P(
    GeneralPurpose, BucketNameTest,
    testing::Values(
        // [naming] "valid and follow the recommended naming guidelines"
        BucketNameCase{"DocExample1", "docexamplebucket1", nullptr},
        BucketNameCase{"DocExample2", "log-delivery-march-2020", nullptr},
        BucketNameCase{"DocExample3", "my-hosted-content", nullptr},
        // [naming] "valid but not recommended for uses other than static website hosting"
        BucketNameCase{"DotsWebsite", "docexamplewebsite.com", nullptr},
        BucketNameCase{"DotsWww", "www.docexamplewebsite.com", nullptr},
        BucketNameCase{"DotsMany", "my.example.s3.bucket", nullptr}, BucketNameCase{"ThreeCharacters", "abc", nullptr},
        BucketNameCase{"SixtyThreeCharacters", std::string(63, 'a'), nullptr},
        BucketNameCase{"DigitsAtBothEnds", "0bucket9", nullptr},
        BucketNameCase{"ThreeNumberGroupsAreNotAnIp", "1.2.3", nullptr},
        BucketNameCase{"SingleHyphenXnIsNotReserved", "xn-bucket", nullptr},
        BucketNameCase{"ReservedWordInsideIsAllowed", "my-s3alias-bucket", nullptr},
        BucketNameCase{"DemoWithoutHyphenIsNotReserved", "amzn-s3-demo", nullptr},
        // [naming] "must be between 3 (min) and 63 (max) characters long"
        BucketNameCase{"Empty", "", "between 3 (min) and 63 (max)"},
        BucketNameCase{"TwoCharacters", "ab", "between 3 (min) and 63 (max)"},
        BucketNameCase{"SixtyFourCharacters", std::string(64, 'a'), "between 3 (min) and 63 (max)"},
        // [naming] "can consist only of lowercase letters, numbers, dots (.), and hyphens (-)"
        BucketNameCase{"DocUnderscores", "doc_example_bucket", "only of lowercase letters"},
        BucketNameCase{"DocUppercase", "DocExampleBucket", "only of lowercase letters"},
        BucketNameCase{"Space", "my bucket", "only of lowercase letters"},
        BucketNameCase{"NonAscii",
                       "b\xC3\xBC"
                       "cket",
                       "only of lowercase letters"},
        // [naming] "must begin and end with a letter or number"
        BucketNameCase{"DocEndsWithHyphen", "doc-example-bucket-", "begin and end with a letter or number"},
        BucketNameCase{"StartsWithHyphen", "-bucket", "begin and end with a letter or number"},
        BucketNameCase{"StartsWithDot", ".bucket", "begin and end with a letter or number"},
        BucketNameCase{"EndsWithDot", "bucket.", "begin and end with a letter or number"},
        // [naming] "must not contain two adjacent periods"
        BucketNameCase{"AdjacentPeriods", "my..bucket", "two adjacent periods"},
        // [naming] "must not be formatted as an IP address (for example, 192.168.5.4)"
        BucketNameCase{"DocIpAddress", "192.168.5.4", "formatted as an IP address"},
        BucketNameCase{"PrivateIpAddress", "10.0.0.1", "formatted as an IP address"},
        // [naming] reserved prefixes
        BucketNameCase{"PrefixXn", "xn--bucket", "prefix \"xn--\""},
        BucketNameCase{"PrefixSthree", "sthree-bucket", "prefix \"sthree-\""},
        BucketNameCase{"PrefixSthreeConfigurator", "sthree-configurator-x", "prefix \"sthree-\""},
        BucketNameCase{"PrefixDemo", "amzn-s3-demo-bucket", "prefix \"amzn-s3-demo-\""},
        // [naming] reserved suffixes
        BucketNameCase{"SuffixAccessPointAlias", "bucket-s3alias", "suffix \"-s3alias\""},
        BucketNameCase{"SuffixObjectLambdaAlias", "bucket--ol-s3", "suffix \"--ol-s3\""},
        BucketNameCase{"SuffixMultiRegionAccessPoint", "bucket.mrap", "suffix \".mrap\""},
        BucketNameCase{"SuffixDirectoryBucket", "bucket--usw2-az1--x-s3", "suffix \"--x-s3\""},
        BucketNameCase{"SuffixTableBucket", "bucket--table-s3", "suffix \"--table-s3\""}),
    [](const testing::TestParamInfo<BucketNameCase>& info) { return info.param.name; });

TEST(BucketNameError, IsInvalidBucketNameWithTheBucketName) {
  // [errors] InvalidBucketName: "The specified bucket is not valid." 400 Bad Request.
  const auto status = CheckBucketName("DocExampleBucket");
  ASSERT_FALSE(status.ok());
  const AwsError& e = status.error();
  EXPECT_EQ(e.code, "InvalidBucketName");
  EXPECT_EQ(e.message, "The specified bucket is not valid.");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_TRUE(e.sender_fault);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].first, "BucketName");
  EXPECT_EQ(e.fields[0].second, "DocExampleBucket");
  EXPECT_EQ(e.detail,
            "Bucket names can consist only of lowercase letters, numbers, dots (.), and hyphens (-); "
            "\"DocExampleBucket\" has 'D' at position 0");
}

// ---- object keys ----

struct KeyCase {
  std::string name;
  std::string key;
  const char* error;  // the code CheckObjectKey answers; nullptr for a valid key
};

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

class ObjectKeyTest : public testing::TestWithParam<KeyCase> {};

TEST_P(ObjectKeyTest, IsUpTo1024BytesOfUtf8) {
  const auto& c = GetParam();
  EXPECT_EQ(ValidObjectKey(c.key), c.error == nullptr);
  const auto status = CheckObjectKey(c.key);
  if (c.error == nullptr) {
    EXPECT_TRUE(status.ok()) << status.error().code << ": " << status.error().detail;
  } else {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, c.error);
    EXPECT_EQ(status.error().http_status, 400);
  }
}

constexpr std::string_view kJapanese = "\xE6\x97\xA5";  // U+65E5, three bytes of UTF-8

INSTANTIATE_TEST_SUITE_P(
    Keys, ObjectKeyTest,
    testing::Values(
        // [keys] examples of valid object key names
        KeyCase{"DocExampleOrganization", "4my-organization", nullptr},
        KeyCase{"DocExamplePhotos", "my.great_photos-2014/jan/myvacation.jpg", nullptr},
        KeyCase{"DocExampleVideos", "videos/2014/birthday/video1.wmv", nullptr}, KeyCase{"OneByte", "a", nullptr},
        // [keys] "a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long"
        KeyCase{"Exactly1024Bytes", std::string(1024, 'a'), nullptr},
        KeyCase{"MultibyteUnderLimit", Repeat(kJapanese, 341), nullptr},  // 1,023 bytes
        KeyCase{"FourByteCharacter", "party \xF0\x9F\xA5\xB3.txt", nullptr},
        // [keys] characters that need special handling or should be avoided are still accepted
        KeyCase{"SpecialCharacters", "a&b$c@d=e;f:g+h,i?j #k%l{m}^n~o|p", nullptr},
        KeyCase{"ControlCharacters", "object\rwith\ncarriage\x01return", nullptr},
        KeyCase{"EndsWithPeriods", "folder/..", nullptr}, KeyCase{"LeadingSlash", "/some/prefix/object", nullptr},
        // [errors] KeyTooLongError: "Your key is too long." 400 Bad Request (S3 sends it without the period)
        KeyCase{"Over1024Bytes", std::string(1025, 'a'), "KeyTooLongError"},
        KeyCase{"MultibyteOverLimit", Repeat(kJapanese, 342), "KeyTooLongError"},  // 1,026 bytes
        // S3 answers an empty key (a POST Object form's "key" field) with InvalidArgument "User key must
        // have a length greater than 0." (not in the documentation; what S3 answers).
        KeyCase{"Empty", "", "InvalidArgument"},
        // Not UTF-8: S3 cannot decode the path; [errors] InvalidURI "Couldn't parse the specified URI."
        KeyCase{"LoneHighByte",
                "a\xFF"
                "b",
                "InvalidURI"},
        KeyCase{"LoneContinuationByte", "\x80", "InvalidURI"}, KeyCase{"TruncatedSequence", "caf\xC3", "InvalidURI"},
        KeyCase{"OverlongSlash",
                "a\xC0\xAF"
                "b",
                "InvalidURI"},
        KeyCase{"Surrogate", "\xED\xA0\x80", "InvalidURI"}, KeyCase{"PastU10FFFF", "\xF4\x90\x80\x80", "InvalidURI"}),
    [](const testing::TestParamInfo<KeyCase>& info) { return info.param.name; });

TEST(ObjectKeyError, KeyTooLongCarriesSizeAndLimit) {
  const auto status = CheckObjectKey(std::string(1025, 'k'));
  ASSERT_FALSE(status.ok());
  const AwsError& e = status.error();
  EXPECT_EQ(e.code, "KeyTooLongError");
  EXPECT_EQ(e.message, "Your key is too long");
  ASSERT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0], (std::pair<std::string, std::string>{"Size", "1025"}));
  EXPECT_EQ(e.fields[1], (std::pair<std::string, std::string>{"MaxSizeAllowed", "1024"}));
}

}  // namespace
}  // namespace xacct::services::s3
