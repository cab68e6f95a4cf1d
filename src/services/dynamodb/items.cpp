// Single-item operations (API Reference: PutItem, GetItem, UpdateItem, DeleteItem). A conditional write
// reads the item, evaluates the condition and writes in one store transaction, so no other write comes
// between. ReturnValues follows each operation's list (PutItem and DeleteItem: NONE or ALL_OLD; UpdateItem
// also UPDATED_OLD, ALL_NEW, UPDATED_NEW, by top-level attribute); any other value is "Return values set to
// invalid value". A failed condition is ConditionalCheckFailedException "The conditional request failed",
// carrying the item when ReturnValuesOnConditionCheckFailure is ALL_OLD.
#include <algorithm>

#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/item_ops.h"

namespace xacct::services::dynamodb {

namespace {

Status CheckReturnValues(const std::string& value, std::initializer_list<std::string_view> allowed) {
  if (value.empty()) return Ok{};
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    return ValidationException("Return values set to invalid value");
  }
  return Ok{};
}

std::vector<std::string> NamesOf(const Item& item) {
  std::vector<std::string> out;
  for (const auto& [name, v] : item) out.emplace_back(name);
  return out;
}

std::vector<std::string> LeadingKeys(const Item& item_or_key, const std::optional<Table>& table) {
  if (!table) return {};
  const auto* v = item_or_key.if_contains(table->key.hash.name);
  if (v == nullptr) return {};
  return {KeyText(*v)};
}

//! The parts of an item that an update touched, for UPDATED_OLD and UPDATED_NEW.
json::object Touched(const Item& item, const std::vector<std::string>& names) {
  Item out;
  for (const auto& n : names) {
    if (const auto* v = item.if_contains(n)) out[n] = *v;
  }
  return OutboundItem(out);
}

void AddConsumed(json::object& out, const json::object& in, const Table& table, double units) {
  if (auto c = Consumed(in, table.ref.name, units)) out["ConsumedCapacity"] = std::move(*c);
}

}  // namespace

Result<WritePlan> PlanWrite(const json::object& in, const Table& table, WriteKind kind, Expressions& ex) {
  WritePlan plan;
  plan.kind = kind;
  if (kind == WriteKind::kPut) {
    plan.item = InboundValues(in.if_contains("Item"));
    if (auto s = NormalizeItem(plan.item); !s) return s.error();
    if (auto s = CheckItemKey(plan.item, table.key); !s) return s.error();
    if (auto s = CheckNesting(plan.item); !s) return s.error();
    if (ItemSize(plan.item) > kMaxItemSize)
      return ValidationException("Item size has exceeded the maximum allowed size");
    plan.key = KeyOf(plan.item, table.key);
  } else {
    auto key = CheckKey(InboundValues(in.if_contains("Key")), table.key);
    if (!key) return key.error();
    plan.key = std::move(*key);
  }
  plan.id = ItemId(plan.key, table.key);
  std::vector<std::string_view> expressions{"ConditionExpression"};
  if (kind == WriteKind::kUpdate) expressions.insert(expressions.begin(), "UpdateExpression");
  if (auto s = ReadExpressions(in, expressions, &ex); !s) return s.error();
  if (kind == WriteKind::kUpdate && in.contains("UpdateExpression")) {
    auto update = Update::Parse(Str(in, "UpdateExpression"), *ex.inputs);
    if (!update) return update.error();
    plan.touched = update->TouchedTopLevel();
    for (const auto& name : plan.touched) {
      if (name == table.key.hash.name || name == table.key.range.name) {
        return ValidationException("One or more parameter values were invalid: Cannot update attribute " + name +
                                   ". This attribute is part of the key");
      }
    }
    plan.update = std::move(*update);
  }
  if (in.contains("ConditionExpression")) {
    auto condition = Condition::Parse(Str(in, "ConditionExpression"), "ConditionExpression", *ex.inputs);
    if (!condition) return condition.error();
    plan.condition = std::move(*condition);
  }
  if (auto s = ex.inputs->CheckAllUsed(); !s) return s.error();
  plan.old_on_failure = Str(in, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD";
  return plan;
}

Result<WriteOutcome> ApplyWrite(store::Transaction& tx, const Table& table, const WritePlan& plan) {
  WriteOutcome out;
  auto old = GetItem(tx, table, plan.id);
  if (!old) return old.error();
  out.old = std::move(*old);
  if (plan.condition) {
    auto holds = plan.condition->Evaluate(out.old ? *out.old : Item{});
    if (!holds) return holds.error();
    if (!*holds) {
      out.failed = true;
      return out;
    }
  }
  const size_t old_size = out.old ? ItemSize(*out.old) : 0;
  switch (plan.kind) {
    case WriteKind::kPut:
      out.now = plan.item;
      break;
    case WriteKind::kUpdate: {
      Item item = out.old ? *out.old : plan.key;
      if (plan.update) {
        if (auto s = plan.update->Apply(item); !s) return s.error();
      }
      if (ItemSize(item) > kMaxItemSize) {
        return ValidationException("Item size to update has exceeded the maximum allowed size");
      }
      // An update path may reach 32 levels deep and set a nested value there: the result must still fit.
      if (auto s = CheckNesting(item); !s) return s.error();
      out.now = std::move(item);
      break;
    }
    case WriteKind::kDelete:
    case WriteKind::kCheck:
      break;
  }
  out.units = WriteUnits(std::max(old_size, out.now ? ItemSize(*out.now) : 0));
  if (plan.kind == WriteKind::kDelete) {
    if (out.old) {
      if (auto s = tx.Delete(table.ref.scope(), table.ItemKind(), plan.id); !s) return s.error();
    }
  } else if (out.now) {
    if (auto s = tx.Put(table.ref.scope(), table.ItemKind(), plan.id, json::serialize(*out.now)); !s) {
      return s.error();
    }
  }
  return out;
}

namespace {

//! PutItem, UpdateItem and DeleteItem: authorize, plan, write atomically, answer.
Result<json::object> WriteItem(CallContext& ctx, const json::object& in, WriteKind kind) {
  if (auto s = RefuseLegacy(in); !s) return s.error();
  const std::string_view action = kind == WriteKind::kPut      ? "dynamodb:PutItem"
                                  : kind == WriteKind::kUpdate ? "dynamodb:UpdateItem"
                                                               : "dynamodb:DeleteItem";
  TableRef ref;
  auto found = FindTable(ctx, Str(in, "TableName"), &ref);
  if (!found) return found.error();
  const Item given = InboundValues(in.if_contains(kind == WriteKind::kPut ? "Item" : "Key"));
  Access access{.action = std::string(action), .leading_keys = LeadingKeys(given, *found)};
  if (kind == WriteKind::kPut) access.attributes = NamesOf(given);
  access.return_values = Str(in, "ReturnValues").empty() ? "NONE" : Str(in, "ReturnValues");
  access.return_consumed_capacity = Str(in, "ReturnConsumedCapacity");
  auto table = RequireAuthorized(ctx, ref, std::move(*found), access);
  if (!table) return table.error();

  const std::string return_values = Str(in, "ReturnValues");
  if (kind == WriteKind::kUpdate) {
    if (auto s = CheckReturnValues(return_values, {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}); !s) {
      return s.error();
    }
  } else if (auto s = CheckReturnValues(return_values, {"NONE", "ALL_OLD"}); !s) {
    return s.error();
  }
  Expressions ex;
  auto plan = PlanWrite(in, *table, kind, ex);
  if (!plan) return plan.error();

  std::optional<WriteOutcome> outcome;
  std::optional<AwsError> failed;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    outcome.reset();
    failed.reset();
    auto result = ApplyWrite(tx, *table, *plan);
    if (!result) {
      failed = result.error();
      return Ok{};
    }
    outcome = std::move(*result);
    return Ok{};
  });
  if (!s) return s.error();
  if (failed) return *failed;
  if (outcome->failed) return ConditionalCheckFailed(plan->old_on_failure && outcome->old ? &*outcome->old : nullptr);

  json::object out;
  if (return_values == "ALL_OLD" && outcome->old) {
    out["Attributes"] = OutboundItem(*outcome->old);
  } else if (return_values == "ALL_NEW" && outcome->now) {
    out["Attributes"] = OutboundItem(*outcome->now);
  } else if (return_values == "UPDATED_OLD" && outcome->old) {
    auto touched = Touched(*outcome->old, plan->touched);
    if (!touched.empty()) out["Attributes"] = std::move(touched);
  } else if (return_values == "UPDATED_NEW" && outcome->now) {
    auto touched = Touched(*outcome->now, plan->touched);
    if (!touched.empty()) out["Attributes"] = std::move(touched);
  }
  AddConsumed(out, in, *table, outcome->units);
  return out;
}

}  // namespace

