// What the DynamoDB operations share (Amazon DynamoDB API Reference; Developer Guide, "Using
// identity-based policies with Amazon DynamoDB", "Using resource-based policies for DynamoDB" and
// "Using IAM policy conditions for fine-grained access control"): the table a request names (a name in
// the caller's account, or a table ARN of any account), the table's stored description and key schema,
// authorization on the table or index ARN with the table's resource policy and DynamoDB's condition
// keys, the items in the store, DynamoDB's errors and consumed capacity.
//
// Storage: a table is the document (scope {account, region}, kTableKind, name) holding its description;
// its resource policy is (scope, kPolicyKind, name). Each item is a document of kind ItemKind(TableId):
// the table's creation id is part of the kind, so a table deleted and created again never sees the old
// items. An item's id is EncodeKeyValue(partition) + EncodeKeyValue(sort): prefix-free and
// order-preserving, so listing by the partition's prefix returns one partition sorted by its sort key.
//
// Binary values: the protocol layer hands handlers the bytes of B and BS values and base64-encodes them on
// the way out; the store and the expression library hold them as base64 text, so handlers convert at
// their edges (InboundValues, OutboundItem).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/dynamodb/expressions.h"
#include "services/service.h"
#include "store/database.h"

namespace xacct::services::dynamodb {

inline constexpr std::string_view kTableKind = "dynamodb-table";    //!< id: table name
inline constexpr std::string_view kPolicyKind = "dynamodb-policy";  //!< id: table name
inline constexpr size_t kMaxItemSize = 400 * 1024;                  //!< "Service, account, and table quotas"
inline constexpr size_t kMaxNestingLevels = 32;                     //!< the same quotas: "Nested attribute depth"

//! One key attribute: its name and scalar type ("S", "N" or "B").
struct KeyAttr {
  std::string name;
  std::string type;
};

//! A key schema: the partition key and, when the table or index has one, the sort key (name empty if not).
struct KeySchema {
  KeyAttr hash;
  KeyAttr range;
};

struct IndexInfo {
  std::string name;
  bool global = false;
  KeySchema key;
  std::string projection;            //!< ALL, KEYS_ONLY or INCLUDE
  std::vector<std::string> non_key;  //!< INCLUDE's NonKeyAttributes
};

//! The table a request names.
struct TableRef {
  std::string name;
  std::string account;
  std::string region;
  store::Scope scope() const { return store::Scope{account, region}; }
  std::string Arn() const { return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name; }
  std::string IndexArn(std::string_view index) const { return Arn() + "/index/" + std::string(index); }
};

//! A table as stored, with its key schema and resource policy.
struct Table {
  TableRef ref;
  json::object doc;  //!< the stored TableDescription (plus xacct's members, see tables.cpp)
  std::string id;    //!< TableId, minted at creation
  KeySchema key;
  std::vector<IndexInfo> indexes;
  std::shared_ptr<const policy::Policy> policy;  //!< the resource policy, or null

