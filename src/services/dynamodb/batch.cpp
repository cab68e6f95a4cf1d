// BatchGetItem and BatchWriteItem (API Reference). Each table of a batch is authorized with the batch's own
// action (dynamodb:BatchGetItem, dynamodb:BatchWriteItem) and dynamodb:LeadingKeys holding every partition
// key the batch names in it. xacct processes every request of a batch, so UnprocessedKeys and
// UnprocessedItems are always empty; BatchWriteItem's writes are committed together.
#include <algorithm>
#include <set>

#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/item_ops.h"

namespace xacct::services::dynamodb {

namespace {

const json::object& RequestItems(const json::object& in) {
  static const json::object empty;
  const auto* v = in.if_contains("RequestItems");
  return v != nullptr && v->is_object() ? v->get_object() : empty;
}

const json::array& ArrayOf(const json::value& v) {
  static const json::array empty;
  return v.is_array() ? v.get_array() : empty;
}

const json::array& ArrayMember(const json::object& o, std::string_view key) {
  static const json::array empty;
  const auto* v = o.if_contains(key);
  return v != nullptr ? ArrayOf(*v) : empty;
}

void AddConsumed(json::array& list, const json::object& in, const std::string& table, double units) {
  if (auto c = Consumed(in, table, units)) list.emplace_back(std::move(*c));
}

}  // namespace

Result<json::object> BatchGetItem(CallContext& ctx, const json::object& in) {
  const json::object& requests = RequestItems(in);
  size_t total = 0;
  for (const auto& [name, request] : requests) {
    if (request.is_object()) total += ArrayMember(request.get_object(), "Keys").size();
  }
  if (total > 100) return ValidationException("Too many items requested for the BatchGetItem call");
  json::object responses;
  json::array consumed;
  for (const auto& [name, request] : requests) {
    if (!request.is_object()) continue;
    const json::object& r = request.get_object();
    if (auto s = RefuseLegacy(r); !s) return s.error();
    TableRef ref;
    auto found = FindTable(ctx, name, &ref);
    if (!found) return found.error();
    std::vector<Item> keys;
    for (const auto& k : ArrayMember(r, "Keys")) keys.push_back(InboundValues(&k));
    Expressions ex;
    if (auto s = ReadExpressions(r, {"ProjectionExpression"}, &ex); !s) return s.error();
    std::vector<std::string> projected;
    auto projection = ReadProjection(r, ex, &projected);
    if (!projection) return projection.error();
    Access access{.action = "dynamodb:BatchGetItem"};
    if (*found) {
      for (const auto& k : keys) {
        if (const auto* v = k.if_contains((*found)->key.hash.name)) access.leading_keys.push_back(KeyText(*v));
      }
    }
    if (*projection) access.attributes = projected;
    access.return_consumed_capacity = Str(in, "ReturnConsumedCapacity");
    auto table = RequireAuthorized(ctx, ref, std::move(*found), access);
    if (!table) return table.error();
    if (auto s = ex.inputs->CheckAllUsed(); !s) return s.error();
    std::set<std::string> ids;
    std::vector<std::string> ordered;
    for (const auto& k : keys) {
      auto key = CheckKey(k, table->key);
      if (!key) return key.error();
      std::string id = ItemId(*key, table->key);
      if (!ids.insert(id).second) return ValidationException("Provided list of item keys contains duplicates");
      ordered.push_back(std::move(id));
    }
    const auto* consistent = r.if_contains("ConsistentRead");
    const bool strongly = consistent != nullptr && consistent->is_bool() && consistent->as_bool();
    json::array items;
    double units = 0;
    for (const auto& id : ordered) {
      auto item = GetItem(ctx, *table, id);
      if (!item) return item.error();
      units += ReadUnits(*item ? ItemSize(**item) : 0, strongly);
      if (*item) items.emplace_back(OutboundItem(*projection ? (*projection)->Apply(**item) : **item));
    }
    responses[name] = std::move(items);
    AddConsumed(consumed, in, table->ref.name, units);
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object{}}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

Result<json::object> BatchWriteItem(CallContext& ctx, const json::object& in) {
  const json::object& requests = RequestItems(in);
  size_t total = 0;
  for (const auto& [name, list] : requests) total += ArrayOf(list).size();
  if (total > 25) return ValidationException("Too many items requested for the BatchWriteItem call");

  struct TableWrites {
    Table table;
    std::vector<std::unique_ptr<Expressions>> expressions;
    std::vector<WritePlan> plans;
  };
  std::vector<TableWrites> batches;
  json::array consumed;
  for (const auto& [name, list] : requests) {
    TableRef ref;
    auto found = FindTable(ctx, name, &ref);
    if (!found) return found.error();
    Access access{.action = "dynamodb:BatchWriteItem"};
    for (const auto& w : ArrayOf(list)) {
      if (!w.is_object() || !*found) continue;
      const json::value* item = nullptr;
      if (const auto* put = w.get_object().if_contains("PutRequest"); put != nullptr && put->is_object()) {
        item = put->get_object().if_contains("Item");
      } else if (const auto* del = w.get_object().if_contains("DeleteRequest"); del != nullptr && del->is_object()) {
        item = del->get_object().if_contains("Key");
      }
      if (item == nullptr || !item->is_object()) continue;
      if (const auto* v = item->get_object().if_contains((*found)->key.hash.name)) {
        access.leading_keys.push_back(KeyText(InboundValue(*v)));
      }
    }
    access.return_consumed_capacity = Str(in, "ReturnConsumedCapacity");
    auto table = RequireAuthorized(ctx, ref, std::move(*found), access);
    if (!table) return table.error();
    TableWrites writes{std::move(*table), {}, {}};
    std::set<std::string> ids;
    for (const auto& w : ArrayOf(list)) {
      const json::object* o = w.if_object();
      const auto* put = o != nullptr ? o->if_contains("PutRequest") : nullptr;
      const auto* del = o != nullptr ? o->if_contains("DeleteRequest") : nullptr;
      if ((put == nullptr) == (del == nullptr) || !(put != nullptr ? put : del)->is_object()) {
        return ValidationException("Supplied WriteRequest must have exactly one of PutRequest or DeleteRequest set");
      }
      writes.expressions.push_back(std::make_unique<Expressions>());
      auto plan = PlanWrite((put != nullptr ? put : del)->get_object(), writes.table,
                            put != nullptr ? WriteKind::kPut : WriteKind::kDelete, *writes.expressions.back());
      if (!plan) return plan.error();
      if (!ids.insert(plan->id).second) return ValidationException("Provided list of item keys contains duplicates");
      writes.plans.push_back(std::move(*plan));
    }
    batches.push_back(std::move(writes));
  }
  std::vector<double> units(batches.size());
  std::optional<AwsError> failed;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    failed.reset();
    std::fill(units.begin(), units.end(), 0);
    for (size_t t = 0; t < batches.size(); ++t) {
      for (const auto& plan : batches[t].plans) {
        auto outcome = ApplyWrite(tx, batches[t].table, plan);
        if (!outcome) {
          failed = outcome.error();
          return outcome.error();  // rolls back the writes already made
        }
        units[t] += outcome->units;
      }
    }
    return Ok{};
  });
  if (failed) return *failed;
  if (!s) return s.error();
  for (size_t t = 0; t < batches.size(); ++t) AddConsumed(consumed, in, batches[t].table.ref.name, units[t]);
  json::object out{{"UnprocessedItems", json::object{}}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

}  // namespace xacct::services::dynamodb
