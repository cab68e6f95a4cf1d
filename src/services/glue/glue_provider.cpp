#include "services/glue/glue_provider.h"

#include "services/glue/glue_internal.h"

namespace xacct::services {

const HandlerTable& GlueHandlers() {
  static const HandlerTable table{
      {"CreateDatabase", glue::CreateDatabase},
      {"GetDatabase", glue::GetDatabase},
      {"GetDatabases", glue::GetDatabases},
      {"UpdateDatabase", glue::UpdateDatabase},
      {"DeleteDatabase", glue::DeleteDatabase},
      {"CreateTable", glue::CreateTable},
      {"GetTable", glue::GetTable},
      {"GetTables", glue::GetTables},
      {"UpdateTable", glue::UpdateTable},
      {"DeleteTable", glue::DeleteTable},
      {"BatchDeleteTable", glue::BatchDeleteTable},
      {"GetTableVersions", glue::GetTableVersions},
      {"GetTableVersion", glue::GetTableVersion},
      {"CreatePartition", glue::CreatePartition},
      {"BatchCreatePartition", glue::BatchCreatePartition},
      {"GetPartition", glue::GetPartition},
      {"GetPartitions", glue::GetPartitions},
      {"BatchGetPartition", glue::BatchGetPartition},
      {"UpdatePartition", glue::UpdatePartition},
      {"DeletePartition", glue::DeletePartition},
      {"BatchDeletePartition", glue::BatchDeletePartition},
      {"PutResourcePolicy", glue::PutResourcePolicy},
      {"GetResourcePolicy", glue::GetResourcePolicy},
      {"DeleteResourcePolicy", glue::DeleteResourcePolicy},
      {"GetResourcePolicies", glue::GetResourcePolicies},
  };
  return table;
}

}  // namespace xacct::services
