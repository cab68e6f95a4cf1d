#include "services/athena/athena_store.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace xacct::services::athena {

namespace {

enum class ResourceType { kNone, kWorkGroup, kDataCatalog };

struct ActionResource {
  std::string_view operation;
  ResourceType type;
};

// Service Authorization Reference, "Actions, resources, and condition keys for Amazon Athena": the resource
// type each action authorizes on. The List actions without a resource type need "*".
constexpr std::array kActionResources{
    ActionResource{"BatchGetNamedQuery", ResourceType::kWorkGroup},
    ActionResource{"BatchGetPreparedStatement", ResourceType::kWorkGroup},
    ActionResource{"BatchGetQueryExecution", ResourceType::kWorkGroup},
    ActionResource{"CreateDataCatalog", ResourceType::kDataCatalog},
    ActionResource{"CreateNamedQuery", ResourceType::kWorkGroup},
    ActionResource{"CreatePreparedStatement", ResourceType::kWorkGroup},
    ActionResource{"CreateWorkGroup", ResourceType::kWorkGroup},
    ActionResource{"DeleteDataCatalog", ResourceType::kDataCatalog},
    ActionResource{"DeleteNamedQuery", ResourceType::kWorkGroup},
    ActionResource{"DeletePreparedStatement", ResourceType::kWorkGroup},
    ActionResource{"DeleteWorkGroup", ResourceType::kWorkGroup},
    ActionResource{"GetDataCatalog", ResourceType::kDataCatalog},
    ActionResource{"GetNamedQuery", ResourceType::kWorkGroup},
    ActionResource{"GetPreparedStatement", ResourceType::kWorkGroup},
    ActionResource{"GetQueryExecution", ResourceType::kWorkGroup},
    ActionResource{"GetQueryResults", ResourceType::kWorkGroup},
    ActionResource{"GetWorkGroup", ResourceType::kWorkGroup},
    ActionResource{"ListDataCatalogs", ResourceType::kNone},
    ActionResource{"ListEngineVersions", ResourceType::kNone},
    ActionResource{"ListNamedQueries", ResourceType::kWorkGroup},
    ActionResource{"ListPreparedStatements", ResourceType::kWorkGroup},
    ActionResource{"ListQueryExecutions", ResourceType::kWorkGroup},
    ActionResource{"ListWorkGroups", ResourceType::kNone},
    ActionResource{"StartQueryExecution", ResourceType::kWorkGroup},
    ActionResource{"StopQueryExecution", ResourceType::kWorkGroup},
    ActionResource{"UpdateDataCatalog", ResourceType::kDataCatalog},
    ActionResource{"UpdateNamedQuery", ResourceType::kWorkGroup},
    ActionResource{"UpdatePreparedStatement", ResourceType::kWorkGroup},
    ActionResource{"UpdateWorkGroup", ResourceType::kWorkGroup},
};

// Tag operations authorize on whichever resource type the ARN names.
bool IsTagOperation(std::string_view op) {
  return op == "TagResource" || op == "UntagResource" || op == "ListTagsForResource";
}

std::string Arn(const CallContext& ctx, std::string_view type, std::string_view name) {
  return "arn:aws:athena:" + ctx.request.region + ":" + ctx.caller.account + ":" + std::string(type) + "/" +
         std::string(name);
}

Result<std::optional<json::object>> GetDoc(store::Database& db, const store::Scope& scope, std::string_view kind,
                                           std::string_view id) {
  auto text = db.Get(scope, kind, id);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto parsed = ParseJson(**text);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return AwsError::Server("InternalServerException", "corrupt Athena document");
  return std::optional<json::object>(parsed->get_object());
}

json::object DefaultPrimary() {
  return json::object{
      {"Name", kPrimaryWorkGroup},
      {"State", "ENABLED"},
      {"Description", ""},
      {"CreationTime", 1704067200},  // a fixed instant: the workgroup predates every request
      {"Configuration",
       json::object{{"ResultConfiguration", json::object{}},
                    {"EnforceWorkGroupConfiguration", false},
                    {"PublishCloudWatchMetricsEnabled", false},
                    {"RequesterPaysEnabled", false},
                    {"EnableMinimumEncryptionConfiguration", false},
                    {"EngineVersion", json::object{{"SelectedEngineVersion", "AUTO"},
                                                   {"EffectiveEngineVersion", kEffectiveEngineVersion}}}}},
      {"Tags", json::array{}}};
}

}  // namespace

store::Scope ScopeOf(const CallContext& ctx) { return store::Scope{ctx.caller.account, ctx.request.region}; }

std::string WorkGroupArn(const CallContext& ctx, std::string_view name) { return Arn(ctx, "workgroup", name); }
std::string DataCatalogArn(const CallContext& ctx, std::string_view name) { return Arn(ctx, "datacatalog", name); }

