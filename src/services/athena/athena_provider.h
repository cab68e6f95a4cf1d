// Amazon Athena (json 1.1), per the Amazon Athena API Reference: workgroups, data catalogs, named queries,
// prepared statements; query execution runs the SQL front end in src/sql/.
#pragma once

#include "services/service.h"

namespace xacct::services {

const HandlerTable& AthenaHandlers();

}  // namespace xacct::services
