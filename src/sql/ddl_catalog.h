// What Athena stores in the Glue Data Catalog for its DDL: the DatabaseInput of CREATE DATABASE and the
// TableInput of CREATE EXTERNAL TABLE (AWS Glue API Reference, "DatabaseInput", "TableInput",
// "StorageDescriptor", "SerDeInfo"; Athena User Guide, "CREATE TABLE" and "Supported SerDes and data
// formats" for the Hive input/output formats and SerDe classes each STORED AS and ROW FORMAT names).
// Pure: the caller sends the result through the Glue client as the query's caller.
#pragma once

#include "common/json.h"
#include "common/result.h"
#include "sql/statement.h"

namespace xacct::sql {

//! CREATE DATABASE → Glue DatabaseInput {Name, Description, LocationUri, Parameters}.
json::object DatabaseInputOf(const CreateDatabase& statement);

//! CREATE EXTERNAL TABLE → Glue TableInput (TableType EXTERNAL_TABLE, Parameters with EXTERNAL=TRUE and the
//! TBLPROPERTIES, StorageDescriptor with columns, location, formats and SerDe, PartitionKeys).
Result<json::object> TableInputOf(const CreateExternalTable& statement);

}  // namespace xacct::sql