AwsError InvalidRequest(std::string message, std::string_view athena_code) {
  AwsError e = AwsError::Client("InvalidRequestException", std::move(message));
  e.fields.emplace_back("AthenaErrorCode", std::string(athena_code));
  return e;
}

AwsError ResourceNotFound(std::string message) {
  return AwsError::Client("ResourceNotFoundException", std::move(message));
}

AwsError WorkGroupNotFound(std::string_view name) {
  return InvalidRequest("WorkGroup " + std::string(name) + " is not found.");
}

Status AuthorizeAthena(CallContext& ctx, std::string_view operation, std::string_view name, const json::array* tags,
                       const json::array* request_tags) {
  std::string resource = "*";
  if (IsTagOperation(operation)) {
    resource = std::string(name);  // the ARN itself
  } else {
    const auto* entry = std::find_if(kActionResources.begin(), kActionResources.end(),
                                     [&](const ActionResource& a) { return a.operation == operation; });
    if (entry == kActionResources.end()) throw std::logic_error("athena action without a resource type");
    if (entry->type == ResourceType::kWorkGroup) resource = WorkGroupArn(ctx, name);
    if (entry->type == ResourceType::kDataCatalog) resource = DataCatalogArn(ctx, name);
  }
  authz::Check check{
      .action = "athena:" + std::string(operation), .resource = resource, .resource_account = ctx.caller.account};
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  if (tags != nullptr) {
    for (const auto& t : *tags) {
      if (t.is_object())
        check.context.emplace_back("aws:ResourceTag/" + Str(t.get_object(), "Key"), Str(t.get_object(), "Value"));
    }
  }
  if (request_tags != nullptr) {
    std::vector<std::string> keys;
    for (const auto& t : *request_tags) {
      if (!t.is_object()) continue;
      keys.push_back(Str(t.get_object(), "Key"));
      check.context.emplace_back("aws:RequestTag/" + keys.back(), Str(t.get_object(), "Value"));
    }
    if (!keys.empty()) check.multi_context.emplace_back("aws:TagKeys", std::move(keys));
  }
  return ctx.Authorize(check);
}

Result<std::optional<json::object>> FindWorkGroup(store::Database& db, const store::Scope& scope,
                                                  std::string_view name) {
  auto doc = GetDoc(db, scope, kWorkGroupKind, name);
  if (!doc) return doc.error();
  if (!*doc && name == kPrimaryWorkGroup) return std::optional<json::object>(DefaultPrimary());
  return doc;
}

Result<json::object> LoadWorkGroup(CallContext& ctx, std::string_view name) {
  auto doc = FindWorkGroup(ctx.identities.db(), ScopeOf(ctx), name);
  if (!doc) return doc.error();
  if (!*doc) return WorkGroupNotFound(name);
  return std::move(**doc);
}

Status SaveWorkGroup(CallContext& ctx, const json::object& workgroup) {
  const std::string body = json::serialize(workgroup);
  const std::string name = Str(workgroup, "Name");
  return ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), kWorkGroupKind, name, body); });
}

Result<std::optional<json::object>> LoadDataCatalog(store::Database& db, std::string_view account,
                                                    std::string_view region, std::string_view name) {
  if (name == kDefaultCatalog) {
    return std::optional<json::object>(json::object{{"Name", kDefaultCatalog},
                                                    {"Type", "GLUE"},
                                                    {"Parameters", json::object{{"catalog-id", account}}},
                                                    {"Tags", json::array{}}});
  }
  return GetDoc(db, store::Scope{std::string(account), std::string(region)}, kDataCatalogKind, name);
}

Result<json::object> LoadPreparedStatement(store::Database& db, std::string_view account, std::string_view region,
                                           std::string_view workgroup, std::string_view name) {
  auto doc = GetDoc(db, store::Scope{std::string(account), std::string(region)}, kPreparedStatementKind,
                    std::string(workgroup) + "/" + std::string(name));
  if (!doc) return doc.error();
  if (!*doc) {
    return ResourceNotFound("Prepared statement " + std::string(name) + " was not found in workgroup " +
                            std::string(workgroup) + ".");
  }
  return std::move(**doc);
}

Result<Page> Paginate(const json::object& in, size_t count, int64_t default_max, int64_t max_max) {
  Page page;
  const std::string token = Str(in, "NextToken");
  if (!token.empty()) {
    size_t pos = 0;
    try {
      page.begin = std::stoul(token, &pos);
    } catch (...) {
      pos = 0;
    }
    if (pos != token.size() || token.empty()) return InvalidRequest("Invalid NextToken provided.");
  }
  const int64_t max = std::clamp<int64_t>(Int(in, "MaxResults").value_or(default_max), 1, max_max);
  page.begin = std::min(page.begin, count);
  page.end = std::min(count, page.begin + static_cast<size_t>(max));
  if (page.end < count) page.next_token = std::to_string(page.end);
  return page;
}

}  // namespace xacct::services::athena
