// What Athena stores in the Glue Data Catalog for its DDL: the DatabaseInput of CREATE DATABASE and the
// TableInput of CREATE EXTERNAL TABLE (AWS Glue API Reference, "DatabaseInput", "TableInput",
// "StorageDescriptor", "SerDeInfo"; Athena User Guide, "CREATE TABLE" and "Supported SerDes and data
// formats" for the Hive input/output formats and SerDe classes each STORED AS and ROW FORMAT names).
// Pure: the caller sends the result through the Glue client as the query's caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "sql/statement.h"

namespace xacct::sql {

//! CREATE DATABASE → Glue DatabaseInput {Name, Description, LocationUri, Parameters}.
json::object DatabaseInputOf(const CreateDatabase& statement);

//! CREATE EXTERNAL TABLE → Glue TableInput (TableType EXTERNAL_TABLE, Parameters with EXTERNAL=TRUE and the
//! TBLPROPERTIES, StorageDescriptor with columns, location, formats and SerDe, PartitionKeys).
Result<json::object> TableInputOf(const CreateExternalTable& statement);

//! What Athena's DDL reads back from a Glue table and writes into new partitions (Hive's conventions as
//! Athena shows them: the Hive DDL text of SHOW CREATE TABLE, DESCRIBE's padded columns, partition paths
//! `k1=v1/k2=v2` with Hive's escaping, partition values normalized to their key's type).

//! The error of a Hive statement as Athena shows it in StateChangeReason: code "SemanticException" for
//! "FAILED: SemanticException ..." and "ValidationFailureSemanticException ...", "DDLTask" for "FAILED:
//! Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. ..."; detail "hive".
AwsError HiveSemanticError(const std::string& message_after_failed);
AwsError HiveDdlTaskError(const std::string& message_after_ddltask);

//! Hive's text of a partition spec as written: {k1=v1, k2=v2}.
std::string SpecText(const Properties& spec);

//! The values a PARTITION (k = v, ...) spec names, in the order of the table's partition keys (Glue
//! PartitionKeys): nullopt for a key the spec leaves out, which `full` forbids. A value is normalized to its
//! key's type as Hive does before it reaches the metastore (integers lose leading zeros and '+', booleans
//! are lower-cased); one that is not of the type is refused. Errors in Hive's words.
Result<std::vector<std::optional<std::string>>> PartitionSpecValues(const Properties& spec,
                                                                    const json::array& partition_keys, bool full);

//! One path segment of a partition directory, escaped as Hive's FileUtils.escapePathName does (control
//! characters, "#%'*/:=?\\{[]^ and DEL become %XX), and its inverse.
std::string EscapeHivePath(std::string_view text);
std::string UnescapeHivePath(std::string_view text);

//! The partition's name and relative directory: k1=v1/k2=v2 (keys and values escaped).
std::string PartitionName(const json::array& partition_keys, const std::vector<std::string>& values);

//! MSCK REPAIR TABLE's reading of an object key relative to the table's location: the partition values when
//! its first directories are k1=v1/k2=v2/ for the partition keys in order (names exactly the keys', values
//! Hive-escaped and not empty, something below them); nullopt for any other key.
std::optional<std::vector<std::string>> PartitionValuesOfPath(std::string_view relative_key,
                                                              const json::array& partition_keys);

//! The location of a partition added without LOCATION: <table location>/k1=v1/k2=v2/.
std::string DefaultPartitionLocation(std::string_view table_location, const std::string& partition_name);

//! The TableInput that recreates `table` (a Glue Table as GetTable returns it) for UpdateTable: the
//! members TableInput has, without Glue's own (CreateTime, VersionId, CatalogId, ...).
json::object TableInputFromTable(const json::object& table);

//! A PartitionInput for a new partition of `table`: its StorageDescriptor copied from the table's with
//! `location`, the values, empty Parameters.
json::object PartitionInputOf(const json::object& table, const std::vector<std::string>& values,
                              const std::string& location);

//! The PartitionInput that recreates `partition` (a Glue Partition) for UpdatePartition.
json::object PartitionInputFromPartition(const json::object& partition);

//! SHOW CREATE TABLE: the Hive DDL Athena prints for a Glue table, one line per element.
std::vector<std::string> ShowCreateTableLines(const json::object& table);

//! Hive's column layout of DESCRIBE and SHOW COLUMNS: each field left-aligned in 20 characters.
std::string HivePad(std::string_view text);

//! DESCRIBE t: rows of three cells (col_name, data_type, comment), each padded as Hive pads them; the
//! partition keys follow the columns and are listed again under "# Partition Information". `column`
//! restricts the rows to that column (nullopt when the table has none).
std::optional<std::vector<std::vector<std::string>>> DescribeRows(const json::object& table,
                                                                  const std::optional<std::string>& column);

//! DESCRIBE FORMATTED t: the column rows, then Hive's "# Detailed Table Information" and "# Storage
//! Information" sections from the Glue table.
std::vector<std::vector<std::string>> DescribeFormattedRows(const json::object& table);

//! Whether `name` matches a SHOW TABLES / SHOW DATABASES LIKE pattern: alternatives separated by '|', '*'
//! for any characters, case-insensitive, the whole name.
bool MatchesShowPattern(std::string_view pattern, std::string_view name);

}  // namespace xacct::sql
