// Decisions per second of the policy engine (issue: "Foundation and the IAM policy engine").
//  a) a role with 10 managed policies of 10 statements each, with wildcards and conditions, same account;
//  b) the seed 000 cross-account Glue GetTable with the source catalog's resource policy;
//  c) b) with three SCP levels (root, OU, account).
// Policies and the request are prepared once, as the server does; the loop measures Evaluate only.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "policy/evaluator.h"
#include "policy/parser.h"

namespace xacct::policy {
namespace {

Policy MustParse(const std::string& text, PolicyKind kind) {
  auto p = ParsePolicy(text, {.kind = kind});
  if (!p) {
    fprintf(stderr, "bench policy does not parse: %s\n", p.error().detail.c_str());
    std::abort();
  }
  return std::move(*p);
}

// Policy i, statement j: realistic mixes of services, wildcards and conditions; only the very last
// statement of the last policy allows the benchmark's request, so every statement is looked at.
std::string ManagedPolicy(int i) {
  static const char* kActions[] = {R"(["dynamodb:Get*","dynamodb:Query"])", R"(["glue:Get*","glue:BatchGet*"])",
                                   R"("s3:List*")", R"(["athena:*QueryExecution","athena:GetWorkGroup"])",
                                   R"(["s3:Get*","s3:PutObject"])"};
  std::string out = R"({"Version":"2012-10-17","Statement":[)";
  for (int j = 0; j < 10; ++j) {
    if (j) out += ",";
    const std::string suffix = std::to_string(i) + "-" + std::to_string(j);
    const bool deny = j == 3;
    out += R"({"Sid":"S)" + std::to_string(j) + R"(","Effect":")" + (deny ? "Deny" : "Allow") + R"(","Action":)" +
           (deny ? R"("s3:DeleteObject*")" : kActions[j % 5]) + R"(,"Resource":["arn:aws:s3:::bucket-)" + suffix +
           R"(/*","arn:aws:*:ap-northeast-1:111111111111:*/)" + suffix +
           R"("],"Condition":{"StringEquals":{"aws:PrincipalTag/team":["data","platform"]},)" +
           R"("IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}})";
  }
  return out + "]}";
}

void SetContext(Request* r) {
  r->context.Set("aws:PrincipalArn", "arn:aws:iam::" + r->caller.account + ":role/" + r->caller.role_name);
  r->context.Set("aws:PrincipalAccount", r->caller.account);
  r->context.Set("aws:PrincipalOrgID", "o-exampleorgid");
  r->context.Set("aws:PrincipalTag/team", "data");
  r->context.Set("aws:SourceIp", "203.0.113.7");
  r->context.Set("aws:SecureTransport", "true");
  r->context.Set("aws:RequestedRegion", "ap-northeast-1");
  r->context.Set("aws:MultiFactorAuthPresent", "false");
}

void BM_SameAccountRoleWith100Statements(benchmark::State& state) {
  std::vector<Policy> policies;
  for (int i = 0; i < 10; ++i) policies.push_back(MustParse(ManagedPolicy(i), PolicyKind::kIdentity));
  PolicySet set;
  for (const auto& p : policies) set.identity.push_back(&p);
  Request r;
  r.caller = Caller::From(std::string("arn:aws:sts::111111111111:assumed-role/analyst/session-1"));
  r.action = ActionName::From("s3:GetObject");
  r.resource = ResourceName::From("arn:aws:s3:::bucket-9-9/data/2024/05/01/part-0000.parquet");
  r.resource_account = "111111111111";
  SetContext(&r);
  if (Evaluate(r, set).verdict != Verdict::kAllowed) state.SkipWithError("expected Allowed");
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(r, set));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SameAccountRoleWith100Statements);

