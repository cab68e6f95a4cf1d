// The query engine Athena's statements run on: one in-memory DuckDB instance shared by the process, a
// connection per query (DESIGN.md: opening an instance costs ~10 ms, a connection almost nothing, and
// connection-local TEMP views keep concurrent queries apart). Results come back with Athena's type names
// (Amazon Athena User Guide, "Data types in Amazon Athena"), and a SELECT's table references come from
// DuckDB's json_serialize_sql(), so that every table can be authorized before anything runs.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/duckdb_library.h"

namespace xacct::sql {

//! A result column as Athena's ResultSetMetadata describes it.
struct ResultColumn {
  std::string name;
  std::string type;  //!< Athena's name: varchar, integer, bigint, double, decimal, timestamp, array, ...
  int precision = 0;
  int scale = 0;
};

struct ResultSet {
  std::vector<ResultColumn> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  //!< values as text; nullopt for NULL
};

//! One place a statement names a table: the byte offset of the name, and whether an alias follows it.
struct TableOccurrence {
  size_t offset = 0;
  bool aliased = false;
};

//! A table a statement reads, as written (catalog and schema empty when not given), lower-cased, with each
//! place the statement names it.
struct TableReference {
  std::string catalog;
  std::string schema;
  std::string table;
  std::vector<TableOccurrence> locations;
  bool SameTable(const TableReference& o) const {
    return catalog == o.catalog && schema == o.schema && table == o.table;
  }
};

class Engine;

//! One connection: statements run in order; TEMP objects are its own.
class Session {
 public:
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Result<ResultSet> Query(const std::string& sql);
  Status Exec(const std::string& sql);
  //! Stops the statement running on this session (from any thread): it fails with DuckDB's "INTERRUPT Error".
  void Interrupt();

 private:
  friend class Engine;
  Session(std::shared_ptr<const DuckDbLibrary> library, duckdb_connection connection)
      : library_(std::move(library)), connection_(connection) {}
  std::shared_ptr<const DuckDbLibrary> library_;
  duckdb_connection connection_ = nullptr;
};

class Engine {
 public:
  //! Loads libduckdb (on first use) and opens the shared in-memory instance, UTC.
  static Result<std::shared_ptr<Engine>> Open();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Result<std::unique_ptr<Session>> Connect();
  //! The base tables a SELECT (or WITH, VALUES) reads, each once, CTE names excluded; DuckDB's parser error
  //! (its message) when the text is not a statement DuckDB can parse.
  Result<std::vector<TableReference>> TableReferences(const std::string& select_sql);
  //! Names the result columns of `select_sql` as Trino does: an expression without an alias is `_colN`
  //! (N its 0-based position), where DuckDB would print the expression.
  Status NameColumnsAsTrino(const std::string& select_sql, ResultSet* result);
  const DuckDbLibrary& library() const { return *library_; }

 private:
  Engine() = default;
  std::shared_ptr<const DuckDbLibrary> library_;
  duckdb_database database_ = nullptr;
};

//! Athena's name for a DuckDB type (DECIMAL also fills precision and scale).
ResultColumn AthenaColumn(const DuckDbApi& api, duckdb_result* result, idx_t column);

//! `name` as a quoted SQL identifier ("" doubled).
std::string SqlIdentifier(std::string_view name);

//! `text` as a SQL string literal ('' doubled).
std::string SqlString(std::string_view text);

//! The sessions one query opens, kept (and disconnected) together so that stopping the query can interrupt
//! whatever statement it is running from another thread (Athena's StopQueryExecution). Thread-safe.
class SessionGroup {
 public:
  //! A new session on `engine`, owned by the group; fails once the group has been interrupted.
  Result<Session*> Connect(Engine& engine);
  //! Interrupts every session's running statement; later Connect calls fail.
  void Interrupt();
  bool interrupted() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Session>> sessions_;
  bool interrupted_ = false;
};

}  // namespace xacct::sql
