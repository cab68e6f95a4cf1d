// Query and Scan (API Reference: Query, Scan; Developer Guide, "Paginating table query results", "Scan":
// Limit counts the items evaluated before FilterExpression, a page ends at Limit items or 1 MB of items read,
// LastEvaluatedKey names the last item evaluated when the page ended early). A table Query reads one
// partition from the store in sort key order; a Query or Scan on a secondary index reads the table's items
// that carry the index's key attributes and orders them by the index key (then the table key). Parallel
// Scan segments split the table by a hash of the partition key.
#include <algorithm>

#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

namespace {

constexpr size_t kPageBytes = 1024 * 1024;

struct Candidate {
  std::string position;  //!< orders the candidates; ExclusiveStartKey maps to one
  Item item;
};

//! What a Query or Scan reads and returns, after validation.
struct Reading {
  const Table* table = nullptr;
  const IndexInfo* index = nullptr;
  std::optional<Condition> filter;
  std::optional<Projection> projection;
  std::string select;
  bool consistent = false;
  std::optional<size_t> limit;
};

uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

//! The candidate's position: index key first (on an index), then the table key.
std::string PositionOf(const Item& item, const Table& table, const IndexInfo* index, bool with_index_hash) {
  std::string pos;
  if (index != nullptr) {
    if (with_index_hash) pos += EncodeKeyValue(item.at(index->key.hash.name));
    if (!index->key.range.name.empty()) pos += EncodeKeyValue(item.at(index->key.range.name));
  }
  return pos + ItemId(item, table.key);
}

bool InIndex(const Item& item, const IndexInfo& index) {
  auto has = [&](const KeyAttr& k) {
    const auto* v = item.if_contains(k.name);
    return v != nullptr && TypeOf(*v) == k.type;
  };
  return has(index.key.hash) && (index.key.range.name.empty() || has(index.key.range));
}

//! The attributes an index holds of an item (its projection), for ALL_PROJECTED_ATTRIBUTES.
Item Projected(const Item& item, const Table& table, const IndexInfo& index) {
  if (index.projection == "ALL" || index.projection.empty()) return item;
  std::vector<std::string> names{table.key.hash.name, index.key.hash.name};
  for (const auto* n : {&table.key.range.name, &index.key.range.name}) {
    if (!n->empty()) names.push_back(*n);
  }
  if (index.projection == "INCLUDE") names.insert(names.end(), index.non_key.begin(), index.non_key.end());
  Item out;
  for (const auto& n : names) {
    if (const auto* v = item.if_contains(n)) out[n] = *v;
  }
  return out;
}

//! The ExclusiveStartKey as a position, checked against the table's (and index's) key schema.
Result<std::optional<std::string>> StartPosition(const json::object& in, const Table& table, const IndexInfo* index,
                                                 bool with_index_hash) {
  const auto* given = in.if_contains("ExclusiveStartKey");
  if (given == nullptr) return std::optional<std::string>();
  Item start = InboundValues(given);
  auto invalid = [] {
    return ValidationException(
        "The provided starting key is invalid: The provided key element does not match the schema");
  };
  if (auto s = NormalizeItem(start); !s) return invalid();
  std::vector<const KeyAttr*> keys{&table.key.hash, &table.key.range};
  if (index != nullptr) keys.insert(keys.end(), {&index->key.hash, &index->key.range});
  for (const auto* k : keys) {
    if (k->name.empty()) continue;
    const auto* v = start.if_contains(k->name);
    if (v == nullptr || TypeOf(*v) != k->type) return invalid();
  }
  for (const auto& [name, v] : start) {
    (void)v;
    bool known = false;
    for (const auto* k : keys) known = known || (!k->name.empty() && k->name == name);
    if (!known) return invalid();
  }
  return std::optional<std::string>(PositionOf(start, table, index, with_index_hash));
}

//! The key attributes of an item as LastEvaluatedKey names it.
json::object LastKey(const Item& item, const Table& table, const IndexInfo* index) {
  Item key = KeyOf(item, table.key);
  if (index != nullptr) {
    for (const auto& [name, v] : KeyOf(item, index->key)) key[name] = v;
  }
  return OutboundItem(key);
}

//! One page of `candidates` (already in reading order) from the ExclusiveStartKey on.
Result<json::object> ReadPage(const json::object& in, const Reading& r, const std::vector<Candidate>& candidates,
                              const std::optional<std::string>& start, bool forward) {
  json::array items;
  int64_t count = 0;
  int64_t scanned = 0;
  size_t bytes = 0;
  const Candidate* last = nullptr;
  bool ended_early = false;
  for (const auto& c : candidates) {
    if (start && (forward ? c.position <= *start : c.position >= *start)) continue;
    if ((r.limit && static_cast<size_t>(scanned) == *r.limit) || bytes >= kPageBytes) {
      ended_early = true;
      break;
    }
    ++scanned;
    bytes += ItemSize(c.item);
    last = &c;
    if (r.filter) {
      auto holds = r.filter->Evaluate(c.item);
      if (!holds) return holds.error();
      if (!*holds) continue;
    }
    ++count;
    if (r.select == "COUNT") continue;
    Item shown = r.index != nullptr && r.select != "ALL_ATTRIBUTES" ? Projected(c.item, *r.table, *r.index) : c.item;
    if (r.projection) shown = r.projection->Apply(shown);
    items.emplace_back(OutboundItem(shown));
  }
  // A page that stopped at Limit names its last item even when no item follows, as DynamoDB does.
  if (r.limit && static_cast<size_t>(scanned) == *r.limit) ended_early = true;
  json::object out;
  if (r.select != "COUNT") out["Items"] = std::move(items);
  out["Count"] = count;
  out["ScannedCount"] = scanned;
  if (ended_early && last != nullptr) out["LastEvaluatedKey"] = LastKey(last->item, *r.table, r.index);
  const std::string name = r.table->ref.name;
  if (auto c = Consumed(in, name, ReadUnits(bytes, r.consistent))) out["ConsumedCapacity"] = std::move(*c);
  return out;
}

//! What Query and Scan share: the index, FilterExpression, projection, Select, ConsistentRead and Limit.
Status ReadCommon(const json::object& in, const Table& table, Expressions& ex, Reading* r,
                  std::vector<std::string>* projected) {
  r->table = &table;
  if (const std::string index = Str(in, "IndexName"); !index.empty()) {
    r->index = table.FindIndex(index);
    if (r->index == nullptr) return ValidationException("The table does not have the specified index: " + index);
  }
  if (in.contains("FilterExpression")) {
    auto filter = Condition::Parse(Str(in, "FilterExpression"), "FilterExpression", *ex.inputs);
    if (!filter) return filter.error();
    r->filter = std::move(*filter);
  }
  auto projection = ReadProjection(in, ex, projected);
  if (!projection) return projection.error();
  r->projection = std::move(*projection);
  r->select = Str(in, "Select");
  if (r->select.empty()) {
    r->select = r->projection         ? "SPECIFIC_ATTRIBUTES"
                : r->index != nullptr ? "ALL_PROJECTED_ATTRIBUTES"
                                      : "ALL_ATTRIBUTES";
  }
  if (r->select == "ALL_PROJECTED_ATTRIBUTES" && r->index == nullptr) {
    return ValidationException(
        "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for "
        "tables");
  }
  if (r->select == "SPECIFIC_ATTRIBUTES" && !r->projection) {
    return ValidationException(
        "One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or "
        "AttributesToGet");
  }
  if (r->projection && r->select != "SPECIFIC_ATTRIBUTES") {
    return ValidationException(
        "One or more parameter values were invalid: Cannot specify ProjectionExpression or AttributesToGet when "
        "choosing to get " +
        r->select);
  }
  if (r->index != nullptr && r->index->global && r->select == "ALL_ATTRIBUTES" && r->index->projection != "ALL") {
    return ValidationException(
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary "
        "index " +
        r->index->name + " because its projection type is not ALL");
  }
  const auto* consistent = in.if_contains("ConsistentRead");
  r->consistent = consistent != nullptr && consistent->is_bool() && consistent->as_bool();
  if (r->consistent && r->index != nullptr && r->index->global) {
    return ValidationException("Consistent reads are not supported on global secondary indexes");
  }
  if (auto limit = Int(in, "Limit")) r->limit = static_cast<size_t>(std::max<int64_t>(*limit, 1));
  return ex.inputs->CheckAllUsed();
}

//! A request refused before its full authorization (the condition keys need the parsed request): a caller
//! who may not read the table gets AccessDenied, as for a missing table, and learns nothing of its schema.
AwsError Refusal(CallContext& ctx, const TableRef& ref, const Table& table, const Access& access, const AwsError& e) {
  if (auto s = Authorize(ctx, ref, table.policy, access); !s) return s.error();
  return e;
}

//! The reading parameters Query and Scan share (ReadCommon), then the authorization with the condition keys they
//! give (dynamodb:Attributes, Select, ReturnConsumedCapacity); an error in them is a Refusal.
Status ReadAndAuthorize(CallContext& ctx, const TableRef& ref, const json::object& in, const Table& table,
                        Expressions& ex, Access& access, Reading* r) {
  std::vector<std::string> projected;
  if (auto s = ReadCommon(in, table, ex, r, &projected); !s) return Refusal(ctx, ref, table, access, s.error());
  if (r->projection) access.attributes = projected;
  access.select = r->select;
  access.return_consumed_capacity = Str(in, "ReturnConsumedCapacity");
  return Authorize(ctx, ref, table.policy, access);
}

Result<std::vector<Candidate>> AllItems(CallContext& ctx, const Table& table, const IndexInfo* index,
                                        std::string_view prefix, bool with_index_hash) {
  auto docs = ctx.identities.db().List(table.ref.scope(), table.ItemKind(), prefix);
  if (!docs) return docs.error();
  std::vector<Candidate> out;
  out.reserve(docs->size());
  for (auto& d : *docs) {
    Item item = ParseItem(d.body);
    if (index != nullptr && !InIndex(item, *index)) continue;
    std::string pos = index != nullptr ? PositionOf(item, table, index, with_index_hash) : std::move(d.id);
    out.push_back(Candidate{std::move(pos), std::move(item)});
  }
  if (index != nullptr) {
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.position < b.position; });
  }
  return out;
}

}  // namespace

