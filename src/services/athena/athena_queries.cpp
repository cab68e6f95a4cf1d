// Query execution (Amazon Athena API Reference: StartQueryExecution, StopQueryExecution, GetQueryExecution,
// GetQueryResults, ListQueryExecutions, BatchGetQueryExecution; Amazon Athena User Guide, "Work with query
// results and recent queries", "Managed query results", "Athena error catalog").
//
// StartQueryExecution stores the query QUEUED and answers at once; the background pool (query_runner.h) runs
// it as the caller: RUNNING, then SUCCEEDED with its result files written (to S3 as the caller, or to
// xacct's managed results), FAILED with Athena's AthenaError, or CANCELLED by StopQueryExecution. Without a
// pool (a server built without one, unit tests) the query runs inside StartQueryExecution. While a query is
// queued or running its stored record says QUEUED; the pool's live state says which it is.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "services/athena/athena_ops.h"
#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"
#include "services/athena/query_runner.h"
#include "services/athena/result_files.h"
#include "services/s3/object_client.h"

namespace xacct::services::athena {

namespace {

inline constexpr std::string_view kQueryKind = "athena-query";        //!< id: the query execution id
inline constexpr std::string_view kTokenKind = "athena-query-token";  //!< id: the ClientRequestToken

// Measured against Athena (the double space is Athena's).
inline constexpr std::string_view kNoOutputLocation =
    "No output location provided. You did not provide an output location for  your query results. Either specify "
    "an S3 bucket location or enable Athena managed query results in your workgroup settings.";
inline constexpr std::string_view kStoppedReason = "Query cancelled by user";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const json::object* Obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

bool Bool(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
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

// What GetQueryExecution shows of a stored record: xacct's own fields ("x...") and the owner are not.
json::object Public(const json::object& record) {
  json::object q;
  for (const auto& [key, value] : record) {
    if (key == "Owner" || key.starts_with("x")) continue;
    q[key] = value;
  }
  return q;
}

Result<json::object> LoadRecord(store::Database& db, const store::Scope& scope, const std::string& id) {
  auto doc = db.Get(scope, kQueryKind, id);
  if (!doc) return doc.error();
  if (!*doc) return InvalidRequest("QueryExecution " + id + " was not found", "QUERY_EXECUTION_NOT_FOUND");
  auto parsed = ParseJson(**doc);
  if (!parsed || !parsed->is_object()) return AwsError::Server("InternalServerException", "corrupt query record");
  return std::move(parsed->as_object());
}

Status SaveRecord(store::Database& db, const store::Scope& scope, const json::object& record) {
  const std::string body = json::serialize(record);
  const std::string id = StringField(record, "QueryExecutionId");
  return db.Write([&](store::Transaction& tx) { return tx.Put(scope, kQueryKind, id, body); });
}

std::string StateOf(const json::object& record) { return StringField(record.at("Status").as_object(), "State"); }

// A stored record with the pool's live state: a queued query that a worker has taken is RUNNING. A record
// left QUEUED by a server that stopped without finishing it reads CANCELLED.
Result<json::object> Current(CallContext& ctx, const std::string& id) {
  const store::Scope scope = ScopeOf(ctx);
  auto record = LoadRecord(ctx.identities.db(), scope, id);
  if (!record) return record;
  if (StateOf(*record) != "QUEUED" && StateOf(*record) != "RUNNING") return record;
  if (ctx.backends.queries != nullptr) {
    if (auto live = ctx.backends.queries->Find(id)) {
      if (live->state() == LiveQuery::State::kRunning && !live->stopped()) {
        (*record)["Status"].as_object()["State"] = "RUNNING";
      }
      return record;
    }
    // Finished between the two reads: the pool writes the final record before it lets go of a query.
    record = LoadRecord(ctx.identities.db(), scope, id);
    if (!record || (StateOf(*record) != "QUEUED" && StateOf(*record) != "RUNNING")) return record;
  }
  auto& status = (*record)["Status"].as_object();
  status["State"] = "CANCELLED";
  status["StateChangeReason"] = "Query cancelled: xacct stopped before the query finished";
  return record;
}

// ---- where results go ----

struct Output {
  bool managed = false;
  std::string location;  //!< s3://bucket/prefix/ (ends with '/'); empty when managed
  json::object result_configuration;
};

// The request's ResultConfiguration unless the workgroup enforces its own (EnforceWorkGroupConfiguration);
// managed query results when the workgroup uses them (Athena User Guide, "Workgroup settings override
// client-side settings", "Managed query results").
Result<Output> ResolveOutput(const json::object& in, const json::object& workgroup) {
  const json::object* config = Obj(workgroup, "Configuration");
  const json::object empty;
  const json::object& wg = config != nullptr ? *config : empty;
  const json::object* wg_results = Obj(wg, "ResultConfiguration");
  const json::object* managed = Obj(wg, "ManagedQueryResultsConfiguration");
  const bool wg_managed = managed != nullptr && Bool(*managed, "Enabled");
  const bool wg_has_location = wg_results != nullptr && !Str(*wg_results, "OutputLocation").empty();
  const json::object* requested = Obj(in, "ResultConfiguration");
  const bool request_has_location = requested != nullptr && !Str(*requested, "OutputLocation").empty();
  Output out;
  const bool use_workgroup =
      Bool(wg, "EnforceWorkGroupConfiguration") ? (wg_managed || wg_has_location) : !request_has_location;
  if (use_workgroup && wg_managed) {
    out.managed = true;
    return out;
  }
  const json::object* chosen = use_workgroup ? wg_results : requested;
  if (chosen == nullptr || Str(*chosen, "OutputLocation").empty()) {
    return InvalidRequest(std::string(kNoOutputLocation));
  }
  out.result_configuration = *chosen;
  out.location = Str(*chosen, "OutputLocation");
  auto parsed = ParseS3Location(out.location);
  if (!parsed) return InvalidRequest("outputLocation is not a valid S3 path.");
  if (!out.location.ends_with('/')) out.location += '/';
  return out;
}

std::filesystem::path ManagedDir(const CallContext& ctx) {
  std::filesystem::path base = ctx.backends.queries != nullptr
                                   ? ctx.backends.queries->managed_results_dir()
                                   : std::filesystem::temp_directory_path() / "xacct-athena-results";
  return base / ctx.caller.account / ctx.request.region;
}

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return AwsError::Server("InternalServerException", "cannot write " + path.string());
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return AwsError::Server("InternalServerException", "cannot write " + path.string());
  return Ok{};
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return AwsError::Server("InternalServerException", "cannot read the query results");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- failures as Athena reports them ----

struct ErrorKind {
  int category;  //!< 1 SYSTEM, 2 USER, 3 OTHER
  int type;      //!< the error catalog's ErrorType
  bool retryable;
};

// Athena error catalog (Amazon Athena User Guide, "Athena error catalog"): xacct's failure codes and DuckDB's
// error classes to Athena's ErrorCategory and ErrorType.
ErrorKind KindOf(const AwsError& e) {
  struct Entry {
    std::string_view needle;  //!< a prefix of the error code, or text of the message
    bool in_message;
    ErrorKind kind;
  };
  static constexpr Entry kTable[] = {
      {"S3_WRITE_DENIED", false, {2, 1501, false}},          // Amazon S3 permission error
      {"S3_BUCKET_NOT_FOUND", false, {2, 1306, false}},      // Amazon S3 bucket not found
      {"INVALID_PARAMETER_USAGE", false, {2, 1006, false}},  // Syntax error (measured: parameter count)
      {"NOT_SUPPORTED", false, {2, 1200, false}},            // Query not supported
      {"AccessDenied", false, {2, 1500, false}},             // Permission error
      {"EntityNotFound", false, {2, 1301, false}},           // General entity not found
      {"ResourceNotFound", false, {2, 1301, false}},
      {"TABLE_NOT_FOUND", false, {2, 1110, false}},  // Provided table or view does not exist
      {"ParseException", true, {2, 1006, false}},    // Hive DDL syntax error
      {"Parser Error", true, {2, 1006, false}},      // DuckDB's syntax error
      {"Catalog Error", true, {2, 1110, false}},
      {"Binder Error", true, {2, 1100, false}},      // Invalid argument provided
      {"Conversion Error", true, {2, 1001, false}},  // Data error
      {"Invalid Input Error", true, {2, 1100, false}},
      {"Out of Memory Error", true, {1, 0, true}},  // Query exhausted resources
  };
  for (const auto& entry : kTable) {
    const std::string& haystack = entry.in_message ? e.message : e.code;
    if (entry.in_message ? haystack.find(entry.needle) != std::string::npos : haystack.starts_with(entry.needle)) {
      return entry.kind;
    }
  }
  if (!e.sender_fault) return {1, 100, true};  // Internal service error
  return {2, 1000, false};                     // User error
}

// ---- running a query ----

// What one query needs from StartQueryExecution to its end, shared by the worker and StopQueryExecution.
struct Execution {
  QueryEnv env;
  store::Scope scope;
  json::object record;  //!< as stored when QUEUED
  Output output;
  int64_t submitted = 0;
};

json::object Statistics(int64_t submitted, int64_t started, int64_t engine_done, int64_t done) {
  return json::object{{"EngineExecutionTimeInMillis", engine_done - started},
                      {"DataScannedInBytes", 0},
                      {"TotalExecutionTimeInMillis", done - submitted},
                      {"QueryQueueTimeInMillis", started - submitted},
                      {"ServicePreProcessingTimeInMillis", 0},
                      {"QueryPlanningTimeInMillis", 0},
                      {"ServiceProcessingTimeInMillis", done - engine_done},
                      {"ResultReuseInformation", {{"ReusedPreviousResult", false}}}};
}

json::object Cancelled(const Execution& x) {
  json::object record = x.record;
  const int64_t now = NowMs();
  auto& status = record["Status"].as_object();
  status["State"] = "CANCELLED";
  status["StateChangeReason"] = std::string(kStoppedReason);
  status["CompletionDateTime"] = static_cast<double>(now) / 1000.0;
  record["Statistics"] = Statistics(x.submitted, x.submitted, x.submitted, now);
  return record;
}

// Writes the result files where the query's output goes; the record learns where they are.
Status WriteResults(Execution& x, const Outcome& outcome, json::object& record) {
  QueryEnv& env = x.env;
  const RenderedResult files = RenderResult(env.query_id, outcome);
  const std::string name = env.query_id + "." + files.extension;
  json::object where{{"Format", files.extension}};
  if (x.output.managed) {
    CallContext ctx = env.Context();
    const std::filesystem::path dir = ManagedDir(ctx);
    if (auto s = WriteFile(dir / (name + ".metadata"), files.metadata); !s) return s;
    if (auto s = WriteFile(dir / name, files.data); !s) return s;
    where["Managed"] = true;
    record["xResult"] = std::move(where);
    return Ok{};
  }
  if (env.backends.s3 == nullptr) return AwsError::Server("InternalServerException", "S3 is not available");
  auto location = ParseS3Location(x.output.location);
  if (!location) return location.error();
  const std::string uri = x.output.location + name;
  // The files are written as the caller (s3:PutObject), with aws:CalledVia = athena.amazonaws.com.
  const std::filesystem::path tmp_dir = std::filesystem::temp_directory_path() / "xacct-athena-out";
  const std::filesystem::path data_tmp = tmp_dir / (name + ".data");
  const std::filesystem::path meta_tmp = tmp_dir / (name + ".meta");
  auto cleanup = [&] {
    std::error_code ec;
    std::filesystem::remove(data_tmp, ec);
    std::filesystem::remove(meta_tmp, ec);
  };
  Status wrote = WriteFile(data_tmp, files.data);
  if (wrote) wrote = WriteFile(meta_tmp, files.metadata);
  s3::ObjectClient objects(*env.backends.s3);
  const std::string content_type = files.extension == "csv" ? "text/csv" : "text/plain";
  if (wrote) {
    auto put = objects.PutFile(env.caller, env.via, location->bucket, location->key + name, data_tmp, content_type,
                               &env.explanation);
    if (put) {
      put = objects.PutFile(env.caller, env.via, location->bucket, location->key + name + ".metadata", meta_tmp,
                            "application/octet-stream", &env.explanation);
    }
    if (!put) wrote = put.error();
  }
  cleanup();
  if (!wrote) {
    const AwsError& e = wrote.error();
    if (e.code == "AccessDenied") {
      AwsError denied = AwsError::Client(
          "S3_WRITE_DENIED", "Access denied when writing output to url: " + uri +
                                 " . Please ensure you are allowed to access the S3 bucket. If you are encrypting "
                                 "query results with KMS key, please ensure you are allowed to access your KMS key");
      denied.detail = env.explanation;
      return denied;
    }
    if (e.code == "NoSuchBucket") {
      return AwsError::Client("S3_BUCKET_NOT_FOUND", "Unable to verify/create output bucket " + location->bucket);
    }
    return e;
  }
  where["Bucket"] = location->bucket;
  where["Key"] = location->key + name;
  record["xResult"] = std::move(where);
  json::object results = x.output.result_configuration;
  results["OutputLocation"] = uri;
  record["ResultConfiguration"] = std::move(results);
  return Ok{};
}

// Runs the statement and builds the final record (SUCCEEDED or FAILED).
json::object Run(Execution& x) {
  QueryEnv& env = x.env;
  const int64_t started = NowMs();
  const std::string query = StringField(x.record, "Query");
  // PREPARE keeps its `?`; EXECUTE binds the prepared statement's (athena_params.cpp).
  std::string head;
  for (const char c : query) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!head.empty() || !std::isspace(static_cast<unsigned char>(c))) {
      break;
    }
  }
  auto bound = head == "prepare" || head == "execute" ? Result<std::string>(query)
                                                      : BindParameters(query, env.execution_parameters);
  Result<Outcome> outcome = bound ? RunStatement(env, *bound) : Result<Outcome>(bound.error());
  const int64_t engine_done = NowMs();
  json::object record = x.record;
  Status written = Ok{};
  if (outcome) {
    record["StatementType"] = outcome->statement_type;
    if (!outcome->substatement_type.empty()) record["SubstatementType"] = outcome->substatement_type;
    // A stopped query's outcome is discarded (its record already says CANCELLED): nothing is written.
    if (!*env.cancelled) written = WriteResults(x, *outcome, record);
  }
  const int64_t done = NowMs();
  auto& status = record["Status"].as_object();
  status["CompletionDateTime"] = static_cast<double>(done) / 1000.0;
  json::object statistics = Statistics(x.submitted, started, engine_done, done);
  if (outcome && written) {
    status["State"] = "SUCCEEDED";
    statistics["DataScannedInBytes"] = outcome->data_scanned_bytes;
    if (!outcome->data_manifest_location.empty()) {
      statistics["DataManifestLocation"] = outcome->data_manifest_location;
    }
  } else {
    const AwsError& e = outcome ? written.error() : outcome.error();
    const ErrorKind kind = KindOf(e);
    status["State"] = "FAILED";
    status["StateChangeReason"] = e.message;
    status["AthenaError"] = {{"ErrorCategory", kind.category},
                             {"ErrorType", kind.type},
                             {"Retryable", kind.retryable},
                             {"ErrorMessage", e.message}};
    if (!outcome) record["StatementType"] = "DML";
  }
  record["Statistics"] = std::move(statistics);
  return record;
}

// A token names one request: the same token with other parameters is Athena's mismatch error.
std::string Fingerprint(const json::object& in, const std::string& workgroup) {
  json::object f{{"QueryString", Str(in, "QueryString")}, {"WorkGroup", workgroup}};
  for (const char* key : {"QueryExecutionContext", "ResultConfiguration", "ExecutionParameters"}) {
    if (const auto* v = in.if_contains(key)) f[key] = *v;
  }
  return json::serialize(f);
}

AwsError TooManyRequests() {
  AwsError e = AwsError::Client("TooManyRequestsException",
                                "You have exceeded the limit for the number of queries you can run concurrently. "
                                "Reduce the number of concurrent queries submitted by this account. Contact customer "
                                "support to request a concurrent query limit increase.");
  e.fields.emplace_back("Reason", "CONCURRENT_QUERY_LIMIT_EXCEEDED");
  return e;
}

}  // namespace

