#include "sql/engine.h"

#include <algorithm>
#include <set>

#include "common/json.h"
#include "sql/trino_functions.h"

namespace xacct::sql {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every base table under `node`; CTE names (from any cte_map) are collected to be removed afterwards.
void Collect(const json::value& node, std::vector<TableReference>* tables, std::set<std::string>* ctes) {
  if (node.is_array()) {
    for (const auto& v : node.as_array()) Collect(v, tables, ctes);
    return;
  }
  if (!node.is_object()) return;
  const auto& o = node.as_object();
  if (JsonString(o.contains("type") ? o.at("type") : json::value()) == "BASE_TABLE" && o.contains("table_name")) {
    TableReference t{Lower(StringField(o, "catalog_name")),
                     Lower(StringField(o, "schema_name")),
                     Lower(StringField(o, "table_name")),
                     {}};
    if (const auto* at = o.if_contains("query_location"); at != nullptr && at->is_number()) {
      const auto offset = at->to_number<double>();
      if (offset >= 0 && offset < 1e15) {
        t.locations.push_back(TableOccurrence{static_cast<size_t>(offset), !StringField(o, "alias").empty()});
      }
    }
    tables->push_back(std::move(t));
  }
  if (const auto* map = o.if_contains("cte_map"); map != nullptr && map->is_object()) {
    if (const auto* entries = map->as_object().if_contains("map"); entries != nullptr && entries->is_array()) {
      for (const auto& e : entries->as_array()) {
        if (e.is_object()) ctes->insert(Lower(StringField(e.as_object(), "key")));
      }
    }
  }
  for (const auto& [_, v] : o) Collect(v, tables, ctes);
}

// A statement that only reads (and so may be run again): SELECT, WITH, VALUES, FROM, TABLE or a parenthesis.
bool IsRead(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  if (i < sql.size() && sql[i] == '(') return true;
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
    word += static_cast<char>(std::tolower(sql[i++]));
  return word == "select" || word == "with" || word == "values" || word == "from" || word == "table";
}

}  // namespace

