#include "services/glue/catalog_client.h"

#include "services/glue/glue_provider.h"

namespace xacct::services::glue {

Result<json::object> CatalogClient::Invoke(const identity::Principal& caller, authz::RequestInfo& info,
                                           std::string_view operation, const json::object& input,
                                           std::string* explanation) {
  const auto& handlers = GlueHandlers();
  const auto it = handlers.find(operation);
  if (it == handlers.end()) {
    return AwsError::Server("InternalFailure", "xacct's Glue has no operation " + std::string(operation));
  }
  const std::string saved_operation = info.operation;
  const std::string saved_service = info.service;
  info.operation = std::string(operation);
  info.service = "glue";
  CallContext ctx{caller, info, authorizer_, identities_, {}};
  auto out = it->second(ctx, input);
  info.operation = saved_operation;
  info.service = saved_service;
  if (explanation != nullptr) *explanation = ctx.explanation;
  return out;
}

Result<json::object> CatalogClient::GetDatabase(const identity::Principal& caller, authz::RequestInfo& info,
                                                std::string_view catalog_id, std::string_view database,
                                                std::string* explanation) {
  auto out = Invoke(caller, info, "GetDatabase", {{"CatalogId", catalog_id}, {"Name", database}}, explanation);
  if (!out) return out.error();
  const auto* db = out->if_contains("Database");
  return db != nullptr && db->is_object() ? db->as_object() : json::object{};
}

Result<json::object> CatalogClient::GetTable(const identity::Principal& caller, authz::RequestInfo& info,
                                             std::string_view catalog_id, std::string_view database,
                                             std::string_view table, std::string* explanation) {
  auto out = Invoke(caller, info, "GetTable", {{"CatalogId", catalog_id}, {"DatabaseName", database}, {"Name", table}},
                    explanation);
  if (!out) return out.error();
  const auto* t = out->if_contains("Table");
  return t != nullptr && t->is_object() ? t->as_object() : json::object{};
}

Result<std::vector<json::object>> CatalogClient::GetPartitions(const identity::Principal& caller,
                                                               authz::RequestInfo& info, std::string_view catalog_id,
                                                               std::string_view database, std::string_view table,
                                                               std::string_view expression, std::string* explanation) {
  std::vector<json::object> partitions;
  std::string token;
  for (;;) {
    json::object input{{"CatalogId", catalog_id}, {"DatabaseName", database}, {"TableName", table}};
    if (!expression.empty()) input["Expression"] = expression;
    if (!token.empty()) input["NextToken"] = token;
    auto out = Invoke(caller, info, "GetPartitions", input, explanation);
    if (!out) return out.error();
    if (const auto* list = out->if_contains("Partitions"); list != nullptr && list->is_array()) {
      for (const auto& p : list->as_array()) {
        if (p.is_object()) partitions.push_back(p.as_object());
      }
    }
    token = StringField(*out, "NextToken");
    if (token.empty()) break;
  }
  return partitions;
}

}  // namespace xacct::services::glue
