// TestState (API Reference, TestState; Developer Guide, "Using TestState API to test a state") and tags
// (TagResource, UntagResource, ListTagsForResource: state machines; activities are not served).
//
// TestState runs one state on its own; a Task calls its integration as a session of `roleArn`, which the
// caller must be allowed to pass (iam:PassRole). The role is assumed only when a task needs it.
#include "asl/interpreter.h"
#include "services/states/integrations.h"
#include "services/states/states_internal.h"
#include "services/states/states_ops.h"

namespace xacct::services::states {

Result<json::object> TestState(CallContext& ctx, const json::object& in) {
  if (auto s = AuthorizeStates(ctx, "TestState", "*", ctx.caller.account); !s) return s.error();
  const std::string role_arn = Str(in, "roleArn");
  if (!role_arn.empty()) {
    if (auto s = AuthorizePassRole(ctx, role_arn); !s) return s.error();
  }
  auto input = ParsePayload(in.contains("input") ? Str(in, "input") : "{}");
  if (!input) return input.error();
  auto session = std::make_shared<RoleSession>(ctx.authz, ctx.identities, role_arn, std::string(), ctx.request.region);
  StatesIntegrations integrations(TaskEnv{ctx.authz, ctx.identities, ctx.backends, session, ctx.request.region});
  asl::SystemClock clock;
  auto outcome = asl::TestState(Str(in, "definition"), *input, integrations, clock, ctx.request.region);
  if (!outcome) return outcome.error();
  json::object out{{"status", outcome->status}};
  if (outcome->status == "SUCCEEDED" || outcome->status == "CAUGHT_ERROR") {
    if (!outcome->output.is_null()) out["output"] = json::serialize(outcome->output);
  }
  if (!outcome->error.empty()) out["error"] = outcome->error;
  if (!outcome->cause.empty()) out["cause"] = outcome->cause;
  if (!outcome->next_state.empty()) out["nextState"] = outcome->next_state;
  const std::string level = Str(in, "inspectionLevel");
  if (level == "DEBUG" || level == "TRACE") {
    json::object inspection;
    for (const auto& [key, value] : outcome->inspection_data) {
      inspection[key] = value.is_string() ? value : json::value(json::serialize(value));
    }
    out["inspectionData"] = std::move(inspection);
  }
  return out;
}

namespace {

struct Tagged {
  MachineRef ref;
  store::Scope scope;
};

Result<Tagged> TaggedMachine(const std::string& arn) {
  auto ref = ParseMachineArn(arn);
  if (!ref) return ref.error();
  if (ref->qualified()) return InvalidArn(arn);
  return Tagged{*ref, ScopeOf(ref->account, ref->region)};
}

// Changes a state machine's tags in one transaction.
Status EditTags(CallContext& ctx, const Tagged& t, const std::string& arn,
                const std::function<Status(json::array&)>& edit) {
  return ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto text = tx.Get(t.scope, kMachineKind, t.ref.name);
    if (!text) return text.error();
    if (!*text) return ResourceNotFound(arn);
    auto parsed = ParseJson(**text);
    if (!parsed || !parsed->is_object()) return AwsError::Server("InternalFailure", "corrupt state machine");
    json::object machine = std::move(parsed->as_object());
    json::array tags = Arr(machine, "tags") != nullptr ? *Arr(machine, "tags") : json::array{};
    if (auto s = edit(tags); !s) return s;
    machine["tags"] = std::move(tags);
    return tx.Put(t.scope, kMachineKind, t.ref.name, json::serialize(machine));
  });
}

}  // namespace

Result<json::object> TagResource(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "resourceArn");
  auto t = TaggedMachine(arn);
  if (!t) return t.error();
  const json::array* request = Arr(in, "tags");
  if (auto s = AuthorizeStates(ctx, "TagResource", arn, t->ref.account, nullptr, request); !s) return s.error();
  auto edited = EditTags(ctx, *t, arn, [&](json::array& tags) -> Status {
    if (request == nullptr) return Ok{};
    for (const auto& add : *request) {
      const std::string key = Str(add.as_object(), "key");
      bool replaced = false;
      for (auto& existing : tags) {
        if (Str(existing.as_object(), "key") == key) {
          existing = add;
          replaced = true;
        }
      }
      if (!replaced) tags.push_back(add);
    }
    if (tags.size() > 50) {
      return AwsError::Client("TooManyTags", "Too many tags: the limit is 50 tags per resource");
    }
    return Ok{};
  });
  if (!edited) return edited.error();
  return json::object{};
}

Result<json::object> UntagResource(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "resourceArn");
  auto t = TaggedMachine(arn);
  if (!t) return t.error();
  const std::vector<std::string> keys = JsonStrings(in.if_contains("tagKeys"));
  if (auto s = AuthorizeStates(ctx, "UntagResource", arn, t->ref.account); !s) return s.error();
  auto edited = EditTags(ctx, *t, arn, [&](json::array& tags) -> Status {
    EraseIf(tags, [&](const json::value& tag) {
      return std::find(keys.begin(), keys.end(), Str(tag.as_object(), "key")) != keys.end();
    });
    return Ok{};
  });
  if (!edited) return edited.error();
  return json::object{};
}

Result<json::object> ListTagsForResource(CallContext& ctx, const json::object& in) {
  const std::string arn = Str(in, "resourceArn");
  auto t = TaggedMachine(arn);
  if (!t) return t.error();
  if (auto s = AuthorizeStates(ctx, "ListTagsForResource", arn, t->ref.account); !s) return s.error();
  auto machine = LoadDoc(ctx.identities.db(), t->scope, kMachineKind, t->ref.name);
  if (!machine) return machine.error();
  if (!*machine) return ResourceNotFound(arn);
  const json::array* tags = Arr(**machine, "tags");
  return json::object{{"tags", tags != nullptr ? *tags : json::array{}}};
}

}  // namespace xacct::services::states
