// Glob patterns and policy variables (IAM User Guide: "Resource" wildcards, "Variables and tags").
#include "policy/pattern.h"

#include <gtest/gtest.h>

namespace xacct::policy {
namespace {

struct GlobCase {
  const char* pattern;
  const char* subject;
  bool match;
};

class GlobTest : public testing::TestWithParam<GlobCase> {};

TEST_P(GlobTest, MatchesAsIamDoes) {
  const auto& c = GetParam();
  const Pattern p = Pattern::Compile(c.pattern, {.wildcards = true, .variables = false});
  EXPECT_EQ(p.Match(c.subject, nullptr), c.match) << c.pattern << " vs " << c.subject;
}

INSTANTIATE_TEST_SUITE_P(
    Wildcards, GlobTest,
    testing::Values(GlobCase{"*", "", true}, GlobCase{"*", "anything/at:all", true}, GlobCase{"abc", "abc", true},
                    GlobCase{"abc", "abd", false}, GlobCase{"abc", "ABC", false}, GlobCase{"a*", "a", true},
                    GlobCase{"a*c", "abbbc", true}, GlobCase{"a*c", "abbbd", false}, GlobCase{"a?c", "abc", true},
                    GlobCase{"a?c", "ac", false}, GlobCase{"*/*", "db/t", true}, GlobCase{"*/*", "db", false},
                    GlobCase{"a*b*c", "axxbyyc", true}, GlobCase{"a*b*c", "axxcyyb", false}, GlobCase{"**", "x", true},
                    GlobCase{"*a", "bbba", true}, GlobCase{"?*", "", false}, GlobCase{"x*y*", "xay", true}),
    [](const testing::TestParamInfo<GlobCase>& info) { return "case" + std::to_string(info.index); });

TEST(PatternTest, VariablesResolveFromContext) {
  Context ctx;
  ctx.Set("aws:username", "carlos");
  ctx.Set("aws:PrincipalTag/team", "data");
  ctx.SetMulti("aws:TagKeys", {"a", "b"});
  const Pattern::Options vars{.wildcards = true, .variables = true};
  EXPECT_TRUE(Pattern::Compile("home/${aws:username}/*", vars).Match("home/carlos/x", &ctx));
  EXPECT_FALSE(Pattern::Compile("home/${aws:username}/*", vars).Match("home/maria/x", &ctx));
  // Keys are case-insensitive.
  EXPECT_TRUE(Pattern::Compile("${AWS:UserName}", vars).Match("carlos", &ctx));
  EXPECT_TRUE(Pattern::Compile("${aws:principaltag/TEAM}", vars).Match("data", &ctx));
  // An absent key without a default matches nothing, not even "*" text.
  EXPECT_FALSE(Pattern::Compile("${aws:userid}*", vars).Match("anything", &ctx));
  // A default fills in for an absent key.
  EXPECT_TRUE(Pattern::Compile("${aws:PrincipalTag/cost, 'none'}", vars).Match("none", &ctx));
  EXPECT_TRUE(Pattern::Compile("${aws:username,'x'}", vars).Match("carlos", &ctx));
  // A multivalued key cannot be a variable.
  EXPECT_FALSE(Pattern::Compile("${aws:TagKeys}", vars).Match("a", &ctx));
  // ${*}, ${?} and ${$} are the characters themselves.
  EXPECT_TRUE(Pattern::Compile("a${*}b", vars).Match("a*b", &ctx));
  EXPECT_FALSE(Pattern::Compile("a${*}b", vars).Match("axb", &ctx));
  EXPECT_TRUE(Pattern::Compile("${?}${$}", vars).Match("?$", &ctx));
  // A variable's value is literal text, never a wildcard.
  ctx.Set("aws:username", "*");
  EXPECT_FALSE(Pattern::Compile("${aws:username}", vars).Match("carlos", &ctx));
  // Without variables enabled (policy version 2008-10-17) the text is literal.
  EXPECT_TRUE(
      Pattern::Compile("${aws:username}", {.wildcards = true, .variables = false}).Match("${aws:username}", &ctx));
}

TEST(PatternTest, IgnoreCase) {
  const Pattern p = Pattern::Compile("Prod*", {.wildcards = true});
  EXPECT_TRUE(p.Match("PRODUCTION", nullptr, true));
  EXPECT_FALSE(p.Match("PRODUCTION", nullptr, false));
}

}  // namespace
}  // namespace xacct::policy
