// Query execution (Amazon Athena API Reference: StartQueryExecution, GetQueryExecution, GetQueryResults,
// ListQueryExecutions, BatchGetQueryExecution). This first slice runs DDL (CREATE/DROP DATABASE, CREATE/DROP
// TABLE) through the Glue client as the caller, with aws:CalledVia = athena.amazonaws.com, and SELECTs that
// read no table on the DuckDB engine (Trino functions translated). Reading Glue tables, INSERT, CTAS and
// UNLOAD are not run yet: such a query ends FAILED with a NOT_SUPPORTED reason that says so. Queries run to
// completion inside StartQueryExecution (a client polling GetQueryExecution sees the final state at once);
// the background pool is still to come.
#include <chrono>
#include <mutex>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"

namespace xacct::services::athena {

namespace {

inline constexpr std::string_view kQueryKind = "athena-query";  //!< id: the query execution id

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The process's DuckDB engine, opened (and libduckdb loaded) on the first query that needs it.
Result<std::shared_ptr<sql::Engine>> SharedEngine() {
  static std::mutex mu;
  static std::shared_ptr<sql::Engine> engine;
  std::lock_guard lock(mu);
  if (!engine) {
    auto opened = sql::Engine::Open();
    if (!opened) return opened.error();
    engine = *opened;
  }
  return engine;
}

json::object Public(const json::object& record) {
  json::object q = record;
  q.erase("Owner");
  q.erase("Result");
  return q;
}

Result<json::object> Load(CallContext& ctx, const std::string& id) {
  auto doc = ctx.identities.db().Get(ScopeOf(ctx), kQueryKind, id);
  if (!doc) return doc.error();
  if (!*doc) return InvalidRequest("QueryExecution " + id + " was not found");
  auto parsed = ParseJson(**doc);
  if (!parsed || !parsed->is_object()) return AwsError::Server("InternalServerException", "corrupt query record");
  return std::move(parsed->as_object());
}

}  // namespace

Result<json::object> StartQueryExecution(CallContext& ctx, const json::object& in) {
  std::string workgroup = StringField(in, "WorkGroup");
  if (workgroup.empty()) workgroup = std::string(kPrimaryWorkGroup);
  auto wg = LoadWorkGroup(ctx, workgroup);
  if (!wg) return wg.error();
  const json::array* tags = wg->contains("Tags") && wg->at("Tags").is_array() ? &wg->at("Tags").as_array() : nullptr;
  if (auto s = AuthorizeAthena(ctx, "StartQueryExecution", workgroup, tags); !s) return s.error();
  const std::string id = NewUuid();
  const std::string query = StringField(in, "QueryString");
  json::object context = in.contains("QueryExecutionContext") && in.at("QueryExecutionContext").is_object()
                             ? in.at("QueryExecutionContext").as_object()
                             : json::object{};
  const int64_t submitted = NowMs();
  auto engine = SharedEngine();
  if (!engine) return engine.error();
  QueryEnv env{ctx.caller, ctx.request, ctx.request, ctx.authz, ctx.identities, ctx.backends, *engine};
  env.via.called_via = {"athena.amazonaws.com"};
  env.query_id = id;
  env.workgroup = workgroup;
  env.context_catalog = Lower(StringField(context, "Catalog"));
  env.context_database = Lower(StringField(context, "Database"));
  auto outcome = RunStatement(env, query);
  const int64_t completed = NowMs();
  json::object status{{"SubmissionDateTime", static_cast<double>(submitted) / 1000.0},
                      {"CompletionDateTime", static_cast<double>(completed) / 1000.0}};
  json::object record{
      {"QueryExecutionId", id},
      {"Query", query},
      {"QueryExecutionContext", context},
      {"WorkGroup", workgroup},
      {"Owner", ctx.caller.arn},
      {"EngineVersion", {{"SelectedEngineVersion", "AUTO"}, {"EffectiveEngineVersion", kEffectiveEngineVersion}}},
      {"Statistics",
       {{"EngineExecutionTimeInMillis", completed - submitted},
        {"TotalExecutionTimeInMillis", completed - submitted},
        {"DataScannedInBytes", 0}}}};
  if (outcome) {
    status["State"] = "SUCCEEDED";
    record["StatementType"] = outcome->statement_type;
    if (!outcome->substatement_type.empty()) record["SubstatementType"] = outcome->substatement_type;
    if (outcome->rows) {
      json::array columns;
      for (const auto& c : outcome->rows->columns) {
        columns.push_back(
            json::object{{"Name", c.name}, {"Type", c.type}, {"Precision", c.precision}, {"Scale", c.scale}});
      }
      json::array rows;
      for (const auto& row : outcome->rows->rows) {
        json::array cells;
        for (const auto& v : row) cells.push_back(v ? json::value(*v) : json::value(nullptr));
        rows.push_back(std::move(cells));
      }
      record["Result"] = {{"Columns", std::move(columns)}, {"Rows", std::move(rows)}};
    }
  } else {
    status["State"] = "FAILED";
    status["StateChangeReason"] = outcome.error().message;
    status["AthenaError"] = {
        {"ErrorCategory", 2}, {"ErrorType", 1100}, {"Retryable", false}, {"ErrorMessage", outcome.error().message}};
    record["StatementType"] = "DML";
  }
  record["Status"] = std::move(status);
  auto s = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(ScopeOf(ctx), kQueryKind, id, json::serialize(record)); });
  if (!s) return s.error();
  return json::object{{"QueryExecutionId", id}};
}

