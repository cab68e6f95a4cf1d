// Running one Athena statement as its caller: the parse, then DDL through athena_ddl.cpp, and the queries
// (SELECT, INSERT INTO, CREATE TABLE AS, UNLOAD, EXPLAIN) on the DuckDB engine.
//
// A query's tables are resolved and authorized before anything runs, each as Athena does it (the Amazon
// Athena User Guide, "Access control for Glue Data Catalog" and "Cross-account access"): athena:GetDataCatalog
// for a registered catalog it names, glue:GetDatabase and glue:GetTable on the owner's catalog (across
// accounts through its catalog policy), glue:GetPartitions for a partitioned table, then s3:ListBucket on
// each location and s3:GetObject on each file. Each table becomes a TEMP view of the query's own DuckDB
// connection (so concurrent queries never see each other's), and its references in the query text are
// rewritten to that view.
//
// What each statement is authorized for (xacct's table; where AWS does not document a check, it says so):
//   SELECT      reads as above.
//   INSERT INTO glue:GetTable on the target (no GetDatabase: documented by the seed's role policy, which has
//               both), s3:ListBucket on its location, s3:PutObject for each file, glue:BatchCreatePartition
//               only when it adds partitions.
//   CTAS        glue:GetDatabase, glue:CreateTable, s3:ListBucket (the target must be empty), s3:PutObject.
//   UNLOAD      s3:ListBucket (the target must be empty) and s3:PutObject under the prefix; no Glue target.
// Athena leaves the files of a failed write behind; xacct removes them (a documented difference).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>

#include "services/athena/athena_store.h"
#include "services/athena/partition_projection.h"
#include "services/athena/query_exec.h"
#include "services/glue/catalog_client.h"
#include "services/s3/object_client.h"
#include "sql/statement_parser.h"
#include "sql/table_scan.h"
#include "sql/tokenizer.h"
#include "sql/trino_functions.h"