Result<json::object> PutItem(CallContext& ctx, const json::object& in) { return WriteItem(ctx, in, WriteKind::kPut); }

Result<json::object> UpdateItem(CallContext& ctx, const json::object& in) {
  return WriteItem(ctx, in, WriteKind::kUpdate);
}

Result<json::object> DeleteItem(CallContext& ctx, const json::object& in) {
  return WriteItem(ctx, in, WriteKind::kDelete);
}

Result<json::object> GetItem(CallContext& ctx, const json::object& in) {
  TableRef ref;
  auto found = FindTable(ctx, Str(in, "TableName"), &ref);
  if (!found) return found.error();
  const Item given = InboundValues(in.if_contains("Key"));
  Expressions ex;
  if (auto s = ReadExpressions(in, {"ProjectionExpression"}, &ex); !s) return s.error();
  std::vector<std::string> projected;
  auto projection = ReadProjection(in, ex, &projected);
  if (!projection) return projection.error();
  Access access{.action = "dynamodb:GetItem", .leading_keys = LeadingKeys(given, *found)};
  if (*projection) access.attributes = projected;
  access.return_consumed_capacity = Str(in, "ReturnConsumedCapacity");
  auto table = RequireAuthorized(ctx, ref, std::move(*found), access);
  if (!table) return table.error();
  if (auto s = ex.inputs->CheckAllUsed(); !s) return s.error();
  auto key = CheckKey(given, table->key);
  if (!key) return key.error();
  auto item = GetItem(ctx, *table, ItemId(*key, table->key));
  if (!item) return item.error();
  json::object out;
  const auto* consistent = in.if_contains("ConsistentRead");
  const bool strongly = consistent != nullptr && consistent->is_bool() && consistent->as_bool();
  double units = ReadUnits(0, strongly);
  if (*item) {
    units = ReadUnits(ItemSize(**item), strongly);
    out["Item"] = OutboundItem(*projection ? (*projection)->Apply(**item) : **item);
  }
  AddConsumed(out, in, *table, units);
  return out;
}

}  // namespace xacct::services::dynamodb
