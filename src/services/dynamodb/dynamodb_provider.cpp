#include "services/dynamodb/dynamodb_provider.h"

#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services {

const HandlerTable& DynamoDbHandlers() {
  static const HandlerTable table{
      {"CreateTable", dynamodb::CreateTable},
      {"DescribeTable", dynamodb::DescribeTable},
      {"ListTables", dynamodb::ListTables},
      {"UpdateTable", dynamodb::UpdateTable},
      {"DeleteTable", dynamodb::DeleteTable},
      {"DescribeLimits", dynamodb::DescribeLimits},
      {"DescribeTimeToLive", dynamodb::DescribeTimeToLive},
      {"UpdateTimeToLive", dynamodb::UpdateTimeToLive},
      {"TagResource", dynamodb::TagResource},
      {"UntagResource", dynamodb::UntagResource},
      {"ListTagsOfResource", dynamodb::ListTagsOfResource},
      {"PutResourcePolicy", dynamodb::PutResourcePolicy},
      {"GetResourcePolicy", dynamodb::GetResourcePolicy},
      {"DeleteResourcePolicy", dynamodb::DeleteResourcePolicy},
      {"PutItem", dynamodb::PutItem},
      {"GetItem", dynamodb::GetItem},
      {"UpdateItem", dynamodb::UpdateItem},
      {"DeleteItem", dynamodb::DeleteItem},
      {"Query", dynamodb::Query},
      {"Scan", dynamodb::Scan},
      {"BatchGetItem", dynamodb::BatchGetItem},
      {"BatchWriteItem", dynamodb::BatchWriteItem},
      {"TransactWriteItems", dynamodb::TransactWriteItems},
      {"TransactGetItems", dynamodb::TransactGetItems},
  };
  return table;
}

}  // namespace xacct::services
