// Athena's DDL: statements that change or read the Glue Data Catalog (Amazon Athena User Guide, "DDL
// statements"). Each runs as Glue operations through the catalog client, as the caller, via Athena, so a
// denial carries Glue's own AccessDeniedException text. Errors keep Hive's wording where Athena shows it.
#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"
#include "sql/ddl_catalog.h"

namespace xacct::services::athena {

namespace {

std::string DatabaseOf(const QueryEnv& env, const std::optional<std::string>& database) {
  if (database) return *database;
  return env.context_database.empty() ? "default" : env.context_database;
}

std::optional<std::string> CatalogOf(const QueryEnv& env, const std::optional<std::string>& catalog) {
  if (catalog) return catalog;
  if (env.context_catalog.empty()) return std::nullopt;
  return env.context_catalog;
}

}  // namespace

std::optional<Result<Outcome>> RunCatalogStatement(QueryEnv& env, const sql::Statement& statement) {
  Outcome out;
  auto call = [&](std::string_view op, json::object input) -> Status {
    auto r = CallGlue(env, op, input);
    if (!r) return r.error();
    return Ok{};
  };
  if (const auto* db = std::get_if<sql::CreateDatabase>(&statement)) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
    if (!catalog) return catalog.error();
    auto s = call("CreateDatabase", {{"CatalogId", *catalog}, {"DatabaseInput", sql::DatabaseInputOf(*db)}});
    if (!s && !(db->if_not_exists && s.error().code == "AlreadyExistsException")) return s.error();
    return out;
  }
  if (const auto* table = std::get_if<sql::CreateExternalTable>(&statement)) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, table->name.catalog));
    if (!catalog) return catalog.error();
    auto input = sql::TableInputOf(*table);
    if (!input) return input.error();
    auto s = call(
        "CreateTable",
        {{"CatalogId", *catalog}, {"DatabaseName", DatabaseOf(env, table->name.database)}, {"TableInput", *input}});
    if (!s && !(table->if_not_exists && s.error().code == "AlreadyExistsException")) return s.error();
    return out;
  }
  if (const auto* drop = std::get_if<sql::DropTable>(&statement)) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, drop->name.catalog));
    if (!catalog) return catalog.error();
    auto s = call(
        "DeleteTable",
        {{"CatalogId", *catalog}, {"DatabaseName", DatabaseOf(env, drop->name.database)}, {"Name", drop->name.table}});
    if (!s && !(drop->if_exists && s.error().code == "EntityNotFoundException")) return s.error();
    return out;
  }
  if (const auto* drop = std::get_if<sql::DropDatabase>(&statement)) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
    if (!catalog) return catalog.error();
    auto s = call("DeleteDatabase", {{"CatalogId", *catalog}, {"Name", drop->name}});
    if (!s && !(drop->if_exists && s.error().code == "EntityNotFoundException")) return s.error();
    return out;
  }
  return std::nullopt;
}

}  // namespace xacct::services::athena
