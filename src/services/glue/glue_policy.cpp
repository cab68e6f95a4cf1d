// The Data Catalog resource policy (AWS Glue API Reference, "Security APIs": PutResourcePolicy,
// GetResourcePolicy, DeleteResourcePolicy, GetResourcePolicies; Developer Guide, "AWS Glue resource
// policies for access control"). One policy per catalog (account and region), stored in the owner's
// scope, where every Data Catalog check of that catalog finds it. PolicyHash is xacct's: the base64 of
// the SHA-256 of the policy text, so the same text always has the same hash; clients treat it as opaque
// and hand it back in PolicyHashCondition.
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "policy/parser.h"
#include "services/glue/glue_internal.h"

namespace xacct::services::glue {

namespace {

std::string PolicyHash(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char out[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(out, digest, SHA256_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

AwsError ConditionFailed(const std::string& message) {
  return AwsError::Client("ConditionCheckFailureException", message);
}

//! The caller's own catalog; a ResourceArn, when given, must name it (Glue keeps no policies on
//! databases or tables: "Glue resource level policy is not currently supported").
Result<Catalog> OwnCatalog(const CallContext& ctx, const json::object& in) {
  Catalog catalog{ctx.caller.account, ctx.request.region};
  if (const std::string arn = Str(in, "ResourceArn"); !arn.empty() && arn != catalog.Arn()) {
    return InvalidInput("Glue resource level policy is not currently supported");
  }
  return catalog;
}

json::object Public(const json::object& stored) {
  json::object out;
  for (const auto* key : {"PolicyInJson", "PolicyHash", "CreateTime", "UpdateTime"}) CopyIf(stored, out, key);
  return out;
}

}  // namespace

Result<json::object> PutResourcePolicy(CallContext& ctx, const json::object& in) {
  auto catalog = OwnCatalog(ctx, in);
  if (!catalog) return catalog.error();
  if (auto s = Authorize(ctx, *catalog, "PutResourcePolicy"); !s) return s.error();
  const std::string text = Str(in, "PolicyInJson");
  auto parsed = policy::ParsePolicy(text, {.kind = policy::PolicyKind::kResource});
  if (!parsed) return InvalidInput("Policy document is not valid: " + parsed.error().message);
  const std::string exists = Str(in, "PolicyExistsCondition");
  const std::string hash_condition = Str(in, "PolicyHashCondition");
  const std::string hybrid = Str(in, "EnableHybrid");
  if (!hybrid.empty() && hybrid != "TRUE" && hybrid != "FALSE") {
    return InvalidInput("EnableHybrid must be TRUE or FALSE.");
  }
  const std::string hash = PolicyHash(text);
  std::optional<AwsError> failed;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    failed.reset();
    auto current_text = tx.Get(catalog->scope(), kPolicyKind, kPolicyId);
    if (!current_text) return current_text.error();
    std::optional<json::object> current;
    if (*current_text) {
      auto v = ParseJson(**current_text);
      if (v && v->is_object()) current = v->as_object();
    }
    if (exists == "MUST_EXIST" && !current) {
      failed = ConditionFailed("The resource policy does not exist, but PolicyExistsCondition is MUST_EXIST.");
    } else if (exists == "NOT_EXIST" && current) {
      failed = ConditionFailed("A resource policy already exists, but PolicyExistsCondition is NOT_EXIST.");
    } else if (!hash_condition.empty() && (!current || Str(*current, "PolicyHash") != hash_condition)) {
      failed = ConditionFailed("The PolicyHashCondition does not match the hash of the current policy.");
    }
    if (failed) return Ok{};
    json::object record{{"PolicyInJson", text},
                        {"PolicyHash", hash},
                        {"CreateTime", current ? (*current)["CreateTime"] : json::value(Now(ctx))},
                        {"UpdateTime", Now(ctx)},
                        {"EnableHybrid", hybrid.empty() ? "FALSE" : hybrid}};
    return tx.Put(catalog->scope(), kPolicyKind, kPolicyId, json::serialize(record));
  });
  if (!s) return s.error();
  if (failed) return *failed;
  return json::object{{"PolicyHash", hash}};
}

Result<json::object> GetResourcePolicy(CallContext& ctx, const json::object& in) {
  auto catalog = OwnCatalog(ctx, in);
  if (!catalog) return catalog.error();
  if (auto s = Authorize(ctx, *catalog, "GetResourcePolicy"); !s) return s.error();
  auto current = LoadPolicy(ctx, *catalog);
  if (!current) return current.error();
  if (!*current) return EntityNotFound("Policy not found");
  return Public(**current);
}

Result<json::object> DeleteResourcePolicy(CallContext& ctx, const json::object& in) {
  auto catalog = OwnCatalog(ctx, in);
  if (!catalog) return catalog.error();
  if (auto s = Authorize(ctx, *catalog, "DeleteResourcePolicy"); !s) return s.error();
  const std::string hash_condition = Str(in, "PolicyHashCondition");
  std::optional<AwsError> failed;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    failed.reset();
    auto current_text = tx.Get(catalog->scope(), kPolicyKind, kPolicyId);
    if (!current_text) return current_text.error();
    if (!*current_text) {
      failed = EntityNotFound("Policy not found");
      return Ok{};
    }
    if (!hash_condition.empty()) {
      auto v = ParseJson(**current_text);
      if (!v || !v->is_object() || Str(v->as_object(), "PolicyHash") != hash_condition) {
        failed = ConditionFailed("The PolicyHashCondition does not match the hash of the current policy.");
        return Ok{};
      }
    }
    return tx.Delete(catalog->scope(), kPolicyKind, kPolicyId);
  });
  if (!s) return s.error();
  if (failed) return *failed;
  return json::object{};
}

Result<json::object> GetResourcePolicies(CallContext& ctx, const json::object& in) {
  // Glue lists the catalog policy and the policies Resource Access Manager set on shared resources;
  // xacct has no RAM shares, so the list holds the catalog policy when there is one.
  Catalog catalog{ctx.caller.account, ctx.request.region};
  if (auto s = Authorize(ctx, catalog, "GetResourcePolicies"); !s) return s.error();
  auto current = LoadPolicy(ctx, catalog);
  if (!current) return current.error();
  std::vector<json::object> all;
  if (*current) all.push_back(Public(**current));
  auto page = Paginate(in, all.size(), 1000);
  if (!page) return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) list.emplace_back(std::move(all[i]));
  json::object out{{"GetResourcePoliciesResponseList", std::move(list)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

}  // namespace xacct::services::glue
