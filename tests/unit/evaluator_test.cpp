// The evaluation logic, end to end through the parser, on the seed 000 pipeline: a target-account
// role session reads a source-account Glue table only when both its identity policy and the
// source catalog's resource policy allow, on the catalog, database and table ARNs.
#include "policy/evaluator.h"

#include <gtest/gtest.h>

#include "policy/explain.h"
#include "policy/parser.h"

namespace xacct::policy {
namespace {

constexpr const char* kRole = "cm-kasama-cross-account-dev-sfn-execution-role";
constexpr const char* kSession =
    "arn:aws:sts::222222222222:assumed-role/cm-kasama-cross-account-dev-sfn-execution-role/exec-1";

constexpr const char* kIdentity = R"({"Version":"2012-10-17","Statement":[{
  "Sid":"AllowSourceGlueCatalogReadAccess","Effect":"Allow",
  "Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions"],
  "Resource":["arn:aws:glue:ap-northeast-1:111111111111:catalog",
              "arn:aws:glue:ap-northeast-1:111111111111:database/*",
              "arn:aws:glue:ap-northeast-1:111111111111:table/*/*"]}]})";

constexpr const char* kCatalogPolicy = R"({"Version":"2012-10-17","Statement":[{
  "Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::222222222222:role/cm-kasama-cross-account-dev-sfn-execution-role"},
  "Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions"],
  "Resource":["arn:aws:glue:ap-northeast-1:111111111111:catalog",
              "arn:aws:glue:ap-northeast-1:111111111111:database/*",
              "arn:aws:glue:ap-northeast-1:111111111111:table/*/*"]}]})";

Policy Parse(const char* text, PolicyKind kind, const char* label) {
  auto p = ParsePolicy(text, {.kind = kind, .label = label});
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().detail);
  return p.ok() ? std::move(*p) : Policy{};
}

Request GlueRequest(const char* resource) {
  Request r;
  r.caller = Caller::From(std::string(kSession));
  r.action = ActionName::From("glue:GetTable");
  r.resource = ResourceName::From(resource);
  r.resource_account = "111111111111";
  r.context.Set("aws:PrincipalArn", std::string("arn:aws:iam::222222222222:role/") + kRole);
  r.context.Set("aws:PrincipalAccount", "222222222222");
  return r;
}

TEST(SeedPipelineTest, CrossAccountGetTableNeedsBothSidesOnAllThreeArns) {
  const Policy identity = Parse(kIdentity, PolicyKind::kIdentity, "role policy");
  const Policy catalog = Parse(kCatalogPolicy, PolicyKind::kResource, "catalog policy");
  const char* arns[] = {"arn:aws:glue:ap-northeast-1:111111111111:catalog",
                        "arn:aws:glue:ap-northeast-1:111111111111:database/cm_kasama_cross_account_db",
                        "arn:aws:glue:ap-northeast-1:111111111111:table/cm_kasama_cross_account_db/sales"};
  for (const char* arn : arns) {
    const Request r = GlueRequest(arn);
    PolicySet both{.identity = {&identity}, .resource = &catalog};
    const Decision d = Evaluate(r, both);
    EXPECT_EQ(d.verdict, Verdict::kAllowed) << arn << ": " << Explain(d, r, both);
    EXPECT_EQ(d.basis, Basis::kBothAllow);

    PolicySet identity_only{.identity = {&identity}};
    const Decision no_catalog = Evaluate(r, identity_only);
    EXPECT_EQ(no_catalog.verdict, Verdict::kImplicitlyDenied) << arn;
    EXPECT_NE(Explain(no_catalog, r, identity_only).find("has no resource policy"), std::string::npos);

    PolicySet catalog_only{.resource = &catalog};
    const Decision no_identity = Evaluate(r, catalog_only);
    EXPECT_EQ(no_identity.verdict, Verdict::kImplicitlyDenied) << arn;
    EXPECT_EQ(AwsDenialReason(no_identity, r), "because no identity-based policy allows the glue:GetTable action");
  }
}

TEST(SeedPipelineTest, ExplanationSaysWhichSideIsMissing) {
  const Policy identity = Parse(kIdentity, PolicyKind::kIdentity, "role policy");
  const Policy other = Parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"AWS":"333333333333"},"Action":"glue:*","Resource":"*"}]})",
                             PolicyKind::kResource, "");
  const Request r = GlueRequest("arn:aws:glue:ap-northeast-1:111111111111:catalog");
  PolicySet set{.identity = {&identity}, .resource = &other};
  const Decision d = Evaluate(r, set);
  EXPECT_EQ(d.verdict, Verdict::kImplicitlyDenied);
  EXPECT_EQ(Explain(d, r, set),
            "implicitly denied (cross-account request (222222222222 -> 111111111111)): the resource policy of "
            "arn:aws:glue:ap-northeast-1:111111111111:catalog grants nothing to " +
                std::string(kSession) + " for glue:GetTable");
  EXPECT_EQ(AwsDenialReason(d, r), "because no resource-based policy allows the glue:GetTable action");
}

TEST(EvaluatorTest, ExplicitDenyInAnScpWinsAndIsNamed) {
  const Policy identity = Parse(kIdentity, PolicyKind::kIdentity, "");
  const Policy catalog = Parse(kCatalogPolicy, PolicyKind::kResource, "");
  const Policy full =
      Parse(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})", PolicyKind::kScp, "FullAWSAccess");
  const Policy deny = Parse(R"({"Statement":{"Sid":"NoGlue","Effect":"Deny","Action":"glue:*","Resource":"*"}})",
                            PolicyKind::kScp, "p-noglue");
  const Request r = GlueRequest("arn:aws:glue:ap-northeast-1:111111111111:catalog");
  PolicySet set{.identity = {&identity}, .resource = &catalog, .scps = {{&full}, {&full, &deny}}};
  const Decision d = Evaluate(r, set);
  EXPECT_EQ(d.verdict, Verdict::kExplicitlyDenied);
  EXPECT_EQ(d.refs[0].level, 1);
  EXPECT_NE(Explain(d, r, set).find("\"NoGlue\""), std::string::npos);
  EXPECT_EQ(AwsDenialReason(d, r), "with an explicit deny in a service control policy");

  PolicySet missing_level{.identity = {&identity}, .resource = &catalog, .scps = {{&full}, {}}};
  const Decision m = Evaluate(r, missing_level);
  EXPECT_EQ(m.verdict, Verdict::kImplicitlyDenied);
  EXPECT_EQ(m.basis, Basis::kScpLevelNoAllow);
  EXPECT_EQ(m.scp_level, 1);
}

TEST(EvaluatorTest, GetCallerIdentityNeedsNoPermission) {
  const Policy deny =
      Parse(R"({"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}})", PolicyKind::kIdentity, "");
  Request r;
  r.caller = Caller::From(std::string("arn:aws:iam::111111111111:user/alice"));
  r.action = ActionName::From("sts:GetCallerIdentity");
  r.resource = ResourceName::From("*");
  r.resource_account = "111111111111";
  PolicySet set{.identity = {&deny}};
  EXPECT_EQ(Evaluate(r, set).verdict, Verdict::kAllowed);
  r.caller = Caller::From(std::nullopt);  // anonymous callers are not authenticated
  EXPECT_EQ(Evaluate(r, PolicySet{}).verdict, Verdict::kImplicitlyDenied);
}

}  // namespace
}  // namespace xacct::policy