  std::string ItemKind() const { return "dynamodb-item/" + id; }
  const IndexInfo* FindIndex(std::string_view name) const;
};

//! TableName (or ResourceArn) as a name in the caller's account and region, or a table ARN.
Result<TableRef> ResolveTable(const CallContext& ctx, std::string_view name_or_arn);
//! The table, or nullopt when there is none; its resource policy compiled.
Result<std::optional<Table>> LoadTable(CallContext& ctx, const TableRef& ref);
//! Parses a stored table document.
Result<Table> TableFromDoc(const TableRef& ref, json::object doc);

//! What one authorization check carries beyond the action (DynamoDB's condition keys).
struct Access {
  std::string action;                     //!< "dynamodb:GetItem"
  std::string index;                      //!< the index a Query or Scan reads, if any: the check is on the index ARN
  std::vector<std::string> leading_keys;  //!< dynamodb:LeadingKeys
  std::optional<std::vector<std::string>> attributes;  //!< dynamodb:Attributes
  std::string select;                                  //!< dynamodb:Select
  std::string return_values;                           //!< dynamodb:ReturnValues
  std::string return_consumed_capacity;                //!< dynamodb:ReturnConsumedCapacity
};

//! Authorizes `access` on the table (or its index) with the table's resource policy.
Status Authorize(CallContext& ctx, const TableRef& ref, const std::shared_ptr<const policy::Policy>& policy,
                 const Access& access);

//! Resolves and loads the table named by `name_or_arn` and authorizes `access` on it. A missing table is
//! authorized without a resource policy first (AWS answers AccessDenied before ResourceNotFound), then
//! refused with `ResourceNotFound(table_message ? "...: Table: NAME not found" : "...")`.
Result<Table> OpenTable(CallContext& ctx, std::string_view name_or_arn, const Access& access,
                        bool table_message = false);
//! The same in two steps, for callers that need the table's key schema to compute the access.
Result<std::optional<Table>> FindTable(CallContext& ctx, std::string_view name_or_arn, TableRef* ref);
Result<Table> RequireAuthorized(CallContext& ctx, const TableRef& ref, std::optional<Table> table, const Access& access,
                                bool table_message = false);

// ---- errors (API Reference, "Common errors" and each operation's Errors) ----
AwsError ResourceNotFound(const std::string& message = "Requested resource not found");
AwsError TableNotFound(const std::string& name);  //!< "Requested resource not found: Table: NAME not found"
AwsError ResourceInUse(const std::string& message);
AwsError ConditionalCheckFailed(const Item* old_item);  //!< with the item when ALL_OLD on failure
AwsError LegacyParameter(std::string_view parameter, std::string_view instead);

// ---- attribute values at the handler's edges ----
//! An item, key or ExpressionAttributeValues map from the input: binary values to base64 text.
Item InboundValues(const json::value* v);
//! An attribute value from the input, binary values to base64 text.
json::value InboundValue(const json::value& v);
//! An item for the output: base64 binary values back to bytes (the protocol layer encodes them).
json::object OutboundItem(const Item& item);

// ---- keys ----
//! Validates a Key parameter against the schema (exactly the key attributes, right types, no empty
//! string or binary) and returns it normalized.
Result<Item> CheckKey(const Item& key, const KeySchema& schema);
//! Validates an item's key attributes for PutItem ("Missing the key id in the item", type mismatch, empty).
Status CheckItemKey(const Item& item, const KeySchema& schema);
//! The store id of the item with these key attributes.
std::string ItemId(const Item& item, const KeySchema& schema);
//! The key attributes of an item.
Item KeyOf(const Item& item, const KeySchema& schema);
//! The condition-key form of a key value (S and N as written, B as base64).
std::string KeyText(const json::value& value);

// ---- items in the store ----
Result<std::optional<Item>> GetItem(CallContext& ctx, const Table& table, const std::string& id);
Result<std::optional<Item>> GetItem(store::Transaction& tx, const Table& table, const std::string& id);
Item ParseItem(const std::string& body);
//! Refuses an item nested deeper than DynamoDB's 32 levels ("Nesting Levels have exceeded supported limits").
Status CheckNesting(const Item& item);

// ---- expressions of one request ----
//! ExpressionAttributeNames/Values of one request, checked (not empty, values valid) and normalized, and
//! the ExpressionInputs the request's expressions parse against. Not movable: `inputs` points at the maps.
struct Expressions {
  json::object names;
  json::object values;
  std::optional<ExpressionInputs> inputs;
  Expressions() = default;
  Expressions(const Expressions&) = delete;
  Expressions& operator=(const Expressions&) = delete;
};
//! Reads them from `in`. `expressions` lists the expression parameters the operation takes, for DynamoDB's
//! "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null".
Status ReadExpressions(const json::object& in, const std::vector<std::string_view>& expressions, Expressions* out);
//! ProjectionExpression or AttributesToGet of `in` (refusing both), or nullopt.
Result<std::optional<Projection>> ReadProjection(const json::object& in, Expressions& ex,
                                                 std::vector<std::string>* top_level_names);
//! ReturnConsumedCapacity and the ConsumedCapacity to answer with, if asked for.
std::optional<json::object> Consumed(const json::object& in, const std::string& table_name, double units);
//! Read units for `bytes` (4 KB each, halved when eventually consistent), write units (1 KB each).
double ReadUnits(size_t bytes, bool consistent);
double WriteUnits(size_t bytes);
//! Refuses the legacy (non-expression) parameters xacct does not serve.
Status RefuseLegacy(const json::object& in);

// ---- tables (tables.cpp, policy.cpp) ----
//! Members of the stored table document that DescribeTable does not show.
inline constexpr const char* kTagsMember = "xacctTags";
inline constexpr const char* kTimeToLiveMember = "xacctTimeToLive";
//! The TableDescription DescribeTable answers with (ItemCount and TableSizeBytes counted now).
json::object Describe(CallContext& ctx, const Table& table);
//! Sets StreamSpecification, LatestStreamLabel and LatestStreamArn of a table description.
void SetStream(json::object& description, const json::object& spec, int64_t now);
//! Checks a resource policy's text as PutResourcePolicy does.
Status CheckPolicyText(std::string_view text);
//! Stores a table's resource policy with a new RevisionId, which it returns.
Result<std::string> PutPolicyRecord(store::Transaction& tx, const TableRef& ref, std::string_view text, int64_t now);

// The operations (tables.cpp, policy.cpp, items.cpp, query_scan.cpp, batch.cpp, transact.cpp).
Result<json::object> CreateTable(CallContext& ctx, const json::object& in);
Result<json::object> DescribeTable(CallContext& ctx, const json::object& in);
Result<json::object> ListTables(CallContext& ctx, const json::object& in);
Result<json::object> DeleteTable(CallContext& ctx, const json::object& in);
Result<json::object> UpdateTable(CallContext& ctx, const json::object& in);
Result<json::object> DescribeLimits(CallContext& ctx, const json::object& in);
Result<json::object> DescribeTimeToLive(CallContext& ctx, const json::object& in);
Result<json::object> UpdateTimeToLive(CallContext& ctx, const json::object& in);
Result<json::object> TagResource(CallContext& ctx, const json::object& in);
Result<json::object> UntagResource(CallContext& ctx, const json::object& in);
Result<json::object> ListTagsOfResource(CallContext& ctx, const json::object& in);

Result<json::object> PutResourcePolicy(CallContext& ctx, const json::object& in);
Result<json::object> GetResourcePolicy(CallContext& ctx, const json::object& in);
Result<json::object> DeleteResourcePolicy(CallContext& ctx, const json::object& in);

Result<json::object> PutItem(CallContext& ctx, const json::object& in);
Result<json::object> GetItem(CallContext& ctx, const json::object& in);
Result<json::object> UpdateItem(CallContext& ctx, const json::object& in);
Result<json::object> DeleteItem(CallContext& ctx, const json::object& in);

Result<json::object> Query(CallContext& ctx, const json::object& in);
Result<json::object> Scan(CallContext& ctx, const json::object& in);

Result<json::object> BatchGetItem(CallContext& ctx, const json::object& in);
Result<json::object> BatchWriteItem(CallContext& ctx, const json::object& in);

Result<json::object> TransactWriteItems(CallContext& ctx, const json::object& in);
Result<json::object> TransactGetItems(CallContext& ctx, const json::object& in);

}  // namespace xacct::services::dynamodb
