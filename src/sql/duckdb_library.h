// DuckDB's C API (duckdb.h, 1.4.4), loaded with dlopen on first use: linking libduckdb.so would cost
// every process ~10 ms and ~13 MB at start-up (DESIGN.md), and most never run a query. The library
// sits next to the xacct binary and is found through its RUNPATH ($ORIGIN).
#pragma once

#include <duckdb.h>

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace xacct::sql {

//! The resolved C API functions xacct uses.
struct DuckDbApi {
  decltype(&::duckdb_open) open = nullptr;
  decltype(&::duckdb_close) close = nullptr;
  decltype(&::duckdb_connect) connect = nullptr;
  decltype(&::duckdb_disconnect) disconnect = nullptr;
  decltype(&::duckdb_query) query = nullptr;
  decltype(&::duckdb_destroy_result) destroy_result = nullptr;
  decltype(&::duckdb_column_count) column_count = nullptr;
  decltype(&::duckdb_row_count) row_count = nullptr;
  decltype(&::duckdb_result_error) result_error = nullptr;
  decltype(&::duckdb_value_varchar) value_varchar = nullptr;
  decltype(&::duckdb_free) free = nullptr;
  decltype(&::duckdb_library_version) library_version = nullptr;
  decltype(&::duckdb_column_name) column_name = nullptr;
  decltype(&::duckdb_column_type) column_type = nullptr;
  decltype(&::duckdb_column_logical_type) column_logical_type = nullptr;
  decltype(&::duckdb_destroy_logical_type) destroy_logical_type = nullptr;
  decltype(&::duckdb_decimal_width) decimal_width = nullptr;
  decltype(&::duckdb_decimal_scale) decimal_scale = nullptr;
  decltype(&::duckdb_value_is_null) value_is_null = nullptr;
  decltype(&::duckdb_open_ext) open_ext = nullptr;
  decltype(&::duckdb_create_config) create_config = nullptr;
  decltype(&::duckdb_set_config) set_config = nullptr;
  decltype(&::duckdb_destroy_config) destroy_config = nullptr;
  decltype(&::duckdb_interrupt) interrupt = nullptr;  //!< stops a connection's running statement
};

//! A loaded libduckdb. Load() once and share it; the handle stays open for the process's life.
class DuckDbLibrary {
 public:
  static Result<std::shared_ptr<DuckDbLibrary>> Load();
  const DuckDbApi& api() const { return api_; }
  std::string Version() const { return api_.library_version(); }

 private:
  DuckDbApi api_;
};

//! Rows of text, as a query's result reads when every value is converted to VARCHAR (NULL -> "NULL").
using TextRows = std::vector<std::vector<std::string>>;

//! Runs `sql` on a fresh in-memory database: the smoke test and `xacct duckdb` use it.
Result<TextRows> QueryInMemory(const DuckDbLibrary& library, const std::string& sql);

}  // namespace xacct::sql
