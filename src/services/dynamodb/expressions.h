// DynamoDB's attribute values and expressions, pure (no store, no authorization), per the Amazon DynamoDB
// Developer Guide ("Supported data types", "Using expressions in DynamoDB": condition and filter expressions,
// update expressions, projection expressions, key condition expressions, expression attribute names and
// values) and the API Reference's ValidationException messages, which every error here repeats word for word.
//
// An attribute value is the wire's JSON object with one member: {"S": "x"}, {"N": "1.5"}, {"B": "<base64>"},
// {"BOOL": true}, {"NULL": true}, {"SS": [...]}, {"NS": [...]}, {"BS": [...]}, {"L": [...]}, {"M": {...}}.
// An item is a JSON object of attribute name -> attribute value.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::services::dynamodb {

using Item = json::object;

//! A DynamoDB ValidationException with `message`.
AwsError ValidationException(std::string message);

// ---- attribute values (attribute_value.cpp) ----

//! Checks one attribute value as DynamoDB does on input (one type member, numbers of at most 38 significant
//! digits within 1E-130..9.9999999999999999999999999999999999999E+125, no empty or duplicate sets, valid
//! base64) and rewrites numbers to their canonical form ("1.50" -> "1.5", "-0" -> "0", "1e2" -> "100").
Status NormalizeValue(json::value& value);
//! NormalizeValue for every attribute of an item.
Status NormalizeItem(Item& item);
//! DynamoDB's equality (numbers by value, sets regardless of order).
bool ValuesEqual(const json::value& a, const json::value& b);
//! Ordering for S (UTF-8 bytes), N (numeric) and B (bytes) of the same type; nullopt for other pairs.
std::optional<int> CompareValues(const json::value& a, const json::value& b);
//! "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"; "" when `value` is not an attribute value.
std::string_view TypeOf(const json::value& value);
//! An order-preserving, prefix-free text encoding of a key value (S, N or B) for store ids: comparing two
//! encodings as bytes orders them as DynamoDB orders the values.
std::string EncodeKeyValue(const json::value& value);
//! The item's size as DynamoDB counts it (names' UTF-8 bytes + values), for the 400 KB limit.
size_t ItemSize(const Item& item);
//! Decimal arithmetic on canonical numbers, with DynamoDB's overflow/precision errors.
Result<std::string> AddNumbers(std::string_view a, std::string_view b);
Result<std::string> SubtractNumbers(std::string_view a, std::string_view b);

// ---- expressions (expressions.cpp and friends) ----

//! ExpressionAttributeNames (#n -> name) and ExpressionAttributeValues (:v -> value) of one request, and
//! which of them the request's expressions used: a request that leaves one unused is refused
//! ("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}").
class ExpressionInputs {
 public:
  ExpressionInputs(const json::object* names, const json::object* values) : names_(names), values_(values) {}
  //! After parsing every expression of the request: the error for unused names or values, if any.
  Status CheckAllUsed() const;

  // For the parsers.
  Result<std::string> Name(std::string_view placeholder);
  Result<json::value> Value(std::string_view placeholder);

 private:
  const json::object* names_;
  const json::object* values_;
  std::set<std::string, std::less<>> used_names_, used_values_;
};

struct Node;  //!< a parsed expression's syntax tree (expression_internal.h)

//! A ConditionExpression or FilterExpression.
class Condition {
 public:
  //! `what` names the parameter in messages ("ConditionExpression", "FilterExpression").
  static Result<Condition> Parse(std::string_view text, std::string_view what, ExpressionInputs& inputs);
  //! Whether `item` (empty when there is none) satisfies the condition; an error for a runtime type problem.
  Result<bool> Evaluate(const Item& item) const;

 private:
  std::shared_ptr<const Node> root_;
};

//! An UpdateExpression: SET, REMOVE, ADD and DELETE clauses.
class Update {
 public:
  static Result<Update> Parse(std::string_view text, ExpressionInputs& inputs);
  //! Applies the actions to `item` in place (key attributes included: the caller refuses updates to them
  //! by checking TouchedTopLevel first). Errors are DynamoDB's ("The document path provided in the update
  //! expression is invalid for update", "An operand in the update expression has an incorrect data type").
  Status Apply(Item& item) const;
  //! The top-level attribute names the update writes or removes.
  std::vector<std::string> TouchedTopLevel() const;

 private:
  std::shared_ptr<const Node> root_;
};

//! A ProjectionExpression (or AttributesToGet as a list of names).
class Projection {
 public:
  static Result<Projection> Parse(std::string_view text, ExpressionInputs& inputs);
  static Projection OfNames(const std::vector<std::string>& names);
  //! The parts of `item` the projection names (list elements and map members included).
  Item Apply(const Item& item) const;

 private:
  std::shared_ptr<const Node> root_;
};

//! A KeyConditionExpression, checked against the table's (or index's) key schema.
struct KeyCondition {
  json::value hash_value;  //!< the partition key's value (an equality is required)
  //! The sort key condition, when there is one: "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with".
  std::string range_op;
  json::value range_low, range_high;  //!< range_high only for BETWEEN

  //! `hash_key`/`range_key` are the key schema's attribute names (range_key empty when there is none).
  static Result<KeyCondition> Parse(std::string_view text, ExpressionInputs& inputs, std::string_view hash_key,
                                    std::string_view range_key);
  //! Whether a sort key value satisfies the range condition (true when there is none).
  bool RangeMatches(const json::value& range_value) const;
};

}  // namespace xacct::services::dynamodb