Result<json::object> Query(CallContext& ctx, const json::object& in) {
  if (auto s = RefuseLegacy(in); !s) return s.error();
  TableRef ref;
  auto found = FindTable(ctx, Str(in, "TableName"), &ref);
  if (!found) return found.error();
  const std::string index_name = Str(in, "IndexName");
  if (!in.contains("KeyConditionExpression")) {
    return ValidationException(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  // Authorization comes before the table's existence shows; the partition key value for
  // dynamodb:LeadingKeys is read from the condition once the table's schema is known.
  Access access{.action = "dynamodb:Query", .index = index_name};
  if (!*found) return RequireAuthorized(ctx, ref, std::nullopt, access).error();
  const Table& table = **found;
  auto refuse = [&](const AwsError& e) { return Refusal(ctx, ref, table, access, e); };
  Expressions ex;
  if (auto s = ReadExpressions(in, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"}, &ex); !s) {
    return refuse(s.error());
  }
  const IndexInfo* index = index_name.empty() ? nullptr : table.FindIndex(index_name);
  if (!index_name.empty() && index == nullptr) {
    return refuse(ValidationException("The table does not have the specified index: " + index_name));
  }
  const KeySchema& schema = index != nullptr ? index->key : table.key;
  auto condition =
      KeyCondition::Parse(Str(in, "KeyConditionExpression"), *ex.inputs, schema.hash.name, schema.range.name);
  if (!condition) return refuse(condition.error());
  access.leading_keys = {KeyText(condition->hash_value)};
  Reading r;
  if (auto s = ReadAndAuthorize(ctx, ref, in, table, ex, access, &r); !s) return s.error();

  const bool range_type_ok = condition->range_op.empty() || TypeOf(condition->range_low) == schema.range.type;
  if (TypeOf(condition->hash_value) != schema.hash.type || !range_type_ok) {
    return ValidationException(
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  }
  std::vector<Candidate> candidates;
  if (index == nullptr) {
    auto partition = AllItems(ctx, table, nullptr, EncodeKeyValue(condition->hash_value), false);
    if (!partition) return partition.error();
    candidates = std::move(*partition);
  } else {
    auto all = AllItems(ctx, table, index, {}, false);
    if (!all) return all.error();
    for (auto& c : *all) {
      if (ValuesEqual(c.item.at(index->key.hash.name), condition->hash_value)) candidates.push_back(std::move(c));
    }
  }
  if (!schema.range.name.empty()) {
    std::erase_if(candidates, [&](const Candidate& c) {
      const auto* v = c.item.if_contains(schema.range.name);
      return v == nullptr || !condition->RangeMatches(*v);
    });
  }
  const auto* forward_value = in.if_contains("ScanIndexForward");
  const bool forward = forward_value == nullptr || !forward_value->is_bool() || forward_value->as_bool();
  if (!forward) std::reverse(candidates.begin(), candidates.end());
  auto start = StartPosition(in, table, index, false);
  if (!start) return start.error();
  return ReadPage(in, r, candidates, *start, forward);
}

Result<json::object> Scan(CallContext& ctx, const json::object& in) {
  if (auto s = RefuseLegacy(in); !s) return s.error();
  TableRef ref;
  auto found = FindTable(ctx, Str(in, "TableName"), &ref);
  if (!found) return found.error();
  const std::string index_name = Str(in, "IndexName");
  // Segment and TotalSegments are checked before the table is looked at, so the answer is the same whether
  // or not the table exists.
  const auto segment = Int(in, "Segment");
  const auto total = Int(in, "TotalSegments");
  if (segment && !total) {
    return ValidationException(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (total && !segment) {
    return ValidationException(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (segment && *segment >= *total) {
    return ValidationException(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
  }
  Access access{.action = "dynamodb:Scan", .index = index_name};
  if (!*found) return RequireAuthorized(ctx, ref, std::nullopt, access).error();
  const Table& table = **found;
  auto refuse = [&](const AwsError& e) { return Refusal(ctx, ref, table, access, e); };
  Expressions ex;
  if (auto s = ReadExpressions(in, {"FilterExpression", "ProjectionExpression"}, &ex); !s) return refuse(s.error());
  Reading r;
  if (auto s = ReadAndAuthorize(ctx, ref, in, table, ex, access, &r); !s) return s.error();

  auto candidates = AllItems(ctx, table, r.index, {}, true);
  if (!candidates) return candidates.error();
  if (segment) {
    const std::string& hash = r.index != nullptr ? r.index->key.hash.name : table.key.hash.name;
    std::erase_if(*candidates, [&](const Candidate& c) {
      const auto* v = c.item.if_contains(hash);
      return v == nullptr ||
             static_cast<int64_t>(Fnv1a(EncodeKeyValue(*v)) % static_cast<uint32_t>(*total)) != *segment;
    });
  }
  auto start = StartPosition(in, table, r.index, true);
  if (!start) return start.error();
  return ReadPage(in, r, *candidates, *start, true);
}

}  // namespace xacct::services::dynamodb