Result<json::object> StartQueryExecution(CallContext& ctx, const json::object& in) {
  std::string workgroup = StringField(in, "WorkGroup");
  if (workgroup.empty()) workgroup = std::string(kPrimaryWorkGroup);
  auto wg = LoadWorkGroup(ctx, workgroup);
  if (!wg) return wg.error();
  const json::array* tags = wg->contains("Tags") && wg->at("Tags").is_array() ? &wg->at("Tags").as_array() : nullptr;
  if (auto s = AuthorizeAthena(ctx, "StartQueryExecution", workgroup, tags); !s) return s.error();
  if (Str(*wg, "State") == "DISABLED") return InvalidRequest("WorkGroup " + workgroup + " is disabled.");
  auto output = ResolveOutput(in, *wg);
  if (!output) return output.error();
  const store::Scope scope = ScopeOf(ctx);
  store::Database& db = ctx.identities.db();

  const std::string token = Str(in, "ClientRequestToken");
  const std::string fingerprint = Fingerprint(in, workgroup);
  const std::string query = StringField(in, "QueryString");
  json::object context =
      Obj(in, "QueryExecutionContext") != nullptr ? *Obj(in, "QueryExecutionContext") : json::object{};
  std::vector<std::string> parameters;
  if (const auto* p = in.if_contains("ExecutionParameters"); p != nullptr && p->is_array()) {
    for (const auto& v : p->as_array()) parameters.emplace_back(JsonString(v));
  }
  const int64_t submitted = NowMs();
  const std::string id = NewUuid();
  json::object record{
      {"QueryExecutionId", id},
      {"Query", query},
      {"StatementType", "DML"},
      {"QueryExecutionContext", context},
      {"WorkGroup", workgroup},
      {"Owner", ctx.caller.arn},
      {"Status", {{"State", "QUEUED"}, {"SubmissionDateTime", static_cast<double>(submitted) / 1000.0}}},
      {"Statistics", {{"TotalExecutionTimeInMillis", 0}, {"QueryQueueTimeInMillis", 0}}},
      {"EngineVersion", {{"SelectedEngineVersion", "AUTO"}, {"EffectiveEngineVersion", kEffectiveEngineVersion}}}};
  if (output->managed) {
    record["ManagedQueryResultsConfiguration"] = {{"Enabled", true}};
  } else {
    json::object results = output->result_configuration;
    results["OutputLocation"] = output->location;
    record["ResultConfiguration"] = std::move(results);
  }
  if (!parameters.empty()) record["ExecutionParameters"] = in.at("ExecutionParameters");
  if (const auto* reuse = Obj(in, "ResultReuseConfiguration")) record["ResultReuseConfiguration"] = *reuse;

  // The record and the token are stored together; a token seen before answers with its query (the same
  // request) or Athena's mismatch error (another one).
  std::optional<std::string> existing;
  auto stored = db.Write([&](store::Transaction& tx) -> Status {
    if (!token.empty()) {
      auto seen = tx.Get(scope, kTokenKind, token);
      if (!seen) return seen.error();
      if (*seen) {
        auto parsed = ParseJson(**seen);
        if (!parsed || !parsed->is_object()) return AwsError::Server("InternalServerException", "corrupt token");
        if (StringField(parsed->as_object(), "Fingerprint") != fingerprint) {
          return InvalidRequest("Idempotent parameters do not match", "IDEMPOTENT_PARAMETER_MISMATCH");
        }
        existing = StringField(parsed->as_object(), "QueryExecutionId");
        return Ok{};
      }
      json::object t{{"QueryExecutionId", id}, {"Fingerprint", fingerprint}};
      if (auto s = tx.Put(scope, kTokenKind, token, json::serialize(t)); !s) return s;
    }
    return tx.Put(scope, kQueryKind, id, json::serialize(record));
  });
  if (!stored) return stored.error();
  if (existing) return json::object{{"QueryExecutionId", *existing}};

  auto engine = SharedEngine();
  if (!engine) return engine.error();
  auto x = std::make_shared<Execution>(
      Execution{QueryEnv{ctx.caller, ctx.request, ctx.request, ctx.authz, ctx.identities, ctx.backends, *engine}, scope,
                record, *output, submitted});
  QueryEnv& env = x->env;
  env.via.called_via = {"athena.amazonaws.com"};
  env.query_id = id;
  env.workgroup = workgroup;
  env.context_catalog = Lower(StringField(context, "Catalog"));
  env.context_database = Lower(StringField(context, "Database"));
  env.output_location = output->location;
  env.execution_parameters = std::move(parameters);

  if (ctx.backends.queries == nullptr) {
    if (auto s = SaveRecord(db, scope, Run(*x)); !s) return s.error();
    return json::object{{"QueryExecutionId", id}};
  }
  auto live = std::make_shared<LiveQuery>();
  live->run = [x](LiveQuery& self) {
    json::object final_record = Run(*x);
    self.Finish([&] { (void)SaveRecord(x->env.identities.db(), x->scope, final_record); });
  };
  live->cancel = [x] {
    *x->env.cancelled = true;
    (void)SaveRecord(x->env.identities.db(), x->scope, Cancelled(*x));
  };
  live->interrupt = [x] { x->env.sessions->Interrupt(); };
  if (!ctx.backends.queries->Submit(id, live)) {
    (void)db.Write([&](store::Transaction& tx) -> Status {
      if (!token.empty()) {
        if (auto s = tx.Delete(scope, kTokenKind, token); !s) return s;
      }
      return tx.Delete(scope, kQueryKind, id);
    });
    return TooManyRequests();
  }
  return json::object{{"QueryExecutionId", id}};
}

