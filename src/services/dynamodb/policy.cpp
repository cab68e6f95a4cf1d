// Resource-based policies on tables (API Reference: PutResourcePolicy, GetResourcePolicy,
// DeleteResourcePolicy; Developer Guide, "Using resource-based policies for DynamoDB"). One policy per
// table, stored beside it in the table's scope, where every check on the table or its indexes finds it
// (dynamodb_common.cpp: LoadTable). RevisionId is a decimal string that grows with every change (AWS's
// are millisecond timestamps); ExpectedRevisionId must match the current one, else PolicyNotFoundException.
// Stream policies are not served: xacct has no DynamoDB Streams.
#include <algorithm>

#include "policy/parser.h"
#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

namespace {

AwsError PolicyNotFound(const std::string& arn) {
  return AwsError::Client("PolicyNotFoundException",
                          "Resource-based policy not found for the provided ResourceArn: " + arn);
}

//! The table a policy call names (ResourceArn: a table ARN), loaded and authorized for `action`.
Result<Table> PolicyTable(CallContext& ctx, const json::object& in, std::string_view action) {
  const std::string arn = Str(in, "ResourceArn");
  if (!arn.starts_with("arn:")) {
    return ValidationException("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  }
  return OpenTable(ctx, arn, {.action = std::string(action)}, true);
}

Result<std::optional<json::object>> CurrentPolicy(store::Transaction& tx, const TableRef& ref) {
  auto text = tx.Get(ref.scope(), kPolicyKind, ref.name);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto doc = ParseJson(**text);
  if (!doc || !doc->is_object()) return AwsError::Server("InternalServerError", "corrupt resource policy record");
  return std::optional<json::object>(std::move(doc->as_object()));
}

}  // namespace

Status CheckPolicyText(std::string_view text) {
  // DynamoDB's quota on a resource policy: 20 KB (Developer Guide, "Resource-based policy considerations").
  if (text.size() > 20 * 1024) return ValidationException("Policy document size exceeds the limit of 20 KB");
  auto parsed = policy::ParsePolicy(text, {.kind = policy::PolicyKind::kResource});
  if (!parsed) return ValidationException("Invalid policy document: " + parsed.error().message);
  return Ok{};
}

Result<std::string> PutPolicyRecord(store::Transaction& tx, const TableRef& ref, std::string_view text, int64_t now) {
  auto current = CurrentPolicy(tx, ref);
  if (!current) return current.error();
  int64_t revision = now * 1000;
  if (*current) {
    try {
      revision = std::max<int64_t>(revision, std::stoll(Str(**current, "RevisionId")) + 1);
    } catch (...) {
    }
  }
  const std::string id = std::to_string(revision);
  json::object record{{"Policy", text}, {"RevisionId", id}};
  if (auto s = tx.Put(ref.scope(), kPolicyKind, ref.name, json::serialize(record)); !s) return s.error();
  return id;
}

Result<json::object> PutResourcePolicy(CallContext& ctx, const json::object& in) {
  auto table = PolicyTable(ctx, in, "dynamodb:PutResourcePolicy");
  if (!table) return table.error();
  const std::string text = Str(in, "Policy");
  if (auto s = CheckPolicyText(text); !s) return s.error();
  const std::string expected = Str(in, "ExpectedRevisionId");
  std::optional<AwsError> refused;
  std::string revision;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    refused.reset();
    if (!expected.empty()) {
      auto current = CurrentPolicy(tx, table->ref);
      if (!current) return current.error();
      if (!*current || Str(**current, "RevisionId") != expected) {
        refused = PolicyNotFound(table->ref.Arn());
        return Ok{};
      }
    }
    auto id = PutPolicyRecord(tx, table->ref, text, ctx.request.now);
    if (!id) return id.error();
    revision = std::move(*id);
    return Ok{};
  });
  if (!s) return s.error();
  if (refused) return *refused;
  return json::object{{"RevisionId", revision}};
}

Result<json::object> GetResourcePolicy(CallContext& ctx, const json::object& in) {
  auto table = PolicyTable(ctx, in, "dynamodb:GetResourcePolicy");
  if (!table) return table.error();
  auto text = ctx.identities.db().Get(table->ref.scope(), kPolicyKind, table->ref.name);
  if (!text) return text.error();
  if (!*text) return PolicyNotFound(table->ref.Arn());
  auto doc = ParseJson(**text);
  if (!doc || !doc->is_object()) return AwsError::Server("InternalServerError", "corrupt resource policy record");
  return json::object{{"Policy", Str(doc->as_object(), "Policy")}, {"RevisionId", Str(doc->as_object(), "RevisionId")}};
}

Result<json::object> DeleteResourcePolicy(CallContext& ctx, const json::object& in) {
  auto table = PolicyTable(ctx, in, "dynamodb:DeleteResourcePolicy");
  if (!table) return table.error();
  const std::string expected = Str(in, "ExpectedRevisionId");
  std::optional<AwsError> refused;
  std::string revision;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    refused.reset();
    auto current = CurrentPolicy(tx, table->ref);
    if (!current) return current.error();
    if (!*current || (!expected.empty() && Str(**current, "RevisionId") != expected)) {
      refused = PolicyNotFound(table->ref.Arn());
      return Ok{};
    }
    revision = Str(**current, "RevisionId");
    return tx.Delete(table->ref.scope(), kPolicyKind, table->ref.name);
  });
  if (!s) return s.error();
  if (refused) return *refused;
  return json::object{{"RevisionId", revision}};
}

}  // namespace xacct::services::dynamodb
