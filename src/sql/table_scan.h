// How a Glue table's files are read and written on DuckDB, with the rules of the table's SerDe (Amazon Athena
// User Guide, "Supported SerDes and data formats"): the SELECT a query's table reference becomes, and the
// COPY options a write uses. Pure: the caller lists the files (through S3, authorized) and runs the SQL.
//
// Reading follows Hive, as Athena does: LazySimpleSerDe splits on `field.delim` with no quoting, `\N` (or
// `serialization.null.format`) is NULL, a value that does not parse as its column's type is NULL, missing
// trailing fields are NULL and extra ones ignored; OpenCSVSerde honours `separatorChar`/`quoteChar`/
// `escapeChar`; `skip.header.line.count` skips lines at the top of every file; `.gz` files are gunzipped.
// Parquet columns are matched by name, JSON keys by name. Partition values are constant columns.
// ORC, Avro, Ion, SequenceFile and RCFile tables are refused with HIVE_UNSUPPORTED_FORMAT.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::sql {

//! One file of a table, as DuckDB reads it (`path`), with the S3 key it was listed under (its extension
//! tells the compression).
struct ScanFile {
  std::string path;
  std::string key;
  uint64_t size = 0;
};

//! A partition's values (PartitionKeys order; empty for an unpartitioned table) and its files.
struct ScanPartition {
  std::vector<std::string> values;
  std::vector<ScanFile> files;
};

//! DuckDB's type for a Hive type ("int", "decimal(10,2)", "array<struct<a:int>>", ...).
Result<std::string> DuckDbType(std::string_view hive_type);

//! The data format of a Glue table's StorageDescriptor.
enum class TableFormat { kText, kOpenCsv, kJson, kParquet };
Result<TableFormat> FormatOf(const json::object& table);

//! The SELECT reading `partitions` of Glue table `table` (GetTable's Table) with its columns, then its
//! partition keys, named and typed as the table declares them.
//! With `typed`, delimited text whose columns all have scalar types is read by DuckDB's typed CSV reader (no
//! VARCHAR + TRY_CAST): faster, but a value that does not parse fails the query instead of becoming NULL, so
//! the caller runs it again with the Hive-faithful scan when that happens (IsTypedScanFailure).
Result<std::string> ScanSql(const json::object& table, const std::vector<ScanPartition>& partitions,
                            bool typed = false);

//! True for the error a typed scan gives on a value its column's type does not parse.
bool IsTypedScanFailure(std::string_view message);

//! The (name, DuckDB type) of every column then every partition key.
Result<std::vector<std::pair<std::string, std::string>>> TableColumns(const json::object& table);

//! COPY options writing a table's format (TEXTFILE: its delimiter, `\N` for NULL, no quoting, no header;
//! PARQUET; JSON), compressed with `compression` ("gzip", "snappy", "zstd", "none", ...), e.g.
//! "FORMAT csv, DELIMITER ',', ...". The file name extension Athena gives such files (".gz", "" ...) goes
//! to `extension`.
struct WriteFormat {
  TableFormat format = TableFormat::kText;
  std::string delimiter = "\x01";
  std::string compression = "gzip";
};
Result<WriteFormat> WriteFormatOf(const json::object& table);
std::string CopyOptions(const WriteFormat& format, std::string* extension);

}  // namespace xacct::sql
