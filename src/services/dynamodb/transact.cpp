// Transactions (API Reference: TransactWriteItems, TransactGetItems; Developer Guide, "Amazon DynamoDB
// Transactions", whose IAM section says each action of a transaction is authorized as its own operation:
// dynamodb:ConditionCheckItem, PutItem, UpdateItem, DeleteItem, GetItem). All writes of a TransactWriteItems
// are made in one store transaction and rolled back together when any condition fails; the refusal is
// TransactionCanceledException with one CancellationReason per action, in order. ClientRequestToken
// idempotency is not kept.
#include <set>

#include "services/dynamodb/dynamodb_internal.h"
#include "services/dynamodb/item_ops.h"

namespace xacct::services::dynamodb {

namespace {

struct Action {
  std::string_view member;  //!< "ConditionCheck", "Put", "Delete", "Update"
  std::string_view iam;     //!< the IAM action it is authorized as
  WriteKind kind;
};

constexpr Action kActions[] = {
    {"ConditionCheck", "dynamodb:ConditionCheckItem", WriteKind::kCheck},
    {"Put", "dynamodb:PutItem", WriteKind::kPut},
    {"Delete", "dynamodb:DeleteItem", WriteKind::kDelete},
    {"Update", "dynamodb:UpdateItem", WriteKind::kUpdate},
};

const json::array& TransactItems(const json::object& in) {
  static const json::array empty;
  const auto* v = in.if_contains("TransactItems");
  return v != nullptr && v->is_array() ? v->get_array() : empty;
}

//! One action's table, loaded and authorized with the action's partition key.
Result<Table> ActionTable(CallContext& ctx, const json::object& request, std::string_view iam,
                          std::string_view item_member, const std::string& return_consumed_capacity) {
  TableRef ref;
  auto found = FindTable(ctx, Str(request, "TableName"), &ref);
  if (!found) return found.error();
  Access access{.action = std::string(iam)};
  if (*found) {
    const Item given = InboundValues(request.if_contains(item_member));
    if (const auto* v = given.if_contains((*found)->key.hash.name)) access.leading_keys.push_back(KeyText(*v));
  }
  access.return_consumed_capacity = return_consumed_capacity;
  return RequireAuthorized(ctx, ref, std::move(*found), access);
}

}  // namespace

Result<json::object> TransactWriteItems(CallContext& ctx, const json::object& in) {
  struct Planned {
    Table table;
    std::unique_ptr<Expressions> expressions;
    WritePlan plan;
  };
  std::vector<Planned> actions;
  std::set<std::pair<std::string, std::string>> items;
  for (const auto& t : TransactItems(in)) {
    const json::object* o = t.if_object();
    const Action* action = nullptr;
    const json::object* request = nullptr;
    for (const auto& a : kActions) {
      const auto* v = o != nullptr ? o->if_contains(a.member) : nullptr;
      if (v == nullptr || !v->is_object()) continue;
      if (action != nullptr) {
        return ValidationException("TransactItems can only contain one of Check, Put, Update or Delete");
      }
      action = &a;
      request = &v->get_object();
    }
    if (action == nullptr) {
      return ValidationException("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    auto table = ActionTable(ctx, *request, action->iam, action->kind == WriteKind::kPut ? "Item" : "Key",
                             Str(in, "ReturnConsumedCapacity"));
    if (!table) return table.error();
    auto expressions = std::make_unique<Expressions>();
    auto plan = PlanWrite(*request, *table, action->kind, *expressions);
    if (!plan) return plan.error();
    if (!items.emplace(table->ref.Arn(), plan->id).second) {
      return ValidationException("Transaction request cannot include multiple operations on one item");
    }
    actions.push_back(Planned{std::move(*table), std::move(expressions), std::move(*plan)});
  }

  std::vector<std::optional<WriteOutcome>> outcomes(actions.size());
  std::optional<AwsError> failed;
  bool cancelled = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    failed.reset();
    cancelled = false;
    for (size_t i = 0; i < actions.size(); ++i) {
      auto outcome = ApplyWrite(tx, actions[i].table, actions[i].plan);
      if (!outcome) {
        failed = outcome.error();
        return outcome.error();
      }
      cancelled = cancelled || outcome->failed;
      outcomes[i] = std::move(*outcome);
    }
    // A failed condition anywhere undoes every write of the transaction.
    if (cancelled) return AwsError::Client("TransactionCanceledException", "cancelled");
    return Ok{};
  });
  if (failed) return *failed;
  if (cancelled) {
    json::array reasons;
    std::string codes;
    for (size_t i = 0; i < actions.size(); ++i) {
      const WriteOutcome& o = *outcomes[i];
      codes += (i > 0 ? ", " : "") + std::string(o.failed ? "ConditionalCheckFailed" : "None");
      if (!o.failed) {
        reasons.emplace_back(json::object{{"Code", "None"}});
        continue;
      }
      json::object reason{{"Code", "ConditionalCheckFailed"}, {"Message", "The conditional request failed"}};
      if (actions[i].plan.old_on_failure && o.old) reason["Item"] = *o.old;
      reasons.emplace_back(std::move(reason));
    }
    AwsError e = AwsError::Client(
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]");
    // JSON-valued: protocol/json_protocol.cpp puts it into the error body as JSON.
    e.fields.emplace_back("CancellationReasons", json::serialize(reasons));
    return e;
  }
  if (!s) return s.error();
  json::object out;
  json::array consumed;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (auto c = Consumed(in, actions[i].table.ref.name, 2 * outcomes[i]->units)) consumed.emplace_back(std::move(*c));
  }
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

Result<json::object> TransactGetItems(CallContext& ctx, const json::object& in) {
  struct Planned {
    Table table;
    std::string id;
    std::optional<Projection> projection;
  };
  std::vector<Planned> gets;
  for (const auto& t : TransactItems(in)) {
    const json::object* o = t.if_object();
    const auto* get = o != nullptr ? o->if_contains("Get") : nullptr;
    if (get == nullptr || !get->is_object()) return ValidationException("TransactItems must contain Get");
    const json::object& request = get->get_object();
    auto table = ActionTable(ctx, request, "dynamodb:GetItem", "Key", Str(in, "ReturnConsumedCapacity"));
    if (!table) return table.error();
    Expressions ex;
    if (auto s = ReadExpressions(request, {"ProjectionExpression"}, &ex); !s) return s.error();
    auto projection = ReadProjection(request, ex, nullptr);
    if (!projection) return projection.error();
    if (auto s = ex.inputs->CheckAllUsed(); !s) return s.error();
    auto key = CheckKey(InboundValues(request.if_contains("Key")), table->key);
    if (!key) return key.error();
    std::string id = ItemId(*key, table->key);
    gets.push_back(Planned{std::move(*table), std::move(id), std::move(*projection)});
  }
  json::array responses;
  json::array consumed;
  for (const auto& g : gets) {
    auto item = GetItem(ctx, g.table, g.id);
    if (!item) return item.error();
    json::object response;
    if (*item) response["Item"] = OutboundItem(g.projection ? g.projection->Apply(**item) : **item);
    responses.emplace_back(std::move(response));
    // Transactional reads cost twice a strongly consistent read.
    if (auto c = Consumed(in, g.table.ref.name, 2 * ReadUnits(*item ? ItemSize(**item) : 0, true))) {
      consumed.emplace_back(std::move(*c));
    }
  }
  json::object out{{"Responses", std::move(responses)}};
  if (!consumed.empty()) out["ConsumedCapacity"] = std::move(consumed);
  return out;
}

}  // namespace xacct::services::dynamodb
