// Running one Athena statement as its caller: the parse, then DDL through athena_ddl.cpp, and the queries
// (SELECT, INSERT INTO, CREATE TABLE AS, UNLOAD, EXPLAIN) on the DuckDB engine.
#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"
#include "services/glue/catalog_client.h"
#include "sql/statement_parser.h"
#include "sql/trino_functions.h"

namespace xacct::services::athena {

namespace {

Result<Outcome> RunSelect(QueryEnv& env, const sql::Select& select) {
  Outcome out;
  out.statement_type = "DML";
  out.substatement_type = "SELECT";
  auto translated = sql::TranslateTrinoSql(select.sql);
  if (!translated) return translated.error();
  auto tables = env.engine->TableReferences(*translated);
  if (!tables) return tables.error();
  if (!tables->empty()) {
    return AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct does not read Glue tables yet (the query reads " +
                                                 (*tables)[0].table + ")");
  }
  auto session = env.engine->Connect();
  if (!session) return session.error();
  auto rows = (*session)->Query(*translated);
  if (!rows) return rows.error();
  out.rows = std::move(*rows);
  return out;
}

}  // namespace

Result<std::string> CatalogIdOf(QueryEnv& env, const std::optional<std::string>& catalog) {
  if (!catalog || catalog->empty() || *catalog == "awsdatacatalog") return env.caller.account;
  CallContext ctx = env.Context();
  auto found = LoadDataCatalog(env.identities.db(), env.caller.account, env.request.region, *catalog);
  if (!found) return found.error();
  if (!*found) return InvalidRequest("Catalog " + *catalog + " does not exist.");
  auto allowed = AuthorizeAthena(ctx, "GetDataCatalog", *catalog);
  env.explanation = ctx.explanation;
  if (!allowed) return allowed.error();
  const auto* params = (*found)->if_contains("Parameters");
  const std::string id = params != nullptr && params->is_object() ? StringField(params->as_object(), "catalog-id") : "";
  if (id.empty()) return InvalidRequest("Catalog " + *catalog + " is not a GLUE catalog.");
  return id;
}

Result<json::object> CallGlue(QueryEnv& env, std::string_view operation, const json::object& input) {
  glue::CatalogClient glue(env.identities, env.authz);
  return glue.Invoke(env.caller, env.via, operation, input, &env.explanation);
}

Result<S3Location> ParseS3Location(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.substr(0, kScheme.size()) != kScheme || uri.size() == kScheme.size()) {
    return InvalidRequest("The S3 location provided is not valid: " + std::string(uri));
  }
  const std::string_view rest = uri.substr(kScheme.size());
  const size_t slash = rest.find('/');
  S3Location out;
  out.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) out.key = std::string(rest.substr(slash + 1));
  if (out.bucket.empty()) return InvalidRequest("The S3 location provided is not valid: " + std::string(uri));
  return out;
}

Result<Outcome> RunStatement(QueryEnv& env, const std::string& query) {
  auto parsed = sql::ParseStatement(query);
  if (!parsed) return parsed.error();
  if (auto ddl = RunCatalogStatement(env, *parsed)) return std::move(*ddl);
  if (auto prepared = RunPreparedStatementCommand(env, *parsed)) return std::move(*prepared);
  if (const auto* select = std::get_if<sql::Select>(&*parsed)) return RunSelect(env, *select);
  return AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct does not run this kind of statement yet");
}

}  // namespace xacct::services::athena
