// Athena's stored state and the lookups the query-execution operations share (Amazon Athena API Reference:
// WorkGroup, DataCatalog, NamedQuery, PreparedStatement). Everything lives in the caller's (account, region)
// scope. The `primary` workgroup exists in every account and region without being created (it is stored
// only once it has been updated); the `AwsDataCatalog` catalog is the account's own Glue Data Catalog and is
// never stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/ids.h"
#include "services/service.h"
#include "store/database.h"

namespace xacct::services::athena {

inline constexpr std::string_view kWorkGroupKind = "athena-workgroup";         //!< id: the name
inline constexpr std::string_view kDataCatalogKind = "athena-datacatalog";     //!< id: the name
inline constexpr std::string_view kNamedQueryKind = "athena-named-query";      //!< id: the UUID
inline constexpr std::string_view kPreparedStatementKind = "athena-prepared";  //!< id: "workgroup/name"
inline constexpr std::string_view kPrimaryWorkGroup = "primary";
inline constexpr std::string_view kDefaultCatalog = "AwsDataCatalog";
//! What SelectedEngineVersion AUTO resolves to.
inline constexpr std::string_view kEffectiveEngineVersion = "Athena engine version 3";

//! The caller's scope: its account and the request's region.
store::Scope ScopeOf(const CallContext& ctx);

std::string WorkGroupArn(const CallContext& ctx, std::string_view name);
std::string DataCatalogArn(const CallContext& ctx, std::string_view name);

//! InvalidRequestException with its AthenaErrorCode (INVALID_INPUT unless said otherwise).
AwsError InvalidRequest(std::string message, std::string_view athena_code = "INVALID_INPUT");
AwsError ResourceNotFound(std::string message);
//! "WorkGroup NAME is not found." as InvalidRequestException (GetWorkGroup, StartQueryExecution, ...).
AwsError WorkGroupNotFound(std::string_view name);

//! Authorizes athena:<operation> as the caller on the resource the Service Authorization Reference names
//! for it (see kActionResources in athena_store.cpp): the workgroup or data catalog `name`, or "*".
//! aws:ResourceTag/* come from `tags`, aws:RequestTag/* and aws:TagKeys from `request_tags` (TagLists).
Status AuthorizeAthena(CallContext& ctx, std::string_view operation, std::string_view name,
                       const json::array* tags = nullptr, const json::array* request_tags = nullptr);

//! The workgroup as GetWorkGroup returns it plus its "Tags"; `primary` when never stored is its default.
//! Fails with WorkGroupNotFound. Does not authorize.
Result<json::object> LoadWorkGroup(CallContext& ctx, std::string_view name);
Result<std::optional<json::object>> FindWorkGroup(store::Database& db, const store::Scope& scope,
                                                  std::string_view name);
Status SaveWorkGroup(CallContext& ctx, const json::object& workgroup);

//! A registered data catalog (Name, Type, Description, Parameters, Tags). `AwsDataCatalog` answers as the
//! account's own Glue catalog: Type GLUE, Parameters {"catalog-id": account}. nullopt when unknown.
Result<std::optional<json::object>> LoadDataCatalog(store::Database& db, std::string_view account,
                                                    std::string_view region, std::string_view name);

//! The prepared statement as GetPreparedStatement returns it; ResourceNotFoundException when unknown.
Result<json::object> LoadPreparedStatement(store::Database& db, std::string_view account, std::string_view region,
                                           std::string_view workgroup, std::string_view name);

//! The page [begin, end) of `count` sorted items that "NextToken"/"MaxResults" ask for, and the next token
//! (an offset; InvalidRequestException for a token xacct did not issue).
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;
};
Result<Page> Paginate(const json::object& in, size_t count, int64_t default_max, int64_t max_max);

}  // namespace xacct::services::athena
