#include "services/athena/athena_provider.h"

#include "services/athena/athena_ops.h"

namespace xacct::services {

const HandlerTable& AthenaHandlers() {
  namespace a = athena;
  static const HandlerTable table{
      {"CreateWorkGroup", &a::CreateWorkGroup},
      {"GetWorkGroup", &a::GetWorkGroup},
      {"ListWorkGroups", &a::ListWorkGroups},
      {"UpdateWorkGroup", &a::UpdateWorkGroup},
      {"DeleteWorkGroup", &a::DeleteWorkGroup},
      {"CreateDataCatalog", &a::CreateDataCatalog},
      {"GetDataCatalog", &a::GetDataCatalog},
      {"ListDataCatalogs", &a::ListDataCatalogs},
      {"UpdateDataCatalog", &a::UpdateDataCatalog},
      {"DeleteDataCatalog", &a::DeleteDataCatalog},
      {"CreateNamedQuery", &a::CreateNamedQuery},
      {"GetNamedQuery", &a::GetNamedQuery},
      {"ListNamedQueries", &a::ListNamedQueries},
      {"BatchGetNamedQuery", &a::BatchGetNamedQuery},
      {"UpdateNamedQuery", &a::UpdateNamedQuery},
      {"DeleteNamedQuery", &a::DeleteNamedQuery},
      {"CreatePreparedStatement", &a::CreatePreparedStatement},
      {"GetPreparedStatement", &a::GetPreparedStatement},
      {"ListPreparedStatements", &a::ListPreparedStatements},
      {"BatchGetPreparedStatement", &a::BatchGetPreparedStatement},
      {"UpdatePreparedStatement", &a::UpdatePreparedStatement},
      {"DeletePreparedStatement", &a::DeletePreparedStatement},
      {"TagResource", &a::TagResource},
      {"UntagResource", &a::UntagResource},
      {"ListTagsForResource", &a::ListTagsForResource},
      {"StartQueryExecution", &a::StartQueryExecution},
      {"StopQueryExecution", &a::StopQueryExecution},
      {"GetQueryExecution", &a::GetQueryExecution},
      {"GetQueryResults", &a::GetQueryResults},
      {"ListQueryExecutions", &a::ListQueryExecutions},
      {"BatchGetQueryExecution", &a::BatchGetQueryExecution},
  };
  return table;
}

}  // namespace xacct::services