Result<json::object> StopQueryExecution(CallContext& ctx, const json::object& in) {
  const std::string id = StringField(in, "QueryExecutionId");
  auto record = LoadRecord(ctx.identities.db(), ScopeOf(ctx), id);
  if (!record) return record.error();
  if (auto s = AuthorizeAthena(ctx, "StopQueryExecution", StringField(*record, "WorkGroup")); !s) return s.error();
  // A finished query stays as it ended.
  if (ctx.backends.queries != nullptr) ctx.backends.queries->Stop(id);
  return json::object{};
}

Result<json::object> GetQueryExecution(CallContext& ctx, const json::object& in) {
  auto record = Current(ctx, StringField(in, "QueryExecutionId"));
  if (!record) return record.error();
  if (auto s = AuthorizeAthena(ctx, "GetQueryExecution", StringField(*record, "WorkGroup")); !s) return s.error();
  return json::object{{"QueryExecution", Public(*record)}};
}

Result<json::object> GetQueryResults(CallContext& ctx, const json::object& in) {
  auto record = Current(ctx, StringField(in, "QueryExecutionId"));
  if (!record) return record.error();
  if (auto s = AuthorizeAthena(ctx, "GetQueryResults", StringField(*record, "WorkGroup")); !s) return s.error();
  const int64_t max_results = Int(in, "MaxResults").value_or(1000);
  if (max_results > 1000) return InvalidRequest("MaxResults is more than maximum allowed length 1000");
  const std::string state = StateOf(*record);
  if (state == "QUEUED" || state == "RUNNING") {
    return InvalidRequest("Query has not yet finished. Current state: " + state, "INVALID_QUERY_EXECUTION_STATE");
  }
  if (state == "FAILED") {
    return InvalidRequest("Query did not finish successfully. Final query state: FAILED",
                          "INVALID_QUERY_EXECUTION_STATE");
  }
  if (state == "CANCELLED") return InvalidRequest("Could not find results", "RESULT_NOT_FOUND");
  uint64_t offset = 0;
  if (const std::string token = Str(in, "NextToken"); !token.empty()) {
    auto parsed = ParsePageToken(token);
    if (!parsed) return InvalidRequest("Malformed nextPageToken " + token);
    offset = *parsed;
  }
  const json::object* where = Obj(*record, "xResult");
  if (where == nullptr) return InvalidRequest("Could not find results", "RESULT_NOT_FOUND");
  const std::string name = StringField(*record, "QueryExecutionId") + "." + Str(*where, "Format");
  std::filesystem::path data_path;
  std::string metadata_text;
  if (Bool(*where, "Managed")) {
    // Managed results are Athena's own storage: no S3 permission is involved.
    const std::filesystem::path dir = ManagedDir(ctx);
    auto meta = ReadFile(dir / (name + ".metadata"));
    if (!meta) return InvalidRequest("Could not find results", "RESULT_NOT_FOUND");
    metadata_text = std::move(*meta);
    data_path = dir / name;
  } else {
    if (ctx.backends.s3 == nullptr) return AwsError::Server("InternalServerException", "S3 is not available");
    // Athena reads the result files as the caller: s3:GetObject on both.
    authz::RequestInfo via = ctx.request;
    via.called_via = {"athena.amazonaws.com"};
    s3::ObjectClient objects(*ctx.backends.s3);
    const std::string bucket = Str(*where, "Bucket");
    const std::string key = Str(*where, "Key");
    auto denied = [&](const AwsError& e) -> AwsError {
      if (e.code != "AccessDenied") return InvalidRequest("Could not find results", "RESULT_NOT_FOUND");
      AwsError out = InvalidRequest("Access denied when reading output from url: s3://" + bucket + "/" + key +
                                    " . Please ensure you are allowed to access the S3 bucket.");
      out.detail = ctx.explanation;
      return out;
    };
    auto meta = objects.Get(ctx.caller, via, bucket, key + ".metadata", &ctx.explanation);
    if (!meta) return denied(meta.error());
    auto text = ReadFile(meta->path);
    if (!text) return text.error();
    metadata_text = std::move(*text);
    auto data = objects.Get(ctx.caller, via, bucket, key, &ctx.explanation);
    if (!data) return denied(data.error());
    data_path = data->path;
  }
  auto metadata = ParseJson(metadata_text);
  if (!metadata || !metadata->is_object()) return InvalidRequest("Could not find results", "RESULT_NOT_FOUND");
  auto page =
      ReadResultPage(data_path, metadata->as_object(), offset, static_cast<size_t>(std::max<int64_t>(1, max_results)));
  if (!page) return page.error();
  json::object result{{"ResultSet",
                       {{"Rows", std::move(page->rows)},
                        {"ResultSetMetadata", {{"ColumnInfo", ColumnInfoOf(metadata->as_object())}}}}}};
  // UpdateCount: rows written by INSERT/CTAS; 0 for a query or SHOW; a DDL statement has none.
  if (const auto* count = metadata->as_object().if_contains("UpdateCount")) {
    result["UpdateCount"] = *count;
  } else if (StringField(*record, "StatementType") != "DDL") {
    result["UpdateCount"] = 0;
  }
  if (page->next_offset) result["NextToken"] = PageToken(*page->next_offset);
  return result;
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
      auto record = Current(ctx, id);
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
