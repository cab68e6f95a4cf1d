// What the Glue Data Catalog operations share: the catalog a request names (CatalogId, default the
// caller's account), the ARNs of its resources (AWS Glue Developer Guide, "Specifying AWS Glue resource
// ARNs"), authorization on them, Glue's error codes, the documents in the store and pagination.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/service.h"
#include "store/database.h"

namespace xacct::services::glue {

//! Store kinds, in the scope (catalog account, region). Names inside ids are escaped by IdPart.
inline constexpr std::string_view kDatabaseKind = "glue-database";       //!< id: database
inline constexpr std::string_view kTableKind = "glue-table";             //!< id: database/table
inline constexpr std::string_view kTableVersionKind = "glue-table-ver";  //!< id: database/table/%010d version
inline constexpr std::string_view kPartitionKind = "glue-partition";     //!< id: database/table/values
inline constexpr std::string_view kPolicyKind = "glue-catalog-policy";   //!< id: "catalog"
inline constexpr std::string_view kPolicyId = "catalog";

//! The Data Catalog a request works on.
struct Catalog {
  std::string account;
  std::string region;
  store::Scope scope() const { return store::Scope{account, region}; }
  std::string Arn() const { return "arn:aws:glue:" + region + ":" + account + ":catalog"; }
  std::string DatabaseArn(std::string_view db) const;
  std::string TableArn(std::string_view db, std::string_view table) const;
};

//! The catalog named by the input's CatalogId (the caller's account when absent), in the request's region.
Catalog CatalogOf(const CallContext& ctx, const json::object& in);

//! Glue lower-cases database and table names (AWS Glue Developer Guide, "Names in the Data Catalog").
std::string Lower(std::string_view name);
//! A name as part of a store id: '%' and '/' escaped so that ids split and prefix cleanly.
std::string IdPart(std::string_view name);
std::string TableId(std::string_view db, std::string_view table);

//! Authorizes the caller for `operation` on the catalog, and on the database and table when the
//! operation names them (the table of operations in glue_common.cpp). The owner's catalog resource policy
//! takes part in every check; across accounts it must allow as well as the caller's identity policies.
Status Authorize(CallContext& ctx, const Catalog& catalog, std::string_view operation, std::string_view db = {},
                 std::string_view table = {});
//! Whether one listed item may be shown (GetDatabases, GetTables return only what the caller may get).
bool MayList(CallContext& ctx, const Catalog& catalog, std::string_view action, const std::string& arn);

//! The catalog's resource policy text, if one is set.
Result<std::optional<json::object>> LoadPolicy(CallContext& ctx, const Catalog& catalog);

//! Glue's errors (AWS Glue API Reference, "Common exceptions").
AwsError InvalidInput(const std::string& message);
AwsError EntityNotFound(const std::string& message);
AwsError AlreadyExists(const std::string& message);

//! A document of the catalog, parsed; nullopt when absent.
Result<std::optional<json::object>> Load(CallContext& ctx, const Catalog& catalog, std::string_view kind,
                                         std::string_view id);
Result<std::vector<json::object>> LoadAll(CallContext& ctx, const Catalog& catalog, std::string_view kind,
                                          std::string_view id_prefix, std::vector<std::string>* ids = nullptr);

//! The database (EntityNotFoundException "Database x not found." when absent).
Result<json::object> RequireDatabase(CallContext& ctx, const Catalog& catalog, const std::string& db);
//! The table, its database first (EntityNotFoundException for either).
Result<json::object> RequireTable(CallContext& ctx, const Catalog& catalog, const std::string& db,
                                  const std::string& table);

//! A page of `total` sorted items: NextToken is the opaque position of the next item.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;  //!< empty on the last page
};
Result<Page> Paginate(const json::object& in, size_t total, size_t default_size);

//! Copies `key` from `from` to `to` when present.
void CopyIf(const json::object& from, json::object& to, std::string_view key);
//! The caller's time as epoch seconds (timestamps go out as numbers).
double Now(const CallContext& ctx);

// The operations, by resource (glue_databases.cpp, glue_tables.cpp, glue_partitions.cpp, glue_policy.cpp).
Result<json::object> CreateDatabase(CallContext& ctx, const json::object& in);
Result<json::object> GetDatabase(CallContext& ctx, const json::object& in);
Result<json::object> GetDatabases(CallContext& ctx, const json::object& in);
Result<json::object> UpdateDatabase(CallContext& ctx, const json::object& in);
Result<json::object> DeleteDatabase(CallContext& ctx, const json::object& in);

Result<json::object> CreateTable(CallContext& ctx, const json::object& in);
Result<json::object> GetTable(CallContext& ctx, const json::object& in);
Result<json::object> GetTables(CallContext& ctx, const json::object& in);
Result<json::object> UpdateTable(CallContext& ctx, const json::object& in);
Result<json::object> DeleteTable(CallContext& ctx, const json::object& in);
Result<json::object> BatchDeleteTable(CallContext& ctx, const json::object& in);
Result<json::object> GetTableVersions(CallContext& ctx, const json::object& in);
Result<json::object> GetTableVersion(CallContext& ctx, const json::object& in);

Result<json::object> CreatePartition(CallContext& ctx, const json::object& in);
Result<json::object> BatchCreatePartition(CallContext& ctx, const json::object& in);
Result<json::object> GetPartition(CallContext& ctx, const json::object& in);
Result<json::object> GetPartitions(CallContext& ctx, const json::object& in);
Result<json::object> BatchGetPartition(CallContext& ctx, const json::object& in);
Result<json::object> UpdatePartition(CallContext& ctx, const json::object& in);
Result<json::object> DeletePartition(CallContext& ctx, const json::object& in);
Result<json::object> BatchDeletePartition(CallContext& ctx, const json::object& in);

Result<json::object> PutResourcePolicy(CallContext& ctx, const json::object& in);
Result<json::object> GetResourcePolicy(CallContext& ctx, const json::object& in);
Result<json::object> DeleteResourcePolicy(CallContext& ctx, const json::object& in);
Result<json::object> GetResourcePolicies(CallContext& ctx, const json::object& in);

//! Removes every table (with its versions and partitions) of `db`, or one table when `table` is given.
Status DeleteTableData(store::Transaction& tx, const Catalog& catalog, const std::string& db, const std::string* table);

}  // namespace xacct::services::glue
