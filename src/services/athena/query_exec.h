// What a running Athena query works with, and the statement runners that share it. A query runs as its
// caller, after StartQueryExecution has answered (on the background pool): QueryEnv holds copies of who the
// caller is and references to the services the statement reaches. Every Glue and S3 call a statement makes
// goes through the internal clients as the caller, with aws:CalledVia = athena.amazonaws.com.
//
// Files: athena_run.cpp runs a statement (SELECT, INSERT, CTAS, UNLOAD, EXPLAIN); athena_ddl.cpp the
// statements that are catalog changes or catalog reads (CREATE/DROP/ALTER/MSCK/SHOW/DESCRIBE).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/service.h"
#include "sql/engine.h"
#include "sql/statement.h"

namespace xacct::services::athena {

struct QueryEnv {
  identity::Principal caller;
  authz::RequestInfo request;  //!< the StartQueryExecution request (Athena's own checks)
  authz::RequestInfo via;      //!< the same with aws:CalledVia = athena.amazonaws.com (Glue and S3 checks)
  authz::Authorizer& authz;
  identity::IdentityStore& identities;
  Backends backends;
  std::shared_ptr<sql::Engine> engine;
  std::string query_id;
  std::string workgroup;
  std::string context_catalog;   //!< QueryExecutionContext.Catalog, lower-cased; empty: AwsDataCatalog
  std::string context_database;  //!< QueryExecutionContext.Database, lower-cased; empty: "default"
  std::string output_location;   //!< s3://bucket/prefix/ of the query's results (empty: managed or none)
  std::string explanation;       //!< the last authorization decision, in xacct's words
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);

  //! A CallContext for Athena's own checks (athena:GetDataCatalog, prepared statements, ...).
  CallContext Context() { return CallContext{caller, request, authz, identities, {}, backends}; }
  //! StartQueryExecution's ExecutionParameters, one for each `?` of the query (athena_params.cpp).
  std::vector<std::string> execution_parameters;
  //! The sessions the query opened through Connect(): StopQueryExecution interrupts them.
  std::shared_ptr<sql::SessionGroup> sessions = std::make_shared<sql::SessionGroup>();
  //! A session on `engine` that StopQueryExecution can interrupt; statements should run on one of these.
  //! Owned by `sessions` (it lives as long as the query).
  Result<sql::Session*> Connect() { return sessions->Connect(*engine); }
};

//! What a statement produced.
struct Outcome {
  std::string statement_type = "DDL";  //!< DDL, DML or UTILITY
  std::string substatement_type;       //!< e.g. SELECT, INSERT, CREATE_TABLE_AS_SELECT, UNLOAD, CREATE_TABLE
  std::optional<sql::ResultSet> rows;  //!< a result set (SELECT, SHOW, DESCRIBE); none for most DDL
  //! How Athena stores and returns the rows: "csv" (<id>.csv, a header row first: queries) or "txt"
  //! (<id>.txt, tab-separated, no header row: DDL output such as SHOW TABLES).
  std::string result_format = "csv";
  int64_t data_scanned_bytes = 0;
  std::optional<int64_t> update_count;     //!< rows written by INSERT/CTAS/UNLOAD
  std::string data_manifest_location;      //!< INSERT INTO / CTAS: s3:// of the data manifest
  std::vector<std::string> written_files;  //!< s3:// of every file the statement wrote
};

//! Parses and runs one Athena statement as env.caller.
Result<Outcome> RunStatement(QueryEnv& env, const std::string& query);

//! Runs a statement that is a catalog change or a catalog read (CREATE/DROP DATABASE/TABLE, ALTER TABLE,
//! MSCK REPAIR TABLE, SHOW, DESCRIBE); nullopt when `statement` is none of those.
std::optional<Result<Outcome>> RunCatalogStatement(QueryEnv& env, const sql::Statement& statement);

//! Runs PREPARE, EXECUTE (the prepared statement with its USING values, run through RunStatement) and
//! DEALLOCATE PREPARE in env.workgroup; nullopt when `statement` is none of those. (athena_params.cpp)
std::optional<Result<Outcome>> RunPreparedStatementCommand(QueryEnv& env, const sql::Statement& statement);

//! The Glue catalog id a statement's catalog names: AwsDataCatalog (or none) is the caller's own account; a
//! registered GLUE data catalog names its `catalog-id` (the caller needs athena:GetDataCatalog on it); a
//! quoted ARN `glue:arn:aws:glue:REGION:ACCOUNT:catalog` names ACCOUNT (same Region only).
Result<std::string> CatalogIdOf(QueryEnv& env, const std::optional<std::string>& catalog);

//! Runs Glue operation `operation` as the caller (via Athena); env.explanation receives the decision.
Result<json::object> CallGlue(QueryEnv& env, std::string_view operation, const json::object& input);

//! Splits s3://bucket/key into its parts; InvalidRequest-shaped error for anything else.
struct S3Location {
  std::string bucket;
  std::string key;  //!< may be empty
};
Result<S3Location> ParseS3Location(std::string_view uri);

//! Replaces the query's `?` placeholders (outside string literals, quoted identifiers and comments) with
//! `parameters`, each inserted as written, as Athena's ExecutionParameters and EXECUTE ... USING do. Fails
//! as Athena does when the counts differ. (athena_params.cpp)
Result<std::string> BindParameters(std::string_view query, const std::vector<std::string>& parameters);

}  // namespace xacct::services::athena
