// One item write, planned from a request (validated, expressions parsed) and then applied inside a store
// transaction: shared by PutItem/UpdateItem/DeleteItem (items.cpp), BatchWriteItem (batch.cpp) and
// TransactWriteItems (transact.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

enum class WriteKind { kPut, kUpdate, kDelete, kCheck };

struct WritePlan {
  WriteKind kind = WriteKind::kPut;
  Item item;  //!< kPut: the item, normalized
  Item key;   //!< the key, normalized
  std::string id;
  std::optional<Update> update;
  std::vector<std::string> touched;  //!< the update's top-level attributes
  std::optional<Condition> condition;
  bool old_on_failure = false;  //!< ReturnValuesOnConditionCheckFailure ALL_OLD
};

struct WriteOutcome {
  bool failed = false;  //!< the condition did not hold; nothing was written
  std::optional<Item> old;
  std::optional<Item> now;
  double units = 0;  //!< write capacity units
};

//! Validates one write's parameters (Item or Key, UpdateExpression, ConditionExpression and their
//! ExpressionAttributeNames/Values in `ex`, which must outlive the plan) against the table.
Result<WritePlan> PlanWrite(const json::object& in, const Table& table, WriteKind kind, Expressions& ex);
//! Reads the item, evaluates the condition and, when it holds, writes.
Result<WriteOutcome> ApplyWrite(store::Transaction& tx, const Table& table, const WritePlan& plan);

}  // namespace xacct::services::dynamodb
