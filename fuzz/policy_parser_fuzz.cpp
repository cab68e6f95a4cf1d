// Fuzz target: any bytes as a policy document of any kind. The parser must never crash or leak, and
// whatever it accepts must evaluate and explain without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/evaluator.h"
#include "policy/explain.h"
#include "policy/parser.h"

namespace {

using namespace xacct::policy;

const Request& SampleRequest() {
  static const Request request = [] {
    Request r;
    r.caller = Caller::From(std::string("arn:aws:sts::222222222222:assumed-role/reader/s1"));
    r.action = ActionName::From("glue:GetTable");
    r.resource = ResourceName::From("arn:aws:glue:ap-northeast-1:111111111111:table/db/sales");
    r.resource_account = "111111111111";
    r.context.Set("aws:username", "alice");
    r.context.Set("aws:SourceIp", "203.0.113.7");
    r.context.Set("aws:CurrentTime", "2024-05-01T00:00:00Z");
    r.context.SetMulti("aws:TagKeys", {"team", "cost"});
    return r;
  }();
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<PolicyKind>(data[0] % 6);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto policy = ParsePolicy(text, {.kind = kind});
  if (!policy) return 0;
  PolicySet set;
  if (kind == PolicyKind::kIdentity) set.identity.push_back(&*policy);
  if (kind == PolicyKind::kResource || kind == PolicyKind::kTrust || kind == PolicyKind::kAny) set.resource = &*policy;
  if (kind == PolicyKind::kScp) set.scps.push_back({&*policy});
  if (kind == PolicyKind::kRcp) set.rcps.push_back({&*policy});
  const Decision d = Evaluate(SampleRequest(), set);
  (void)Explain(d, SampleRequest(), set);
  return 0;
}