std::string SqlIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string SqlString(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

ResultColumn AthenaColumn(const DuckDbApi& api, duckdb_result* result, idx_t column) {
  ResultColumn c;
  const char* name = api.column_name(result, column);
  c.name = name != nullptr ? name : "";
  switch (api.column_type(result, column)) {
    case DUCKDB_TYPE_BOOLEAN:
      c.type = "boolean";
      break;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_UTINYINT:
      c.type = "tinyint";
      break;
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_USMALLINT:
      c.type = "smallint";
      break;
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_UINTEGER:
      c.type = "integer";
      break;
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UBIGINT:
      c.type = "bigint";
      break;
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
      // DuckDB sums integers into a 128-bit integer where Trino's sum(integer|bigint) is a bigint.
      c.type = "bigint";
      break;
    case DUCKDB_TYPE_FLOAT:
      c.type = "float";
      break;
    case DUCKDB_TYPE_DOUBLE:
      c.type = "double";
      break;
    case DUCKDB_TYPE_DECIMAL: {
      duckdb_logical_type t = api.column_logical_type(result, column);
      c.type = "decimal";
      c.precision = api.decimal_width(t);
      c.scale = api.decimal_scale(t);
      api.destroy_logical_type(&t);
      break;
    }
    case DUCKDB_TYPE_DATE:
      c.type = "date";
      break;
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIME_TZ:
      c.type = "time";
      break;
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
      c.type = "timestamp";
      break;
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      c.type = "timestamp with time zone";
      break;
    case DUCKDB_TYPE_INTERVAL:
      c.type = "interval day to second";
      break;
    case DUCKDB_TYPE_BLOB:
      c.type = "varbinary";
      break;
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_ARRAY:
      c.type = "array";
      break;
    case DUCKDB_TYPE_MAP:
      c.type = "map";
      break;
    case DUCKDB_TYPE_STRUCT:
      c.type = "row";
      break;
    default:
      c.type = "varchar";
  }
  return c;
}

Result<std::shared_ptr<Engine>> Engine::Open() {
  auto library = DuckDbLibrary::Load();
  if (!library) return library.error();
  const DuckDbApi& a = (*library)->api();
  std::shared_ptr<Engine> engine(new Engine());
  engine->library_ = *library;
  duckdb_config config = nullptr;
  if (a.create_config(&config) != DuckDBSuccess) return AwsError::Server("InternalFailure", "DuckDB config");
  // Nothing is downloaded at run time: the extensions xacct needs are built into the library.
  a.set_config(config, "autoinstall_known_extensions", "false");
  char* error = nullptr;
  const auto state = a.open_ext(nullptr, &engine->database_, config, &error);
  a.destroy_config(&config);
  if (state != DuckDBSuccess) {
    std::string message = error != nullptr ? error : "cannot open DuckDB";
    if (error != nullptr) a.free(error);
    return AwsError::Server("InternalFailure", message);
  }
  // Athena computes in UTC. (ICU, built in, is loaded by now; as an open-time option it is not yet.)
  auto session = engine->Connect();
  if (!session) return session.error();
  if (auto s = (*session)->Exec("SET GLOBAL TimeZone = 'UTC'"); !s) return s.error();
  // The Trino functions TranslateTrinoSql maps onto macros (sql/trino_functions.h), for every connection.
  for (const auto& macro : TrinoCompatibilityMacros()) {
    if (auto s = (*session)->Exec(macro); !s) return s.error();
  }
  return engine;
}

Engine::~Engine() {
  if (database_ != nullptr) library_->api().close(&database_);
}

Result<std::unique_ptr<Session>> Engine::Connect() {
  duckdb_connection connection = nullptr;
  if (library_->api().connect(database_, &connection) != DuckDBSuccess) {
    return AwsError::Server("InternalFailure", "cannot connect to DuckDB");
  }
  return std::unique_ptr<Session>(new Session(library_, connection));
}

Session::~Session() {
  if (connection_ != nullptr) library_->api().disconnect(&connection_);
}

Result<ResultSet> Session::Query(const std::string& sql) {
  const DuckDbApi& a = library_->api();
  duckdb_result result;
  if (a.query(connection_, sql.c_str(), &result) != DuckDBSuccess) {
    const char* message = a.result_error(&result);
    AwsError e = AwsError::Client("InvalidRequestException", message != nullptr ? message : "query failed");
    a.destroy_result(&result);
    return e;
  }
  ResultSet out;
  const idx_t columns = a.column_count(&result);
  for (idx_t c = 0; c < columns; ++c) out.columns.push_back(AthenaColumn(a, &result, c));
  // duckdb_value_varchar does not render nested values (it answers NULL). A read is run once more with those
  // columns cast to VARCHAR, which prints them as Athena does ([1, 2], {a=1} aside: DuckDB's {'a': 1}).
  const bool nested = std::any_of(out.columns.begin(), out.columns.end(), [](const ResultColumn& c) {
    return c.type == "array" || c.type == "map" || c.type == "row";
  });
  if (nested && IsRead(sql)) {
    a.destroy_result(&result);
    std::string wrapped = "SELECT ";
    for (idx_t c = 0; c < columns; ++c) {
      const auto& col = out.columns[c];
      const bool cast = col.type == "array" || col.type == "map" || col.type == "row";
      wrapped +=
          (c > 0 ? ", #" : "#") + std::to_string(c + 1) + (cast ? "::VARCHAR" : "") + " AS " + SqlIdentifier(col.name);
    }
    wrapped += " FROM (" + sql + "\n) AS xacct_nested";
    if (a.query(connection_, wrapped.c_str(), &result) != DuckDBSuccess) {
      const char* message = a.result_error(&result);
      AwsError e = AwsError::Client("InvalidRequestException", message != nullptr ? message : "query failed");
      a.destroy_result(&result);
      return e;
    }
  }
  const idx_t rows = a.row_count(&result);
  out.rows.reserve(rows);
  for (idx_t r = 0; r < rows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(columns);
    for (idx_t c = 0; c < columns; ++c) {
      if (a.value_is_null(&result, c, r)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      char* value = a.value_varchar(&result, c, r);
      row.emplace_back(value != nullptr ? std::optional<std::string>(value) : std::nullopt);
      if (value != nullptr) a.free(value);
    }
  }
  a.destroy_result(&result);
  return out;
}

Status Session::Exec(const std::string& sql) {
  auto r = Query(sql);
  if (!r) return r.error();
  return Ok{};
}

namespace {

// The parsed tree of one statement (json_serialize_sql), or DuckDB's parser error.
Result<json::value> SerializedTree(Engine& engine, const std::string& sql) {
  auto session = engine.Connect();
  if (!session) return session.error();
  auto r = (*session)->Query("SELECT json_serialize_sql(" + SqlString(sql) + ")");
  if (!r) return r.error();
  if (r->rows.empty() || !r->rows[0][0]) return AwsError::Server("InternalFailure", "json_serialize_sql: no result");
  auto tree = ParseJson(*r->rows[0][0]);
  if (!tree || !tree->is_object()) return AwsError::Server("InternalFailure", "json_serialize_sql: not JSON");
  const auto& root = tree->as_object();
  if (const auto* failed = root.if_contains("error"); failed != nullptr && failed->is_bool() && failed->as_bool()) {
    return AwsError::Client("InvalidRequestException", StringField(root, "error_message"));
  }
  return std::move(*tree);
}

}  // namespace

Status Engine::NameColumnsAsTrino(const std::string& select_sql, ResultSet* result) {
  auto tree = SerializedTree(*this, select_sql);
  if (!tree) return tree.error();
  const auto* statements = tree->as_object().if_contains("statements");
  if (statements == nullptr || !statements->is_array() || statements->as_array().empty()) return Ok{};
  const json::value* node = statements->as_array()[0].as_object().if_contains("node");
  // A set operation is named by its first branch.
  while (node != nullptr && node->is_object() && StringField(node->as_object(), "type") == "SET_OPERATION_NODE") {
    node = node->as_object().if_contains("left");
  }
  if (node == nullptr || !node->is_object() || StringField(node->as_object(), "type") != "SELECT_NODE") return Ok{};
  const auto* list = node->as_object().if_contains("select_list");
  if (list == nullptr || !list->is_array() || list->as_array().size() != result->columns.size()) return Ok{};
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    const auto& e = list->as_array()[i];
    if (!e.is_object()) continue;
    const std::string kind = StringField(e.as_object(), "class");
    if (kind == "STAR") return Ok{};
    if (StringField(e.as_object(), "alias").empty() && kind != "COLUMN_REF") {
      result->columns[i].name = "_col" + std::to_string(i);
    }
  }
  return Ok{};
}

Result<std::vector<TableReference>> Engine::TableReferences(const std::string& select_sql) {
  auto tree = SerializedTree(*this, select_sql);
  if (!tree) return tree.error();
  const auto& root = tree->as_object();
  std::vector<TableReference> tables;
  std::set<std::string> ctes;
  if (const auto* statements = root.if_contains("statements")) Collect(*statements, &tables, &ctes);
  std::vector<TableReference> out;
  for (auto& t : tables) {
    if (t.catalog.empty() && t.schema.empty() && ctes.contains(t.table)) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const TableReference& o) { return o.SameTable(t); });
    if (same == out.end()) {
      out.push_back(std::move(t));
    } else {
      same->locations.insert(same->locations.end(), t.locations.begin(), t.locations.end());
    }
  }
  return out;
}

void Session::Interrupt() { library_->api().interrupt(connection_); }

Result<Session*> SessionGroup::Connect(Engine& engine) {
  std::lock_guard lock(mu_);
  if (interrupted_) return AwsError::Client("InvalidRequestException", "Query was cancelled");
  auto session = engine.Connect();
  if (!session) return session.error();
  sessions_.push_back(std::move(*session));
  return sessions_.back().get();
}

void SessionGroup::Interrupt() {
  std::lock_guard lock(mu_);
  interrupted_ = true;
  for (auto& s : sessions_) s->Interrupt();
}

bool SessionGroup::interrupted() const {
  std::lock_guard lock(mu_);
  return interrupted_;
}

}  // namespace xacct::sql
