#include "sql/duckdb_library.h"

#include <dlfcn.h>

#include <filesystem>

namespace xacct::sql {

namespace {

template <typename F>
bool Resolve(void* handle, const char* name, F* out) {
  *out = reinterpret_cast<F>(dlsym(handle, name));
  return *out != nullptr;
}

}  // namespace

Result<std::shared_ptr<DuckDbLibrary>> DuckDbLibrary::Load() {
  // Next to the binary first: under a sanitizer dlopen is intercepted and the caller's RUNPATH
  // ($ORIGIN) is not consulted. RTLD_LOCAL keeps DuckDB's symbols out of the global namespace.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  void* handle = nullptr;
  if (!ec) handle = dlopen((exe.parent_path() / "libduckdb.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) handle = dlopen("libduckdb.so", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return AwsError::Server("InternalFailure", std::string("cannot load libduckdb.so: ") + dlerror());
  }
  auto lib = std::make_shared<DuckDbLibrary>();
  DuckDbApi& a = lib->api_;
  const bool ok =
      Resolve(handle, "duckdb_open", &a.open) && Resolve(handle, "duckdb_close", &a.close) &&
      Resolve(handle, "duckdb_connect", &a.connect) && Resolve(handle, "duckdb_disconnect", &a.disconnect) &&
      Resolve(handle, "duckdb_query", &a.query) && Resolve(handle, "duckdb_destroy_result", &a.destroy_result) &&
      Resolve(handle, "duckdb_column_count", &a.column_count) && Resolve(handle, "duckdb_row_count", &a.row_count) &&
      Resolve(handle, "duckdb_result_error", &a.result_error) &&
      Resolve(handle, "duckdb_value_varchar", &a.value_varchar) && Resolve(handle, "duckdb_free", &a.free) &&
      Resolve(handle, "duckdb_library_version", &a.library_version) &&
      Resolve(handle, "duckdb_column_name", &a.column_name) && Resolve(handle, "duckdb_column_type", &a.column_type) &&
      Resolve(handle, "duckdb_column_logical_type", &a.column_logical_type) &&
      Resolve(handle, "duckdb_destroy_logical_type", &a.destroy_logical_type) &&
      Resolve(handle, "duckdb_decimal_width", &a.decimal_width) &&
      Resolve(handle, "duckdb_decimal_scale", &a.decimal_scale) &&
      Resolve(handle, "duckdb_value_is_null", &a.value_is_null) && Resolve(handle, "duckdb_open_ext", &a.open_ext) &&
      Resolve(handle, "duckdb_create_config", &a.create_config) &&
      Resolve(handle, "duckdb_set_config", &a.set_config) &&
      Resolve(handle, "duckdb_destroy_config", &a.destroy_config) && Resolve(handle, "duckdb_interrupt", &a.interrupt);
  if (!ok) return AwsError::Server("InternalFailure", "libduckdb.so lacks a C API function xacct needs");
  return lib;
}

Result<TextRows> QueryInMemory(const DuckDbLibrary& library, const std::string& sql) {
  const DuckDbApi& a = library.api();
  duckdb_database db = nullptr;
  if (a.open(nullptr, &db) != DuckDBSuccess) return AwsError::Server("InternalFailure", "cannot open DuckDB");
  duckdb_connection con = nullptr;
  if (a.connect(db, &con) != DuckDBSuccess) {
    a.close(&db);
    return AwsError::Server("InternalFailure", "cannot connect to DuckDB");
  }
  duckdb_result result;
  Result<TextRows> out = TextRows{};
  if (a.query(con, sql.c_str(), &result) != DuckDBSuccess) {
    const char* message = a.result_error(&result);
    out = AwsError::Client("InvalidRequestException", message != nullptr ? message : "query failed");
  } else {
    TextRows rows;
    const idx_t columns = a.column_count(&result);
    const idx_t count = a.row_count(&result);
    for (idx_t row = 0; row < count; ++row) {
      auto& cells = rows.emplace_back();
      for (idx_t col = 0; col < columns; ++col) {
        char* value = a.value_varchar(&result, col, row);
        cells.emplace_back(value != nullptr ? value : "NULL");
        if (value != nullptr) a.free(value);
      }
    }
    out = std::move(rows);
  }
  a.destroy_result(&result);
  a.disconnect(&con);
  a.close(&db);
  return out;
}

}  // namespace xacct::sql