namespace xacct::services::athena {

namespace {

namespace fs = std::filesystem;

// "line L:C: " of a byte offset, as Trino prefixes its errors (1-based line and column).
std::string LineColumn(std::string_view sql, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if (sql[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// A Glue denial as Athena reports it: Glue's own message with the service's suffix.
AwsError GlueFailure(AwsError e, const QueryEnv& env) {
  if (e.code == "AccessDeniedException") {
    e.message += " (Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException; Request ID: " +
                 env.request.request_id + "; Proxy: null)";
  }
  return e;
}

// An S3 denial as Athena reports it for a table's data.
AwsError S3Failure(const AwsError& e, const QueryEnv& env, const std::string& uri) {
  if (e.code != "AccessDenied") return e;
  AwsError out = AwsError::Client(
      "PERMISSION_DENIED",
      "Permission denied on S3 path: " + uri + ". This query ran against the \"" +
          (env.context_database.empty() ? std::string("default") : env.context_database) +
          "\" database, unless qualified by the query. Please post the error message on our forum  or contact "
          "customer support  with Query Id: " +
          env.query_id);
  out.detail = e.detail;
  // With the server's --explain-denials, the denial's own words follow.
  if (const size_t at = e.message.find(" (xacct: "); at != std::string::npos) out.message += e.message.substr(at);
  return out;
}

std::string S3Uri(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

// A table a query names, resolved in its owner's catalog.
struct ResolvedTable {
  std::string catalog_id;
  std::string catalog_display;  //!< as Athena prints it in messages: awsdatacatalog, source_catalog, ...
  std::string database;
  std::string name;
  json::object table;
};

std::optional<std::string> CatalogOf(const QueryEnv& env, const std::string& written) {
  if (!written.empty()) return written;
  if (!env.context_catalog.empty()) return env.context_catalog;
  return std::nullopt;
}

std::string DatabaseOf(const QueryEnv& env, const std::string& written) {
  if (!written.empty()) return written;
  return env.context_database.empty() ? "default" : env.context_database;
}

// GetTable then GetDatabase as the caller, with Trino's SCHEMA_NOT_FOUND / TABLE_NOT_FOUND.
Result<ResolvedTable> Resolve(QueryEnv& env, const std::string& catalog, const std::string& database,
                              const std::string& table, const std::string& where, bool need_database = true) {
  ResolvedTable out;
  auto catalog_name = CatalogOf(env, catalog);
  auto id = CatalogIdOf(env, catalog_name);
  if (!id) return id.error();
  out.catalog_id = *id;
  out.catalog_display = catalog_name ? *catalog_name : "awsdatacatalog";
  out.database = DatabaseOf(env, database);
  out.name = table;
  // Trino's Glue metastore asks for the table first; the database is read (and so authorized) after it,
  // and decides between SCHEMA_NOT_FOUND and TABLE_NOT_FOUND.
  auto t =
      CallGlue(env, "GetTable", {{"CatalogId", out.catalog_id}, {"DatabaseName", out.database}, {"Name", out.name}});
  if (!t && t.error().code != "EntityNotFoundException") return GlueFailure(t.error(), env);
  if (need_database || !t) {
    auto db = CallGlue(env, "GetDatabase", {{"CatalogId", out.catalog_id}, {"Name", out.database}});
    if (!db) {
      if (db.error().code == "EntityNotFoundException") {
        return AwsError::Client("SCHEMA_NOT_FOUND",
                                "SCHEMA_NOT_FOUND: " + where + "Schema '" + out.database + "' does not exist");
      }
      return GlueFailure(db.error(), env);
    }
  }
  if (!t) {
    return AwsError::Client("TABLE_NOT_FOUND", "TABLE_NOT_FOUND: " + where + "Table '" + out.catalog_display + "." +
                                                   out.database + "." + out.name + "' does not exist");
  }
  const auto* found = t->if_contains("Table");
  if (found == nullptr || !found->is_object()) return AwsError::Server("InternalFailure", "GetTable: no Table");
  out.table = found->as_object();
  return out;
}

std::string LocationOf(const json::object& table) {
  const auto* sd = table.if_contains("StorageDescriptor");
  return sd != nullptr && sd->is_object() ? StringField(sd->as_object(), "Location") : "";
}

std::string WithSlash(std::string s) {
  if (!s.empty() && s.back() != '/') s += '/';
  return s;
}

// True for a key Athena reads as data: not a folder marker, not a file whose name starts with '_' or '.'.
bool IsDataKey(std::string_view key) {
  if (key.empty() || key.back() == '/') return false;
  const auto slash = key.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  return !name.empty() && name[0] != '_' && name[0] != '.';
}

// The data objects under an s3:// prefix, listed as the caller (s3:ListBucket), in Athena's words on failure.
Result<std::vector<s3::ObjectInfo>> DataObjectsUnder(QueryEnv& env, const std::string& prefix) {
  auto where = ParseS3Location(prefix);
  if (!where) return where.error();
  s3::ObjectClient objects(*env.backends.s3);
  auto listed = objects.List(env.caller, env.via, where->bucket, where->key, &env.explanation);
  if (!listed) {
    if (listed.error().code == "NoSuchBucket") {
      return AwsError::Client("HIVE_FILESYSTEM_ERROR",
                              "HIVE_FILESYSTEM_ERROR: The specified bucket does not exist: " + where->bucket);
    }
    return S3Failure(listed.error(), env, prefix);
  }
  std::erase_if(*listed, [](const s3::ObjectInfo& o) { return !IsDataKey(o.key) || o.size == 0; });
  return listed;
}

// One data object as a file to scan, if the caller may read it (s3:GetObject); its bytes count as scanned.
Result<sql::ScanFile> ReadableFile(QueryEnv& env, const s3::ObjectInfo& o, int64_t* scanned) {
  s3::ObjectClient objects(*env.backends.s3);
  auto readable = objects.Get(env.caller, env.via, o.bucket, o.key, &env.explanation);
  if (!readable) return S3Failure(readable.error(), env, S3Uri(o.bucket, o.key));
  *scanned += static_cast<int64_t>(readable->size);
  return sql::ScanFile{readable->path, readable->key, readable->size};
}

// The data files under one location, listed as the caller; each readable.
Result<std::vector<sql::ScanFile>> FilesUnder(QueryEnv& env, const std::string& location, int64_t* scanned) {
  auto listed = DataObjectsUnder(env, WithSlash(location));
  if (!listed) return listed.error();
  std::vector<sql::ScanFile> out;
  for (const auto& o : *listed) {
    auto file = ReadableFile(env, o, scanned);
    if (!file) return file.error();
    out.push_back(std::move(*file));
  }
  return out;
}

// The partitions of a projected table: the keys under the template's fixed prefix (listed once, as the
// caller) that fit the template with values inside the projection; injected columns take the query's values.
Result<std::vector<sql::ScanPartition>> ProjectedPartitions(QueryEnv& env, const Projection& projection,
                                                            const std::string& query, int64_t* scanned) {
  std::vector<std::vector<std::string>> injected(projection.columns().size());
  for (size_t i = 0; i < projection.columns().size(); ++i) {
    const auto& column = projection.columns()[i];
    if (column.type != ColumnProjection::Type::kInjected) continue;
    injected[i] = InjectedValues(query, column.name);
    if (injected[i].empty()) {
      return AwsError::Client("CONSTRAINT_VIOLATION",
                              "CONSTRAINT_VIOLATION: For the injected projected partition column " + column.name +
                                  ", the WHERE clause must contain only static equality conditions, and at least "
                                  "one such condition must be present.");
    }
  }
  auto listed = DataObjectsUnder(env, projection.ListPrefix());
  if (!listed) return listed.error();
  std::map<std::vector<std::string>, std::vector<sql::ScanFile>> by_values;
  for (const auto& o : *listed) {
    auto values = projection.ValuesOf(S3Uri(o.bucket, o.key));
    if (!values) continue;
    bool wanted = true;
    for (size_t i = 0; i < values->size() && wanted; ++i) {
      if (!injected[i].empty()) {
        wanted = std::find(injected[i].begin(), injected[i].end(), (*values)[i]) != injected[i].end();
      }
    }
    if (!wanted) continue;
    auto file = ReadableFile(env, o, scanned);
    if (!file) return file.error();
    by_values[*values].push_back(std::move(*file));
  }
  std::vector<sql::ScanPartition> out;
  for (auto& [values, files] : by_values) out.push_back(sql::ScanPartition{values, std::move(files)});
  return out;
}

// The partitions a query reads: every partition registered in Glue (GetPartitions, as the caller), or, for a
// table with partition projection, the projected ones (Glue's partitions are then ignored, as Athena does).
Result<std::vector<sql::ScanPartition>> PartitionsOf(QueryEnv& env, const ResolvedTable& t, const std::string& query,
                                                     int64_t* scanned) {
  std::vector<sql::ScanPartition> out;
  const auto* keys = t.table.if_contains("PartitionKeys");
  const bool partitioned = keys != nullptr && keys->is_array() && !keys->as_array().empty();
  if (partitioned) {
    auto projection = Projection::Of(t.table, env.request.now);
    if (!projection) return projection.error();
    if (*projection) return ProjectedPartitions(env, **projection, query, scanned);
  }
  if (!partitioned) {
    auto files = FilesUnder(env, LocationOf(t.table), scanned);
    if (!files) return files.error();
    out.push_back(sql::ScanPartition{{}, std::move(*files)});
    return out;
  }
  glue::CatalogClient glue(env.identities, env.authz);
  auto partitions = glue.GetPartitions(env.caller, env.via, t.catalog_id, t.database, t.name, {}, &env.explanation);
  if (!partitions) return GlueFailure(partitions.error(), env);
  for (const auto& p : *partitions) {
    sql::ScanPartition scan;
    scan.values = JsonStrings(p.if_contains("Values"));
    auto files = FilesUnder(env, LocationOf(p), scanned);
    if (!files) return files.error();
    scan.files = std::move(*files);
    out.push_back(std::move(scan));
  }
  return out;
}

// A query with its tables resolved and replaced by views of `session`.
struct PreparedQuery {
  std::string sql;                    //!< DuckDB's text: Trino functions translated, tables rewritten
  std::vector<ResolvedTable> tables;  //!< in order of first mention
  //! The views as Hive reads them (VARCHAR + TRY_CAST), for when a typed scan meets a value it cannot parse.
  std::vector<std::string> hive_views;
};

// Runs `run` over the prepared query's views; when a typed scan failed on a value, once more over the
// Hive-faithful views (where such a value is NULL). `undo` clears what the failed attempt left.
template <typename Run>
auto WithHiveFallback(sql::Session& session, PreparedQuery& prepared, Run run, const std::function<void()>& undo = {})
    -> decltype(run()) {
  auto result = run();
  if (result || prepared.hive_views.empty() || !sql::IsTypedScanFailure(result.error().message)) return result;
  for (const auto& view : prepared.hive_views) {
    if (auto s = session.Exec(view); !s) return s.error();
  }
  prepared.hive_views.clear();
  if (undo) undo();
  return run();
}

Result<PreparedQuery> PrepareQuery(QueryEnv& env, sql::Session& session, const std::string& query, int64_t* scanned) {
  auto translated = sql::TranslateTrinoSql(query);
  if (!translated) return translated.error();
  auto refs = env.engine->TableReferences(*translated);
  if (!refs) return refs.error();
  PreparedQuery out;
  // Every table is resolved and authorized before any is read.
  std::vector<std::vector<sql::ScanPartition>> data;
  for (const auto& ref : *refs) {
    const size_t first = ref.locations.empty() ? 0 : ref.locations.front().offset;
    auto t = Resolve(env, ref.catalog, ref.schema, ref.table, LineColumn(*translated, first));
    if (!t) return t.error();
    out.tables.push_back(std::move(*t));
  }
  for (const auto& t : out.tables) {
    auto partitions = PartitionsOf(env, t, *translated, scanned);
    if (!partitions) return partitions.error();
    data.push_back(std::move(*partitions));
  }
  // Views, then the text rewritten back to front so that earlier offsets stay valid.
  std::vector<std::pair<size_t, std::pair<size_t, std::string>>> edits;  // offset -> (end, replacement)
  const auto tokens = sql::Tokenize(*translated, sql::Dialect::kTrino);
  for (size_t i = 0; i < out.tables.size(); ++i) {
    const std::string view = "xacct_t" + std::to_string(i);
    auto scan = sql::ScanSql(out.tables[i].table, data[i], /*typed=*/true);
    if (!scan) return scan.error();
    auto hive = sql::ScanSql(out.tables[i].table, data[i]);
    if (!hive) return hive.error();
    if (*hive != *scan) out.hive_views.push_back("CREATE OR REPLACE TEMP VIEW " + view + " AS " + *hive);
    if (auto s = session.Exec("CREATE TEMP VIEW " + view + " AS " + *scan); !s) return s.error();
    for (const auto& at : (*refs)[i].locations) {
      // The qualified name starting at this offset: name (. name)*
      size_t k = 0;
      while (k < tokens.size() && tokens[k].offset < at.offset) ++k;
      if (k >= tokens.size() || tokens[k].offset != at.offset) {
        return AwsError::Server("InternalFailure",
                                "cannot find the table reference at offset " + std::to_string(at.offset));
      }
      size_t end = tokens[k].end;
      while (k + 2 < tokens.size() && tokens[k + 1].kind == sql::TokenKind::kSymbol && tokens[k + 1].text == "." &&
             tokens[k + 1].offset == end &&
             (tokens[k + 2].kind == sql::TokenKind::kWord || tokens[k + 2].kind == sql::TokenKind::kDoubleQuoted)) {
        end = tokens[k + 2].end;
        k += 2;
      }
      std::string replacement = view;
      if (!at.aliased) replacement += " AS " + sql::SqlIdentifier((*refs)[i].table);
      edits.emplace_back(at.offset, std::make_pair(end, replacement));
    }
  }
  std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  out.sql = *translated;
  for (const auto& [begin, rest] : edits) out.sql.replace(begin, rest.first - begin, rest.second);
  return out;
}

// Trino's error text for what DuckDB refused while running a query.
AwsError EngineFailure(const AwsError& e) {
  if (e.code != "InvalidRequestException") return e;
  std::string message = e.message;
  if (message.rfind("Binder Error: ", 0) == 0 || message.rfind("Catalog Error: ", 0) == 0) {
    return AwsError::Client("SYNTAX_ERROR", "SYNTAX_ERROR: " + message);
  }
  if (message.rfind("Conversion Error: ", 0) == 0 || message.rfind("Invalid Input Error: ", 0) == 0) {
    return AwsError::Client("INVALID_CAST_ARGUMENT", "INVALID_CAST_ARGUMENT: " + message);
  }
  if (message.rfind("Parser Error: ", 0) == 0) return AwsError::Client("SYNTAX_ERROR", "SYNTAX_ERROR: " + message);
  return AwsError::Client("GENERIC_INTERNAL_ERROR", "GENERIC_INTERNAL_ERROR: " + message);
}

Result<Outcome> RunSelect(QueryEnv& env, const std::string& query) {
  Outcome out;
  out.statement_type = "DML";
  out.substatement_type = "SELECT";
  auto session = env.Connect();
  if (!session) return session.error();
  auto prepared = PrepareQuery(env, **session, query, &out.data_scanned_bytes);
  if (!prepared) return prepared.error();
  auto rows = WithHiveFallback(**session, *prepared, [&] { return (*session)->Query(prepared->sql); });
  if (!rows) return EngineFailure(rows.error());
  if (auto s = env.engine->NameColumnsAsTrino(prepared->sql, &*rows); !s) return s.error();
  out.rows = std::move(*rows);
  return out;
}

// A Trino-style query id (yyyyMMdd_HHmmss_NNNNN_xxxxx), the prefix of the files a query writes.
std::string TrinoQueryId() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += static_cast<char>('a' + rd() % 26);
  char seq[8];
  std::snprintf(seq, sizeof seq, "%05d", counter++ % 100000);
  return std::string(stamp) + "_" + seq + "_" + suffix;
}

// A private scratch directory for a query's files, removed with it.
struct Scratch {
  fs::path dir;
  // Under the blob store's own temp directory, so that finished files are renamed into the store, not copied.
  Scratch(const fs::path& base, const std::string& id) {
    dir = base / ("xacct-query-" + id);
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// What a write produced: the objects stored (removed again if a later step fails) and the row count.
struct Written {
  std::vector<s3::ObjectInfo> objects;
  std::vector<std::vector<std::string>> partitions;  //!< the partition values of each directory written
  int64_t rows = 0;
};

void DiscardAll(QueryEnv& env, const Written& w) {
  s3::ObjectClient objects(*env.backends.s3);
  for (const auto& o : w.objects) (void)objects.Discard(o);
}

// Runs `select_sql` (already prepared) into files of `format` under `location`: one file, or Hive partition
// directories for `partition_columns` (the last columns of the select). Files are named as Athena names them:
// <trino query id>_<uuid><extension>.
Result<Written> WriteQuery(QueryEnv& env, sql::Session& session, PreparedQuery& prepared, const std::string& select_sql,
                           const sql::WriteFormat& format, const std::string& location,
                           const std::vector<std::string>& partition_columns) {
  Scratch scratch(env.backends.s3->blobs().temp_dir(), env.query_id);
  std::string extension;
  const std::string options = sql::CopyOptions(format, &extension);
  const std::string file_prefix = TrinoQueryId() + "_";
  Written out;
  std::string copy;
  if (partition_columns.empty()) {
    copy = "COPY (" + select_sql + ") TO " + sql::SqlString((scratch.dir / "part").string()) + " (" + options + ")";
  } else {
    std::string by;
    for (const auto& c : partition_columns) by += (by.empty() ? "" : ", ") + sql::SqlIdentifier(c);
    copy = "COPY (" + select_sql + ") TO " + sql::SqlString((scratch.dir / "out").string()) + " (" + options +
           ", PARTITION_BY (" + by + "), FILENAME_PATTERN 'part_{i}')";
  }
  auto counted = WithHiveFallback(
      session, prepared, [&] { return session.Query(copy); },
      [&] {
        std::error_code ec;
        fs::remove_all(scratch.dir / "part", ec);
        fs::remove_all(scratch.dir / "out", ec);
      });
  if (!counted) return EngineFailure(counted.error());
  if (!counted->rows.empty() && counted->rows[0].size() == 1 && counted->rows[0][0]) {
    out.rows = std::stoll(*counted->rows[0][0]);
  }
  auto where = ParseS3Location(WithSlash(location));
  if (!where) return where.error();
  // The files to store: (relative directory, local path).
  std::vector<std::pair<std::string, fs::path>> files;
  std::error_code ec;
  if (partition_columns.empty()) {
    if (fs::exists(scratch.dir / "part") && (out.rows > 0 || format.format == sql::TableFormat::kParquet)) {
      files.emplace_back("", scratch.dir / "part");
    }
  } else if (fs::exists(scratch.dir / "out")) {
    for (auto it = fs::recursive_directory_iterator(scratch.dir / "out", ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const std::string dir = fs::relative(it->path().parent_path(), scratch.dir / "out").generic_string();
      files.emplace_back(dir + "/", it->path());
    }
    std::sort(files.begin(), files.end());
  }
  s3::ObjectClient objects(*env.backends.s3);
  for (const auto& [dir, path] : files) {
    const std::string key = where->key + dir + file_prefix + NewUuid() + extension;
    auto stored =
        objects.PutFile(env.caller, env.via, where->bucket, key, path, "application/octet-stream", &env.explanation,
                        /*move=*/true);
    if (!stored) {
      DiscardAll(env, out);
      return S3Failure(stored.error(), env, S3Uri(where->bucket, key));
    }
    out.objects.push_back(std::move(*stored));
    if (!dir.empty()) {
      // k1=v1/k2=v2/ -> values (Hive escapes undone as DuckDB wrote them)
      std::vector<std::string> values;
      size_t pos = 0;
      while (pos < dir.size()) {
        const size_t slash = dir.find('/', pos);
        const std::string part = dir.substr(pos, slash - pos);
        const size_t eq = part.find('=');
        values.push_back(eq == std::string::npos ? part : part.substr(eq + 1));
        pos = slash == std::string::npos ? dir.size() : slash + 1;
      }
      if (std::find(out.partitions.begin(), out.partitions.end(), values) == out.partitions.end()) {
        out.partitions.push_back(std::move(values));
      }
    }
  }
  return out;
}

// Writes the data manifest (one s3:// URI per written file) next to the query's results, as Athena does.
Status WriteManifest(QueryEnv& env, const Written& written, Outcome& out) {
  for (const auto& o : written.objects) out.written_files.push_back(S3Uri(o.bucket, o.key));
  if (env.output_location.empty()) return Ok{};
  auto where = ParseS3Location(WithSlash(env.output_location));
  if (!where) return where.error();
  Scratch scratch(env.backends.s3->blobs().temp_dir(), env.query_id + "-manifest");
  const fs::path file = scratch.dir / "manifest.csv";
  {
    std::ofstream f(file, std::ios::binary);
    for (const auto& uri : out.written_files) f << uri << "\n";
  }
  const std::string key = where->key + env.query_id + "-manifest.csv";
  s3::ObjectClient objects(*env.backends.s3);
  auto stored = objects.PutFile(env.caller, env.via, where->bucket, key, file, "text/csv", &env.explanation);
  if (!stored) return S3Failure(stored.error(), env, S3Uri(where->bucket, key));
  out.data_manifest_location = S3Uri(where->bucket, key);
  return Ok{};
}

// Registers the partitions a write added that Glue does not have yet (glue:BatchCreatePartition, only then).
Status RegisterPartitions(QueryEnv& env, const ResolvedTable& t, const std::string& location,
                          const std::vector<std::vector<std::string>>& written) {
  if (written.empty()) return Ok{};
  glue::CatalogClient glue(env.identities, env.authz);
  // What exists is read with GetPartitions, which the writer has when it may read the table.
  auto existing = glue.GetPartitions(env.caller, env.via, t.catalog_id, t.database, t.name, {}, &env.explanation);
  if (!existing) return GlueFailure(existing.error(), env);
  std::vector<std::vector<std::string>> have;
  for (const auto& p : *existing) have.push_back(JsonStrings(p.if_contains("Values")));
  const auto& keys = t.table.at("PartitionKeys").as_array();
  json::array inputs;
  for (const auto& values : written) {
    if (std::find(have.begin(), have.end(), values) != have.end()) continue;
    json::object sd = t.table.at("StorageDescriptor").as_object();
    std::string dir;
    for (size_t i = 0; i < values.size() && i < keys.size(); ++i) {
      dir += StringField(keys[i].as_object(), "Name") + "=" + values[i] + "/";
    }
    sd["Location"] = WithSlash(location) + dir;
    json::array vals;
    for (const auto& v : values) vals.emplace_back(v);
    inputs.push_back(json::object{{"Values", std::move(vals)}, {"StorageDescriptor", std::move(sd)}});
  }
  if (inputs.empty()) return Ok{};
  for (size_t i = 0; i < inputs.size(); i += 100) {
    json::array batch(inputs.begin() + static_cast<std::ptrdiff_t>(i),
                      inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), i + 100)));
    auto r = CallGlue(env, "BatchCreatePartition",
                      {{"CatalogId", t.catalog_id},
                       {"DatabaseName", t.database},
                       {"TableName", t.name},
                       {"PartitionInputList", std::move(batch)}});
    if (!r) return GlueFailure(r.error(), env);
  }
  return Ok{};
}

// The select list casting a query's columns (positionally) to the target's columns, as INSERT INTO coerces.
std::string CoercedSelect(const std::string& query_sql,
                          const std::vector<std::pair<std::string, std::string>>& target_columns,
                          const std::vector<std::string>& named) {
  std::string out = "SELECT ";
  for (size_t i = 0; i < target_columns.size(); ++i) {
    const auto& [name, type] = target_columns[i];
    std::string value = "NULL";
    if (named.empty()) {
      value = "#" + std::to_string(i + 1);
    } else if (auto it = std::find(named.begin(), named.end(), name); it != named.end()) {
      value = "#" + std::to_string(it - named.begin() + 1);
    }
    out += (i > 0 ? ", " : "") + std::string("CAST(") + value + " AS " + type + ") AS " + sql::SqlIdentifier(name);
  }
  return out + " FROM (" + query_sql + "\n) AS xacct_source";
}

std::vector<std::string> PartitionKeyNames(const json::object& table) {
  std::vector<std::string> out;
  if (const auto* keys = table.if_contains("PartitionKeys"); keys != nullptr && keys->is_array()) {
    for (const auto& k : keys->as_array()) out.push_back(sql::ToLower(StringField(k.as_object(), "Name")));
  }
  return out;
}

Result<Outcome> RunInsert(QueryEnv& env, const sql::InsertInto& insert) {
  Outcome out;
  out.statement_type = "DML";
  out.substatement_type = "INSERT";
  auto target = Resolve(env, insert.table.catalog.value_or(""), insert.table.database.value_or(""), insert.table.table,
                        "line 1:1: ", /*need_database=*/false);
  if (!target) return target.error();
  auto columns = sql::TableColumns(target->table);
  if (!columns) return columns.error();
  for (const auto& c : insert.columns) {
    if (std::none_of(columns->begin(), columns->end(), [&](const auto& tc) { return tc.first == sql::ToLower(c); })) {
      return AwsError::Client("COLUMN_NOT_FOUND",
                              "COLUMN_NOT_FOUND: line 1:1: Insert column name does not exist "
                              "in target table: " +
                                  sql::ToLower(c));
    }
  }
  auto format = sql::WriteFormatOf(target->table);
  if (!format) return format.error();
  const std::string location = LocationOf(target->table);
  auto where = ParseS3Location(WithSlash(location));
  if (!where) return where.error();
  s3::ObjectClient objects(*env.backends.s3);
  // The listing a write needs (Athena checks the target's prefix).
  if (auto listed = objects.List(env.caller, env.via, where->bucket, where->key, &env.explanation); !listed) {
    return S3Failure(listed.error(), env, WithSlash(location));
  }
  auto session = env.Connect();
  if (!session) return session.error();
  auto prepared = PrepareQuery(env, **session, insert.query_sql, &out.data_scanned_bytes);
  if (!prepared) return prepared.error();
  // The query's arity must match the target's (Trino: "Insert query has mismatched column count").
  auto shape = (*session)->Query("SELECT * FROM (" + prepared->sql + "\n) AS xacct_shape LIMIT 0");
  if (!shape) return EngineFailure(shape.error());
  const size_t expected = insert.columns.empty() ? columns->size() : insert.columns.size();
  if (shape->columns.size() != expected) {
    return AwsError::Client("SYNTAX_ERROR",
                            "SYNTAX_ERROR: line 1:1: Insert query has mismatched column count: Table: [" +
                                std::to_string(expected) + "], Query: [" + std::to_string(shape->columns.size()) + "]");
  }
  std::vector<std::string> named;
  for (const auto& c : insert.columns) named.push_back(sql::ToLower(c));
  const std::string select = CoercedSelect(prepared->sql, *columns, named);
  auto written = WriteQuery(env, **session, *prepared, select, *format, location, PartitionKeyNames(target->table));
  if (!written) return written.error();
  if (auto s = RegisterPartitions(env, *target, location, written->partitions); !s) {
    DiscardAll(env, *written);
    return s.error();
  }
  if (auto s = WriteManifest(env, *written, out); !s) return s.error();
  out.update_count = written->rows;
  return out;
}

const sql::WithProperty* FindProperty(const std::vector<sql::WithProperty>& properties, std::string_view name) {
  for (const auto& p : properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// The format a CTAS or UNLOAD writes: `format` (PARQUET by default), `write_compression` (GZIP by default,
// Athena's), `field_delimiter` for TEXTFILE.
Result<sql::WriteFormat> FormatOfProperties(const std::vector<sql::WithProperty>& properties, std::string* serde,
                                            std::string* input_format, std::string* output_format) {
  sql::WriteFormat f;
  const auto* format = FindProperty(properties, "format");
  const std::string name = format != nullptr ? sql::ToUpper(format->value) : "PARQUET";
  if (name == "PARQUET") {
    f.format = sql::TableFormat::kParquet;
    *serde = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    *input_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    *output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
  } else if (name == "TEXTFILE") {
    f.format = sql::TableFormat::kText;
    *serde = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    *input_format = "org.apache.hadoop.mapred.TextInputFormat";
    *output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
  } else if (name == "JSON") {
    f.format = sql::TableFormat::kJson;
    *serde = "org.openx.data.jsonserde.JsonSerDe";
    *input_format = "org.apache.hadoop.mapred.TextInputFormat";
    *output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
  } else {
    return AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct does not write format " + name +
                                                 " yet (PARQUET, TEXTFILE and JSON are written)");
  }
  if (const auto* d = FindProperty(properties, "field_delimiter")) f.delimiter = d->value.substr(0, 1);
  if (const auto* c = FindProperty(properties, "write_compression")) {
    f.compression = sql::ToLower(c->value);
    if (f.compression == "none" || f.compression == "uncompressed") f.compression = "none";
  }
  return f;
}

// Fails when `location` already holds objects (CTAS and UNLOAD write only to an empty place).
Status RequireEmpty(QueryEnv& env, const std::string& location, const std::string& what) {
  auto where = ParseS3Location(WithSlash(location));
  if (!where) return where.error();
  s3::ObjectClient objects(*env.backends.s3);
  auto listed = objects.List(env.caller, env.via, where->bucket, where->key, &env.explanation);
  if (!listed) return S3Failure(listed.error(), env, WithSlash(location));
  if (!listed->empty()) {
    return AwsError::Client("HIVE_PATH_ALREADY_EXISTS", "HIVE_PATH_ALREADY_EXISTS: Target directory for " + what +
                                                            " already exists: " + WithSlash(location) +
                                                            ". You may need to manually clean the data at location '" +
                                                            env.output_location + "tables/" + env.query_id +
                                                            "' before retrying. Athena will not delete data in your "
                                                            "account.");
  }
  return Ok{};
}

Result<Outcome> RunCreateTableAs(QueryEnv& env, const sql::CreateTableAs& ctas) {
  Outcome out;
  out.statement_type = "DDL";
  out.substatement_type = "CREATE_TABLE_AS_SELECT";
  auto catalog_name = CatalogOf(env, ctas.name.catalog.value_or(""));
  auto catalog_id = CatalogIdOf(env, catalog_name);
  if (!catalog_id) return catalog_id.error();
  const std::string database = DatabaseOf(env, ctas.name.database.value_or(""));
  auto db = CallGlue(env, "GetDatabase", {{"CatalogId", *catalog_id}, {"Name", database}});
  if (!db) {
    if (db.error().code == "EntityNotFoundException") {
      return AwsError::Client("SCHEMA_NOT_FOUND",
                              "SCHEMA_NOT_FOUND: line 1:1: Schema '" + database + "' does not exist");
    }
    return GlueFailure(db.error(), env);
  }
  auto exists =
      CallGlue(env, "GetTable", {{"CatalogId", *catalog_id}, {"DatabaseName", database}, {"Name", ctas.name.table}});
  if (exists) {
    if (ctas.if_not_exists) return out;
    return AwsError::Client("TABLE_ALREADY_EXISTS", "TABLE_ALREADY_EXISTS: line 1:1: Table '" +
                                                        catalog_name.value_or("awsdatacatalog") + "." + database + "." +
                                                        ctas.name.table + "' already exists");
  }
  std::string serde;
  std::string input_format;
  std::string output_format;
  auto format = FormatOfProperties(ctas.with_properties, &serde, &input_format, &output_format);
  if (!format) return format.error();
  std::string location;
  if (const auto* l = FindProperty(ctas.with_properties, "external_location")) {
    location = WithSlash(l->value);
  } else if (!env.output_location.empty()) {
    location = WithSlash(env.output_location) + "tables/" + env.query_id + "/";
  } else {
    return InvalidRequest(
        "CREATE TABLE AS needs an external_location when the workgroup keeps query results in "
        "managed storage.");
  }
  std::vector<std::string> partitioned_by;
  if (const auto* p = FindProperty(ctas.with_properties, "partitioned_by")) {
    for (const auto& v : p->values) partitioned_by.push_back(sql::ToLower(v));
  }
  if (ctas.with_data) {
    if (auto s = RequireEmpty(env, location, "table '" + database + "." + ctas.name.table + "'"); !s) return s.error();
  }
  auto session = env.Connect();
  if (!session) return session.error();
  auto prepared = PrepareQuery(env, **session, ctas.query_sql, &out.data_scanned_bytes);
  if (!prepared) return prepared.error();
  auto shape = (*session)->Query("SELECT * FROM (" + prepared->sql + "\n) AS xacct_shape LIMIT 0");
  if (!shape) return EngineFailure(shape.error());
  // The table's columns: the query's, partition columns last (they must be the query's last columns).
  json::array columns;
  json::array keys;
  std::string reorder = "SELECT ";
  for (const auto& c : shape->columns) {
    const bool key =
        std::find(partitioned_by.begin(), partitioned_by.end(), sql::ToLower(c.name)) != partitioned_by.end();
    std::string type = c.type == "varchar" ? "string" : c.type;
    if (c.type == "decimal") type = "decimal(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")";
    json::object col{{"Name", sql::ToLower(c.name)}, {"Type", type}};
    (key ? keys : columns).push_back(std::move(col));
  }
  for (const auto& c : columns) reorder += sql::SqlIdentifier(StringField(c.as_object(), "Name")) + ", ";
  for (const auto& k : partitioned_by) reorder += sql::SqlIdentifier(k) + ", ";
  reorder.resize(reorder.size() - 2);
  reorder += " FROM (" + prepared->sql + "\n) AS xacct_source";
  json::object serde_info{{"SerializationLibrary", serde}};
  if (format->format == sql::TableFormat::kText) {
    serde_info["Parameters"] = json::object{{"field.delim", format->delimiter}};
  }
  json::object table_input{
      {"Name", ctas.name.table},
      {"TableType", "EXTERNAL_TABLE"},
      {"Parameters",
       {{"EXTERNAL", "TRUE"},
        {"has_encrypted_data", "false"},
        {"write.compression", format->compression == "none" ? "NONE" : sql::ToUpper(format->compression)}}},
      {"StorageDescriptor",
       {{"Columns", columns},
        {"Location", location},
        {"InputFormat", input_format},
        {"OutputFormat", output_format},
        {"SerdeInfo", serde_info}}},
      {"PartitionKeys", keys}};
  Written written;
  if (ctas.with_data) {
    auto w = WriteQuery(env, **session, *prepared, reorder, *format, location, partitioned_by);
    if (!w) return w.error();
    written = std::move(*w);
  }
  auto created = CallGlue(env, "CreateTable",
                          {{"CatalogId", *catalog_id}, {"DatabaseName", database}, {"TableInput", table_input}});
  if (!created) {
    DiscardAll(env, written);
    return GlueFailure(created.error(), env);
  }
  if (!written.partitions.empty()) {
    ResolvedTable t{*catalog_id, catalog_name.value_or("awsdatacatalog"), database, ctas.name.table, table_input};
    if (auto s = RegisterPartitions(env, t, location, written.partitions); !s) return s.error();
  }
  if (auto s = WriteManifest(env, written, out); !s) return s.error();
  out.update_count = written.rows;
  return out;
}

Result<Outcome> RunUnload(QueryEnv& env, const sql::Unload& unload) {
  Outcome out;
  out.statement_type = "DML";
  out.substatement_type = "UNLOAD";
  std::string serde;
  std::string input_format;
  std::string output_format;
  auto format = FormatOfProperties(unload.with_properties, &serde, &input_format, &output_format);
  if (!format) return format.error();
  std::vector<std::string> partitioned_by;
  if (const auto* p = FindProperty(unload.with_properties, "partitioned_by")) {
    for (const auto& v : p->values) partitioned_by.push_back(sql::ToLower(v));
  }
  if (partitioned_by.empty()) {
    if (auto s = RequireEmpty(env, unload.location, "UNLOAD"); !s) return s.error();
  }
  auto session = env.Connect();
  if (!session) return session.error();
  auto prepared = PrepareQuery(env, **session, unload.query_sql, &out.data_scanned_bytes);
  if (!prepared) return prepared.error();
  auto written = WriteQuery(env, **session, *prepared, prepared->sql, *format, unload.location, partitioned_by);
  if (!written) return written.error();
  if (auto s = WriteManifest(env, *written, out); !s) return s.error();
  out.update_count = written->rows;
  return out;
}

Result<Outcome> RunExplain(QueryEnv& env, const sql::Explain& explain) {
  Outcome out;
  out.statement_type = "DML";
  out.substatement_type = "EXPLAIN";
  auto inner = sql::ParseStatement(explain.statement_sql);
  if (!inner) return inner.error();
  const auto* select = std::get_if<sql::Select>(&*inner);
  if (select == nullptr) {
    return AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct explains queries (SELECT) only");
  }
  auto session = env.Connect();
  if (!session) return session.error();
  int64_t scanned = 0;
  auto prepared = PrepareQuery(env, **session, select->sql, &scanned);
  if (!prepared) return prepared.error();
  auto plan = (*session)->Query((explain.analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + prepared->sql);
  if (!plan) return EngineFailure(plan.error());
  sql::ResultSet rows;
  rows.columns.push_back(sql::ResultColumn{"Query Plan", "varchar", 0, 0});
  for (const auto& r : plan->rows) {
    if (!r.empty()) rows.rows.push_back({r.back()});
  }
  out.rows = std::move(rows);
  return out;
}

}  // namespace

Result<std::string> CatalogIdOf(QueryEnv& env, const std::optional<std::string>& catalog) {
  if (!catalog || catalog->empty() || *catalog == "awsdatacatalog") return env.caller.account;
  // A quoted catalog ARN: glue:arn:aws:glue:REGION:ACCOUNT:catalog (the same Region only).
  constexpr std::string_view kArnPrefix = "glue:arn:aws:glue:";
  if (catalog->rfind(kArnPrefix, 0) == 0) {
    const std::string rest = catalog->substr(kArnPrefix.size());
    const size_t colon = rest.find(':');
    const size_t colon2 = colon == std::string::npos ? colon : rest.find(':', colon + 1);
    if (colon2 == std::string::npos || rest.substr(colon2 + 1) != "catalog") {
      return InvalidRequest("Catalog " + *catalog + " is not a valid Glue catalog ARN.");
    }
    const std::string region = rest.substr(0, colon);
    const std::string account = rest.substr(colon + 1, colon2 - colon - 1);
    if (region != env.request.region) {
      return AwsError::Client("CATALOG_NOT_FOUND", "CATALOG_NOT_FOUND: Catalog '" + *catalog +
                                                       "' does not exist: a Glue catalog ARN names the query's own "
                                                       "Region (" +
                                                       env.request.region + ")");
    }
    return account;
  }
  CallContext ctx = env.Context();
  auto found = LoadDataCatalog(env.identities.db(), env.caller.account, env.request.region, *catalog);
  if (!found) return found.error();
  if (!*found) {
    return AwsError::Client("CATALOG_NOT_FOUND", "CATALOG_NOT_FOUND: Catalog '" + *catalog + "' does not exist");
  }
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
  if (env.backends.s3 == nullptr) return AwsError::Server("InternalFailure", "no S3 service to read tables from");
  if (const auto* select = std::get_if<sql::Select>(&*parsed)) return RunSelect(env, select->sql);
  if (const auto* insert = std::get_if<sql::InsertInto>(&*parsed)) return RunInsert(env, *insert);
  if (const auto* ctas = std::get_if<sql::CreateTableAs>(&*parsed)) return RunCreateTableAs(env, *ctas);
  if (const auto* unload = std::get_if<sql::Unload>(&*parsed)) return RunUnload(env, *unload);
  if (const auto* explain = std::get_if<sql::Explain>(&*parsed)) return RunExplain(env, *explain);
  return AwsError::Client("NOT_SUPPORTED", "NOT_SUPPORTED: xacct does not run this kind of statement yet");
}

}  // namespace xacct::services::athena
