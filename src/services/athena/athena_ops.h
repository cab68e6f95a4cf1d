// The Athena handlers, one file per resource (athena_workgroups.cpp, athena_catalogs.cpp,
// athena_named_queries.cpp, athena_prepared_statements.cpp, athena_tags.cpp); athena_provider.cpp lists them.
#pragma once

#include "services/service.h"

namespace xacct::services::athena {

Result<json::object> CreateWorkGroup(CallContext& ctx, const json::object& in);
Result<json::object> GetWorkGroup(CallContext& ctx, const json::object& in);
Result<json::object> ListWorkGroups(CallContext& ctx, const json::object& in);
Result<json::object> UpdateWorkGroup(CallContext& ctx, const json::object& in);
Result<json::object> DeleteWorkGroup(CallContext& ctx, const json::object& in);

Result<json::object> CreateDataCatalog(CallContext& ctx, const json::object& in);
Result<json::object> GetDataCatalog(CallContext& ctx, const json::object& in);
Result<json::object> ListDataCatalogs(CallContext& ctx, const json::object& in);
Result<json::object> UpdateDataCatalog(CallContext& ctx, const json::object& in);
Result<json::object> DeleteDataCatalog(CallContext& ctx, const json::object& in);

Result<json::object> CreateNamedQuery(CallContext& ctx, const json::object& in);
Result<json::object> GetNamedQuery(CallContext& ctx, const json::object& in);
Result<json::object> ListNamedQueries(CallContext& ctx, const json::object& in);
Result<json::object> BatchGetNamedQuery(CallContext& ctx, const json::object& in);
Result<json::object> UpdateNamedQuery(CallContext& ctx, const json::object& in);
Result<json::object> DeleteNamedQuery(CallContext& ctx, const json::object& in);

Result<json::object> CreatePreparedStatement(CallContext& ctx, const json::object& in);
Result<json::object> GetPreparedStatement(CallContext& ctx, const json::object& in);
Result<json::object> ListPreparedStatements(CallContext& ctx, const json::object& in);
Result<json::object> BatchGetPreparedStatement(CallContext& ctx, const json::object& in);
Result<json::object> UpdatePreparedStatement(CallContext& ctx, const json::object& in);
Result<json::object> DeletePreparedStatement(CallContext& ctx, const json::object& in);

Result<json::object> TagResource(CallContext& ctx, const json::object& in);
// athena_queries.cpp
Result<json::object> StartQueryExecution(CallContext& ctx, const json::object& in);
Result<json::object> StopQueryExecution(CallContext& ctx, const json::object& in);
Result<json::object> GetQueryExecution(CallContext& ctx, const json::object& in);
Result<json::object> GetQueryResults(CallContext& ctx, const json::object& in);
Result<json::object> ListQueryExecutions(CallContext& ctx, const json::object& in);
Result<json::object> BatchGetQueryExecution(CallContext& ctx, const json::object& in);
Result<json::object> UntagResource(CallContext& ctx, const json::object& in);
Result<json::object> ListTagsForResource(CallContext& ctx, const json::object& in);

}  // namespace xacct::services::athena
