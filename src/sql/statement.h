// Athena's statements, parsed by xacct itself: DuckDB's json_serialize_sql only understands SELECT, and
// Athena's DDL is Hive's. The grammar followed is Athena's SQL reference
// (https://docs.aws.amazon.com/athena/latest/ug/ddl-reference.html and the pages it links: CREATE DATABASE,
// CREATE TABLE, CREATE TABLE AS, INSERT INTO, UNLOAD, ALTER TABLE ADD/DROP PARTITION, ALTER TABLE SET
// LOCATION, ALTER TABLE SET TBLPROPERTIES, MSCK REPAIR TABLE, SHOW ..., DESCRIBE, DROP ..., EXPLAIN,
// PREPARE/EXECUTE/DEALLOCATE PREPARE). Queries (SELECT, WITH, VALUES, TABLE, "(") pass through verbatim.
//
// Errors come in Athena's two families, chosen by the statement's leading keywords the way Athena routes them:
//  - Hive DDL (CREATE [EXTERNAL] TABLE with columns, CREATE/DROP DATABASE, DROP TABLE, ALTER TABLE, MSCK,
//    SHOW, DESCRIBE): AwsError{code "ParseError", message "FAILED: ParseException line L:C cannot recognize
//    input near 'a' 'b' 'c' in <rule>"} (also "mismatched input 'x' expecting Y near 'p' in <rule>" and
//    "missing EOF at 'x' near 'p'"), L 1-based and C 0-based as Hive counts. Athena accepts such a query and
//    it ends FAILED with this text as its StateChangeReason, so the code is not a wire error code.
//  - Trino (everything else): AwsError{code "InvalidRequestException", message "line L:C: mismatched input
//    'x'. Expecting: 'A', 'B', <identifier>"}, C 1-based: StartQueryExecution rejects these synchronously.
// AwsError::detail names the family: "hive", "trino", or "unsupported" for statements Athena has but xacct
// does not take apart (CREATE VIEW, DELETE, ALTER TABLE ADD COLUMNS, ...), which answer Athena's "Queries of
// this type are not supported" with code InvalidRequestException.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::sql {

//! Key/value pairs in the order written (TBLPROPERTIES, SERDEPROPERTIES, DBPROPERTIES, partition specs).
using Properties = std::vector<std::pair<std::string, std::string>>;

//! [catalog.][database.]table, lower-cased; a quoted catalog may be an ARN
//! (`glue:arn:aws:glue:REGION:ACCOUNT:catalog`).
struct QualifiedName {
  std::optional<std::string> catalog;
  std::optional<std::string> database;
  std::string table;
  json::object ToJson() const;
};

//! A column: name, normalized Hive type text (e.g. "decimal(10,2)", "array<struct<a:int,b:string>>").
struct ColumnDef {
  std::string name;
  std::string type;
  std::optional<std::string> comment;
  json::object ToJson() const;
};

//! ROW FORMAT DELIMITED ...
struct RowFormatDelimited {
  std::optional<std::string> fields_terminated;
  std::optional<std::string> escaped_by;
  std::optional<std::string> collection_items_terminated;
  std::optional<std::string> map_keys_terminated;
  std::optional<std::string> lines_terminated;
  std::optional<std::string> null_defined_as;
  json::object ToJson() const;
};

//! ROW FORMAT SERDE 'class' [WITH SERDEPROPERTIES (...)]
struct RowFormatSerde {
  std::string serde_class;
  Properties properties;
  json::object ToJson() const;
};

using RowFormat = std::variant<RowFormatDelimited, RowFormatSerde>;

//! CREATE {DATABASE|SCHEMA} [IF NOT EXISTS] name [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (...)]
struct CreateDatabase {
  std::string name;
  bool if_not_exists = false;
  std::optional<std::string> comment;
  std::optional<std::string> location;
  Properties properties;
  json::object ToJson() const;
};

//! CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name (columns) ... (Hive DDL, not CTAS).
struct CreateExternalTable {
  QualifiedName name;
  bool if_not_exists = false;
  bool external = false;
  std::vector<ColumnDef> columns;
  std::optional<std::string> comment;
  std::vector<ColumnDef> partitioned_by;
  std::vector<std::string> clustered_by;  //!< CLUSTERED BY (c, ...) INTO num_buckets BUCKETS
  std::optional<int> num_buckets;
  std::optional<RowFormat> row_format;
  std::optional<std::string> stored_as;  //!< upper-case: TEXTFILE, PARQUET, ORC, ...
  std::optional<std::string> input_format;
  std::optional<std::string> output_format;
  std::optional<std::string> location;
  Properties tblproperties;
  json::object ToJson() const;
};

//! DROP TABLE [IF EXISTS] name
struct DropTable {
  QualifiedName name;
  bool if_exists = false;
  json::object ToJson() const;
};

//! DROP {DATABASE|SCHEMA} [IF EXISTS] name [RESTRICT|CASCADE]
struct DropDatabase {
  std::string name;
  bool if_exists = false;
  bool cascade = false;
  json::object ToJson() const;
};

//! PARTITION (k = v, ...) [LOCATION l]; values as written (string literals unquoted).
struct PartitionSpec {
  Properties spec;
  std::optional<std::string> location;
  json::object ToJson() const;
};

//! ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (...) [LOCATION l] [PARTITION ...]
struct AlterTableAddPartition {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<PartitionSpec> partitions;
  json::object ToJson() const;
};

//! ALTER TABLE t DROP [IF EXISTS] PARTITION (...) [, PARTITION (...)]
struct AlterTableDropPartition {
  QualifiedName table;
  bool if_exists = false;
  std::vector<PartitionSpec> partitions;
  json::object ToJson() const;
};

//! ALTER TABLE t [PARTITION (...)] SET LOCATION l
struct AlterTableSetLocation {
  QualifiedName table;
  std::optional<Properties> partition;
  std::string location;
  json::object ToJson() const;
};

//! ALTER TABLE t SET TBLPROPERTIES (...)
struct AlterTableSetTblProperties {
  QualifiedName table;
  Properties properties;
  json::object ToJson() const;
};

//! MSCK REPAIR TABLE t
struct MsckRepairTable {
  QualifiedName table;
  json::object ToJson() const;
};

enum class ShowKind { kDatabases, kTables, kColumns, kPartitions, kCreateTable, kTblProperties };

//! SHOW {DATABASES|SCHEMAS} [LIKE p] | TABLES [IN db] [p] | COLUMNS {FROM|IN} t [{FROM|IN} db] |
//! PARTITIONS t | CREATE TABLE t | TBLPROPERTIES t [('key')]
struct Show {
  ShowKind kind = ShowKind::kDatabases;
  std::optional<std::string> database;  //!< TABLES IN db
  std::optional<QualifiedName> table;   //!< COLUMNS, PARTITIONS, CREATE TABLE, TBLPROPERTIES
  std::optional<std::string> pattern;   //!< DATABASES LIKE / TABLES regex
  std::optional<std::string> property;  //!< TBLPROPERTIES t ('key')
  json::object ToJson() const;
};

//! DESCRIBE [EXTENDED|FORMATTED] t [PARTITION (...)] [column]
struct Describe {
  QualifiedName table;
  bool formatted = false;
  bool extended = false;
  std::optional<Properties> partition;
  std::optional<std::string> column;
  json::object ToJson() const;
};

//! INSERT INTO t [(columns)] query
struct InsertInto {
  QualifiedName table;
  std::vector<std::string> columns;
  std::string query_sql;  //!< the SELECT/VALUES/WITH text, verbatim
  json::object ToJson() const;
};

//! A value in a Trino WITH (...) property list: a string, a number, a boolean or ARRAY['a', ...].
struct WithProperty {
  enum class Kind { kString, kNumber, kBoolean, kArray };
  std::string name;  //!< lower-case
  Kind kind = Kind::kString;
  std::string value;                //!< kString (unquoted), kNumber (as written), kBoolean ("true"/"false")
  std::vector<std::string> values;  //!< kArray elements (unquoted)
  json::value ValueJson() const;
};

//! CREATE TABLE [IF NOT EXISTS] t [WITH (...)] AS query [WITH [NO] DATA]
struct CreateTableAs {
  QualifiedName name;
  bool if_not_exists = false;
  std::vector<WithProperty> with_properties;
  std::string query_sql;
  bool with_data = true;
  json::object ToJson() const;
};

//! UNLOAD (query) TO 's3://...' WITH (...)
struct Unload {
  std::string query_sql;
  std::string location;
  std::vector<WithProperty> with_properties;
  json::object ToJson() const;
};

//! EXPLAIN [ANALYZE [VERBOSE]] [(TYPE t, FORMAT f)] statement
struct Explain {
  bool analyze = false;
  bool verbose = false;
  std::optional<std::string> type;    //!< LOGICAL, DISTRIBUTED, VALIDATE, IO
  std::optional<std::string> format;  //!< TEXT, GRAPHVIZ, JSON
  std::string statement_sql;
  json::object ToJson() const;
};

//! PREPARE name FROM statement
struct Prepare {
  std::string name;
  std::string sql;
  json::object ToJson() const;
};

//! EXECUTE name [USING expr, ...]; each parameter expression verbatim.
struct Execute {
  std::string name;
  std::vector<std::string> parameters;
  json::object ToJson() const;
};

//! DEALLOCATE PREPARE name
struct Deallocate {
  std::string name;
  json::object ToJson() const;
};

//! A query (SELECT, WITH, VALUES, TABLE, or parenthesized), verbatim without the trailing ';'.
struct Select {
  std::string sql;
  json::object ToJson() const;
};

using Statement =
    std::variant<CreateDatabase, CreateExternalTable, DropTable, DropDatabase, AlterTableAddPartition,
                 AlterTableDropPartition, AlterTableSetLocation, AlterTableSetTblProperties, MsckRepairTable, Show,
                 Describe, InsertInto, CreateTableAs, Unload, Explain, Prepare, Execute, Deallocate, Select>;

//! Parses one Athena statement (a trailing ';' is allowed, a second statement is not).
Result<Statement> ParseStatement(std::string_view sql);

//! The statement as one JSON object, {"kind": "<struct name>", ...fields}.
json::object StatementToJson(const Statement& statement);

//! StatementToJson serialized on one line: the canonical dump of tests/sql/parser/*.test.
std::string StatementJsonLine(const Statement& statement);

}  // namespace xacct::sql