constexpr const char* kSeedIdentity = R"({"Version":"2012-10-17","Statement":[
 {"Sid":"AllowAthenaQueryExecution","Effect":"Allow","Action":["athena:StartQueryExecution","athena:GetQueryExecution",
  "athena:GetQueryResults","athena:StopQueryExecution","athena:GetDataCatalog"],
  "Resource":["arn:aws:athena:ap-northeast-1:222222222222:workgroup/cm-kasama-cross-account-dev-target-workgroup",
              "arn:aws:athena:ap-northeast-1:222222222222:datacatalog/*"]},
 {"Sid":"AllowTargetGlueCatalogAccess","Effect":"Allow","Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions",
  "glue:BatchCreatePartition"],"Resource":["arn:aws:glue:ap-northeast-1:222222222222:catalog",
  "arn:aws:glue:ap-northeast-1:222222222222:database/cm_kasama_cross_account_target_db",
  "arn:aws:glue:ap-northeast-1:222222222222:table/cm_kasama_cross_account_target_db/*"]},
 {"Sid":"AllowSourceGlueCatalogReadAccess","Effect":"Allow","Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions"],
  "Resource":["arn:aws:glue:ap-northeast-1:111111111111:catalog","arn:aws:glue:ap-northeast-1:111111111111:database/*",
              "arn:aws:glue:ap-northeast-1:111111111111:table/*/*"]},
 {"Sid":"AllowSourceS3BucketReadAccess","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],
  "Resource":["arn:aws:s3:::cm-kasama-cross-account-dev-data","arn:aws:s3:::cm-kasama-cross-account-dev-data/*"]}]})";

constexpr const char* kSeedCatalogPolicy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::222222222222:role/cm-kasama-cross-account-dev-sfn-execution-role"},
  "Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions"],
  "Resource":["arn:aws:glue:ap-northeast-1:111111111111:catalog","arn:aws:glue:ap-northeast-1:111111111111:database/*",
              "arn:aws:glue:ap-northeast-1:111111111111:table/*/*"]}]})";

Request SeedRequest() {
  Request r;
  r.caller = Caller::From(
      std::string("arn:aws:sts::222222222222:assumed-role/cm-kasama-cross-account-dev-sfn-execution-role/exec-0001"));
  r.action = ActionName::From("glue:GetTable");
  r.resource = ResourceName::From("arn:aws:glue:ap-northeast-1:111111111111:table/cm_kasama_cross_account_db/sales");
  r.resource_account = "111111111111";
  SetContext(&r);
  r.context.SetMulti("aws:CalledVia", {"athena.amazonaws.com"});
  return r;
}

void BM_SeedCrossAccountGlue(benchmark::State& state) {
  const Policy identity = MustParse(kSeedIdentity, PolicyKind::kIdentity);
  const Policy catalog = MustParse(kSeedCatalogPolicy, PolicyKind::kResource);
  PolicySet set{.identity = {&identity}, .resource = &catalog};
  const Request r = SeedRequest();
  if (Evaluate(r, set).verdict != Verdict::kAllowed) state.SkipWithError("expected Allowed");
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(r, set));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SeedCrossAccountGlue);

void BM_SeedCrossAccountGlueWith3ScpLevels(benchmark::State& state) {
  const Policy identity = MustParse(kSeedIdentity, PolicyKind::kIdentity);
  const Policy catalog = MustParse(kSeedCatalogPolicy, PolicyKind::kResource);
  const Policy full = MustParse(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", PolicyKind::kScp);
  const Policy region = MustParse(R"({"Version":"2012-10-17","Statement":[{"Sid":"DenyOtherRegions","Effect":"Deny",
      "NotAction":["iam:*","organizations:*","sts:*","support:*"],"Resource":"*",
      "Condition":{"StringNotEquals":{"aws:RequestedRegion":["ap-northeast-1","us-east-1"]}}}]})",
                                  PolicyKind::kScp);
  const Policy allow_list = MustParse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["athena:*","glue:*","s3:*","states:*","dynamodb:*","sts:*","iam:*","lambda:*"],"Resource":"*"}]})",
                                      PolicyKind::kScp);
  PolicySet set{.identity = {&identity}, .resource = &catalog, .scps = {{&full}, {&full, &region}, {&allow_list}}};
  const Request r = SeedRequest();
  if (Evaluate(r, set).verdict != Verdict::kAllowed) state.SkipWithError("expected Allowed");
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(r, set));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SeedCrossAccountGlueWith3ScpLevels);

// For comparison: the one-time cost of compiling a policy (not on the hot path).
void BM_ParseManagedPolicy(benchmark::State& state) {
  const std::string text = ManagedPolicy(0);
  for (auto _ : state) benchmark::DoNotOptimize(ParsePolicy(text, {.kind = PolicyKind::kIdentity}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseManagedPolicy);

}  // namespace
}  // namespace xacct::policy

BENCHMARK_MAIN();