Result<json::object> GetQueryExecution(CallContext& ctx, const json::object& in) {
  auto record = Load(ctx, StringField(in, "QueryExecutionId"));
  if (!record) return record.error();
  if (auto s = AuthorizeAthena(ctx, "GetQueryExecution", StringField(*record, "WorkGroup")); !s) return s.error();
  return json::object{{"QueryExecution", Public(*record)}};
}

Result<json::object> GetQueryResults(CallContext& ctx, const json::object& in) {
  auto record = Load(ctx, StringField(in, "QueryExecutionId"));
  if (!record) return record.error();
  if (auto s = AuthorizeAthena(ctx, "GetQueryResults", StringField(*record, "WorkGroup")); !s) return s.error();
  const auto& status = record->at("Status").as_object();
  if (StringField(status, "State") != "SUCCEEDED") {
    return InvalidRequest("Query has not yet finished. Current state: " + StringField(status, "State"));
  }
  json::array column_info;
  json::array rows;
  if (const auto* result = record->if_contains("Result"); result != nullptr && result->is_object()) {
    // Athena's first row of a SELECT's results is the header: the column names.
    json::array header;
    for (const auto& c : result->as_object().at("Columns").as_array()) {
      const auto& col = c.as_object();
      column_info.push_back(json::object{{"CatalogName", "hive"},
                                         {"SchemaName", ""},
                                         {"TableName", ""},
                                         {"Name", col.at("Name")},
                                         {"Label", col.at("Name")},
                                         {"Type", col.at("Type")},
                                         {"Precision", col.at("Precision")},
                                         {"Scale", col.at("Scale")},
                                         {"Nullable", "UNKNOWN"},
                                         {"CaseSensitive", col.at("Type") == "varchar"}});
      header.push_back(json::object{{"VarCharValue", col.at("Name")}});
    }
    rows.push_back(json::object{{"Data", std::move(header)}});
    for (const auto& r : result->as_object().at("Rows").as_array()) {
      json::array data;
      for (const auto& v : r.as_array()) {
        data.push_back(v.is_null() ? json::object{} : json::object{{"VarCharValue", v}});
      }
      rows.push_back(json::object{{"Data", std::move(data)}});
    }
  }
  return json::object{{"ResultSet", {{"Rows", std::move(rows)}, {"ResultSetMetadata", {{"ColumnInfo", column_info}}}}},
                      {"UpdateCount", 0}};
}

// Newest first, as Athena lists them; only the workgroup's (primary by default).
Result<json::object> ListQueryExecutions(CallContext& ctx, const json::object& in) {
  std::string workgroup = StringField(in, "WorkGroup");
  if (workgroup.empty()) workgroup = std::string(kPrimaryWorkGroup);
  if (auto w = LoadWorkGroup(ctx, workgroup); !w) return w.error();
  if (auto s = AuthorizeAthena(ctx, "ListQueryExecutions", workgroup); !s) return s.error();
  auto docs = ctx.identities.db().List(ScopeOf(ctx), kQueryKind);
  if (!docs) return docs.error();
  std::vector<std::pair<double, std::string>> found;
  for (const auto& d : *docs) {
    auto parsed = ParseJson(d.body);
    if (!parsed || !parsed->is_object() || StringField(parsed->as_object(), "WorkGroup") != workgroup) continue;
    const auto& status = parsed->as_object().at("Status").as_object();
    found.emplace_back(status.at("SubmissionDateTime").to_number<double>(), d.id);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
  auto page = Paginate(in, found.size(), 50, 50);
  if (!page) return page.error();
  json::array ids;
  for (size_t i = page->begin; i < page->end; ++i) ids.emplace_back(found[i].second);
  json::object result{{"QueryExecutionIds", std::move(ids)}};
  if (!page->next_token.empty()) result["NextToken"] = page->next_token;
  return result;
}

Result<json::object> BatchGetQueryExecution(CallContext& ctx, const json::object& in) {
  json::array executions;
  json::array unprocessed;
  if (const auto* ids = in.if_contains("QueryExecutionIds"); ids != nullptr && ids->is_array()) {
    for (const auto& v : ids->as_array()) {
      const std::string id(JsonString(v));
      auto record = Load(ctx, id);
      Status allowed = record ? AuthorizeAthena(ctx, "BatchGetQueryExecution", StringField(*record, "WorkGroup"))
                              : Status(record.error());
      if (!allowed) {
        unprocessed.push_back(json::object{
            {"QueryExecutionId", id}, {"ErrorCode", allowed.error().code}, {"ErrorMessage", allowed.error().message}});
        continue;
      }
      executions.push_back(Public(*record));
    }
  }
  return json::object{{"QueryExecutions", std::move(executions)},
                      {"UnprocessedQueryExecutionIds", std::move(unprocessed)}};
}

}  // namespace xacct::services::athena
