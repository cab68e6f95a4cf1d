// The models' pattern constraints are Java regular expressions matched against the whole value
// (java.util.regex.Matcher.matches()); each row below is what Java answers for that pattern.
#include <gtest/gtest.h>

#include <string>

#include "model/pattern.h"
#include "model/service_model.h"

namespace {

using xacct::model::Pattern;

struct Case {
  const char* pattern;
  const char* input;
  bool matches;
};

constexpr Case kCases[] = {
    // IAM names: ASCII word characters and +=,.@-
    {R"([\w+=,.@-]+)", "my-role_1+=,.@", true},
    {R"([\w+=,.@-]+)", "my role", false},
    {R"([\w+=,.@-]+)", "", false},
    {R"([\w+=,.@-]*)", "", true},
    {R"([\w+=,.@-]+)", "r\xC3\xB4le", false},  // \w is ASCII-only in Java by default
    // IAM paths
    {R"((\u002F)|(\u002F[\u0021-\u007F]+\u002F))", "/", true},
    {R"((\u002F)|(\u002F[\u0021-\u007F]+\u002F))", "/division_abc/subdivision_xyz/", true},
    {R"((\u002F)|(\u002F[\u0021-\u007F]+\u002F))", "/no-trailing-slash", false},
    // Policy documents: tab, LF, CR and printable Latin-1
    {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "{\"Version\": \"2012-10-17\"}\n\t", true},
    {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "caf\xC3\xA9", true},    // U+00E9
    {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "\xE2\x82\xAC", false},  // U+20AC
    {R"([\u0009\u000A\u000D\u0020-\u00FF]+)", "a\x01", false},
    // A surrogate pair written as two escapes is one supplementary code point in Java.
    {R"([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*)", "smile \xF0\x9F\x98\x80", true},
    {R"([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*)", "line\nbreak", false},
    // "\u10000-\u10FFFF" in STS's arnType reads as \u1000, '0', '0'-\u10FF, 'F', 'F' in Java.
    {R"([\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+)",
     "arn:aws:iam::123456789012:role/demo", true},
    {R"([\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+)", "\xF0\x9F\x98\x80",
     false},
    // Tag keys: Unicode letters, separators, numbers and _.:/=+-@
    {R"([\p{L}\p{Z}\p{N}_.:/=+\-@]+)", "cost center:\xE6\x97\xA5\xE6\x9C\xAC", true},
    {R"([\p{L}\p{Z}\p{N}_.:/=+\-@]+)", "semi;colon", false},
    {R"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)", "", true},
    // Organizations identifiers with anchors, counted repetition and alternation
    {R"(^o-[a-z0-9]{10,32}$)", "o-a1b2c3d4e5", true},
    {R"(^o-[a-z0-9]{10,32}$)", "o-a1b2c3d4e", false},
    {R"(^(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "123456789012", true},
    {R"(^(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "ou-ab12-abcd1234", true},
    {R"(^(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)", "r-ab1", false},
    // Negative lookahead (CloudFormation-style names) and word boundaries
    {R"(^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$)", "my-bucket-1", true},
    {R"(^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$)", "my--bucket", false},
    {R"(([a-zA-Z][-a-zA-Z0-9]*)|(arn:\b(aws|aws-us-gov|aws-cn)\b:[-a-zA-Z0-9:/._+]*))",
     "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1", true},
    // A one-character lookbehind (Lambda's S3Bucket)
    {R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)", "my.bucket", true},
    {R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)", "my.bucket.", false},
    {R"([A-Za-z0-9][A-Za-z0-9\-\_\.]{0,126}[A-Za-z0-9])", "rule_1.a-b", true},
    // Classes holding a negated shorthand, dot, \S and POSIX names
    {R"(([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]|[^\S\r\n"'])*)", "a b\tc", true},
    {R"(([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]|[^\S\r\n"'])*)", "a\nb", false},
    {R"(.*\S.*)", "  x ", true},
    {R"(.*\S.*)", "   ", false},
    {R"(.*)", "no\nnewline", false},
    {R"(\p{Print}+)", "printable ~", true},
    {R"(\p{Print}+)", "tab\t", false},
    {R"(\p{ASCII}*)", "\xC3\xA9", false},
    {R"([a-zA-Z0-9-_$#.]+)", "a-b_c$d#e.f", true},
    {R"([a-zA-Z0-9+-=._./@]+)", "a+b,c=d", true},  // '+-=' is the range U+002B..U+003D
    {R"(arn:aws:iam::\d{12}:role/.*)", "arn:aws:iam::123456789012:role/x", true},
    {R"(arn:aws:iam::\d{12}:role/.*)", "arn:aws:iam::12345678901:role/x", false},
};

TEST(PatternTest, MatchesTheWholeValueAsJavaDoes) {
  for (const Case& c : kCases) {
    auto pattern = Pattern::Compile(c.pattern);
    ASSERT_NE(pattern, nullptr) << c.pattern;
    EXPECT_EQ(pattern->Matches(c.input), c.matches) << c.pattern << " on '" << c.input << "'";
  }
}

TEST(PatternTest, ConstructsOutsideTheSubsetAreNotCompiled) {
  for (const char* unsupported :
       {R"((a)\1)", "(?<=ab)c", "(?i)abc", "[a-z&&[^x]]", "[a[b]]", "a{2", "(", "[a", "\\Qa\\E"}) {
    EXPECT_EQ(Pattern::Compile(unsupported), nullptr) << unsupported;
  }
}

TEST(PatternTest, LongInputsMatchInLinearTime) {
  auto pattern = Pattern::Compile(R"([\u0009\u000A\u000D\u0020-\u00FF]+)");
  ASSERT_NE(pattern, nullptr);
  EXPECT_TRUE(pattern->Matches(std::string(131072, 'a')));
  auto nested = Pattern::Compile("(a*)*b");
  ASSERT_NE(nested, nullptr);
  EXPECT_FALSE(nested->Matches(std::string(20000, 'a')));  // exponential for a backtracking engine
}

TEST(PatternTest, EveryPatternOfTheEmbeddedModelsCompiles) {
  for (const std::string& name : xacct::model::ServiceModel::ServiceNames()) {
    const auto* service = xacct::model::ServiceModel::Find(name);
    ASSERT_NE(service, nullptr) << name;
    for (const auto& shape : service->shapes()) {
      if (!shape->pattern.empty()) {
        EXPECT_NE(shape->compiled_pattern, nullptr) << name << " " << shape->name << " " << shape->pattern;
      }
    }
  }
}

}  // namespace
