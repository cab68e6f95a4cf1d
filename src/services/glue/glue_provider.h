// AWS Glue Data Catalog (json 1.1), per the AWS Glue API Reference: databases, tables (with versions),
// partitions and the catalog resource policy, each call authorized on the catalog, database and table ARNs.
#pragma once

#include "services/service.h"

namespace xacct::services {

const HandlerTable& GlueHandlers();

}  // namespace xacct::services
