// Athena data catalogs (Amazon Athena API Reference: CreateDataCatalog, GetDataCatalog, ListDataCatalogs,
// UpdateDataCatalog, DeleteDataCatalog; DataCatalog.Parameters per type). `AwsDataCatalog` is the account's
// own Glue Data Catalog: ListDataCatalogs lists it, and like AWS, GetDataCatalog does not describe it and it
// cannot be created, changed or deleted. A GLUE catalog names another account's Glue catalog by `catalog-id`.
#include <algorithm>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"

namespace xacct::services::athena {

namespace {

AwsError CatalogNotFound(std::string_view name) {
  return InvalidRequest("DataCatalog " + std::string(name) + " was not found.");
}

bool IsDefault(std::string_view name) {
  return std::equal(name.begin(), name.end(), kDefaultCatalog.begin(), kDefaultCatalog.end(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(b); });
}

const json::array* Tags(const json::object& o) {
  const auto* v = o.if_contains("Tags");
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

// The parameters each type needs (DataCatalog.Parameters): GLUE a catalog-id, HIVE a metadata-function,
// LAMBDA either function or metadata-function with record-function.
Status CheckParameters(const std::string& type, const json::object& params) {
  auto has = [&](std::string_view key) { return !Str(params, key).empty(); };
  if (type == "GLUE" && !has("catalog-id")) {
    return InvalidRequest("catalog-id is required for a data catalog of type GLUE.");
  }
  if (type == "HIVE" && !has("metadata-function")) {
    return InvalidRequest("metadata-function is required for a data catalog of type HIVE.");
  }
  if (type == "LAMBDA" && has("function") == (has("metadata-function") && has("record-function"))) {
    return InvalidRequest(
        "A data catalog of type LAMBDA needs either function, or both metadata-function and record-function.");
  }
  return Ok{};
}

json::object ParametersOf(const json::object& in) {
  const auto* v = in.if_contains("Parameters");
  return v != nullptr && v->is_object() ? v->get_object() : json::object{};
}

Status Save(CallContext& ctx, const json::object& catalog) {
  const std::string body = json::serialize(catalog);
  const std::string name = Str(catalog, "Name");
  return ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), kDataCatalogKind, name, body); });
}

// A registered catalog, after authorizing `operation` on it.
Result<json::object> LoadAuthorized(CallContext& ctx, std::string_view operation, std::string_view name) {
  std::optional<json::object> catalog;
  if (!IsDefault(name)) {
    auto found = LoadDataCatalog(ctx.identities.db(), ctx.caller.account, ctx.request.region, name);
    if (!found) return found.error();
    catalog = std::move(*found);
  }
  if (auto s = AuthorizeAthena(ctx, operation, name, catalog ? Tags(*catalog) : nullptr); !s) return s.error();
  if (!catalog) return CatalogNotFound(name);
  return std::move(*catalog);
}

}  // namespace

Result<json::object> CreateDataCatalog(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "Name");
  const auto* tags = Tags(in);
  if (auto s = AuthorizeAthena(ctx, "CreateDataCatalog", name, nullptr, tags); !s) return s.error();
  if (IsDefault(name)) return InvalidRequest("DataCatalog " + name + " already exists.");
  auto existing = LoadDataCatalog(ctx.identities.db(), ctx.caller.account, ctx.request.region, name);
  if (!existing) return existing.error();
  if (*existing) return InvalidRequest("DataCatalog " + name + " already exists.");
  const std::string type = Str(in, "Type");
  json::object params = ParametersOf(in);
  if (auto s = CheckParameters(type, params); !s) return s.error();
  json::object catalog{{"Name", name},
                       {"Type", type},
                       {"Description", Str(in, "Description")},
                       {"Parameters", std::move(params)},
                       {"Status", "CREATE_COMPLETE"},
                       {"Tags", tags != nullptr ? *tags : json::array{}}};
  if (auto s = Save(ctx, catalog); !s) return s.error();
  return json::object{{"DataCatalog", json::object{{"Name", name}, {"Type", type}, {"Status", "CREATE_COMPLETE"}}}};
}

Result<json::object> GetDataCatalog(CallContext& ctx, const json::object& in) {
  auto catalog = LoadAuthorized(ctx, "GetDataCatalog", Str(in, "Name"));
  if (!catalog) return catalog.error();
  catalog->erase("Tags");
  if (Str(*catalog, "Description").empty()) catalog->erase("Description");
  return json::object{{"DataCatalog", std::move(*catalog)}};
}

Result<json::object> ListDataCatalogs(CallContext& ctx, const json::object& in) {
  if (auto s = AuthorizeAthena(ctx, "ListDataCatalogs", ""); !s) return s.error();
  auto docs = ctx.identities.db().List(ScopeOf(ctx), kDataCatalogKind);
  if (!docs) return docs.error();
  std::vector<std::pair<std::string, std::string>> all{{std::string(kDefaultCatalog), "GLUE"}};
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (parsed && parsed->is_object()) all.emplace_back(d.id, Str(parsed->get_object(), "Type"));
  }
  std::sort(all.begin() + 1, all.end());
  auto page = Paginate(in, all.size(), 50, 50);
  if (!page) return page.error();
  json::array out;
  for (size_t i = page->begin; i < page->end; ++i) {
    out.push_back(json::object{{"CatalogName", all[i].first}, {"Type", all[i].second}, {"Status", "CREATE_COMPLETE"}});
  }
  json::object result{{"DataCatalogsSummary", std::move(out)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

Result<json::object> UpdateDataCatalog(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "Name");
  auto catalog = LoadAuthorized(ctx, "UpdateDataCatalog", name);
  if (!catalog) return catalog.error();
  const std::string type = Str(in, "Type");
  json::object params = ParametersOf(in);
  if (auto s = CheckParameters(type, params); !s) return s.error();
  (*catalog)["Type"] = type;
  (*catalog)["Parameters"] = std::move(params);
  if (in.contains("Description")) (*catalog)["Description"] = Str(in, "Description");
  if (auto s = Save(ctx, *catalog); !s) return s.error();
  return json::object{};
}

Result<json::object> DeleteDataCatalog(CallContext& ctx, const json::object& in) {
  const std::string name = Str(in, "Name");
  auto catalog = LoadAuthorized(ctx, "DeleteDataCatalog", name);
  if (!catalog) return catalog.error();
  auto s = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Delete(ScopeOf(ctx), kDataCatalogKind, name); });
  if (!s) return s.error();
  (*catalog)["Status"] = "DELETE_COMPLETE";
  catalog->erase("Tags");
  return json::object{{"DataCatalog", std::move(*catalog)}};
}

}  // namespace xacct::services::athena
