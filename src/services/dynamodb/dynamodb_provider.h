// Amazon DynamoDB (json 1.0, target prefix DynamoDB_20120810), per the Amazon DynamoDB API Reference:
// tables (with secondary indexes, tags, time to live and resource-based policies), items with condition,
// update and projection expressions, Query, Scan, batches and transactions, every call authorized on the
// table (or index) ARN with the table's resource policy. docs/dynamodb.md says what is served and how it
// differs from AWS.
#pragma once

#include "services/service.h"

namespace xacct::services {

const HandlerTable& DynamoDbHandlers();

}  // namespace xacct::services
