// DynamoDB tables (API Reference: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable,
// DescribeLimits). A table is ACTIVE as soon as it is created; its description is stored as DescribeTable
// answers it, with ItemCount and TableSizeBytes counted from the items when described. The key schema and
// attribute definitions are checked with DynamoDB's messages (the ones listed here were observed from
// DynamoDB by the peers xacct compared with: moto's and DynamoDB Local's test suites).
#include <algorithm>
#include <ctime>
#include <set>

#include "common/ids.h"
#include "policy/parser.h"
#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

const json::array& ArrayOf(const json::object& o, std::string_view key) {
  static const json::array empty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : empty;
}

std::string ListText(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + names[i];
  return out + "]";
}

//! A KeySchema list: HASH first, then at most one RANGE on another attribute.
Status CheckKeySchema(const json::array& schema) {
  if (schema.empty()) return ValidationException("Invalid KeySchema: Some index key attribute have no definition");
  const auto* first = schema[0].if_object();
  if (first == nullptr || Str(*first, "KeyType") != "HASH") {
    return ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (schema.size() > 1) {
    const auto* second = schema[1].if_object();
    if (second == nullptr || Str(*second, "KeyType") != "RANGE") {
      return ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
    if (Str(*first, "AttributeName") == Str(*second, "AttributeName")) {
      return ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
  }
  return Ok{};
}

std::vector<std::string> KeyNames(const json::array& schema) {
  std::vector<std::string> out;
  for (const auto& k : schema) {
    if (k.is_object()) out.push_back(Str(k.get_object(), "AttributeName"));
  }
  return out;
}

json::object Throughput(const json::object* given) {
  json::object out{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (given != nullptr) {
    if (auto r = Int(*given, "ReadCapacityUnits")) out["ReadCapacityUnits"] = *r;
    if (auto w = Int(*given, "WriteCapacityUnits")) out["WriteCapacityUnits"] = *w;
  }
  return out;
}

const json::object* ObjectOf(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

//! The indexes of CreateTable, checked and described.
Result<json::array> DescribeIndexes(const json::object& in, std::string_view member, const TableRef& ref,
                                    const json::array& table_schema, bool provisioned) {
  const bool global = member == "GlobalSecondaryIndexes";
  json::array out;
  std::set<std::string> names;
  for (const auto& v : ArrayOf(in, member)) {
    if (!v.is_object()) continue;
    const auto& index = v.get_object();
    const std::string name = Str(index, "IndexName");
    if (!names.insert(name).second) return ValidationException(std::string(kInvalid) + "Duplicate index name: " + name);
    const json::array& schema = ArrayOf(index, "KeySchema");
    if (auto s = CheckKeySchema(schema); !s) return s.error();
    if (!global) {
      if (table_schema.size() < 2) {
        return ValidationException(std::string(kInvalid) +
                                   "Table KeySchema does not have a range key, which is required when specifying a "
                                   "LocalSecondaryIndex");
      }
      const std::string index_hash = KeyNames(schema)[0];
      const std::string table_hash = KeyNames(table_schema)[0];
      if (index_hash != table_hash) {
        return ValidationException(std::string(kInvalid) +
                                   "Index KeySchema does not have the same leading hash key as table KeySchema for "
                                   "index: " +
                                   name + ". index hash key: " + index_hash + ", table hash key: " + table_hash);
      }
    }
    json::object d{{"IndexName", name}, {"KeySchema", schema}};
    if (const auto* p = ObjectOf(index, "Projection")) {
      d["Projection"] = *p;
    } else {
      d["Projection"] = json::object{{"ProjectionType", "ALL"}};
    }
    if (global) {
      d["IndexStatus"] = "ACTIVE";
      const auto* throughput = ObjectOf(index, "ProvisionedThroughput");
      if (provisioned && throughput == nullptr) {
        return ValidationException(std::string(kInvalid) +
                                   "ProvisionedThroughput must be specified for index: " + name);
      }
      if (!provisioned && throughput != nullptr) {
        return ValidationException(std::string(kInvalid) + "ProvisionedThroughput should not be specified for index: " +
                                   name + " when BillingMode is PAY_PER_REQUEST");
      }
      d["ProvisionedThroughput"] = Throughput(throughput);
      if (const auto* od = ObjectOf(index, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
    }
    d["IndexSizeBytes"] = 0;
    d["ItemCount"] = 0;
    d["IndexArn"] = ref.IndexArn(name);
    out.push_back(std::move(d));
  }
  return out;
}

//! AttributeDefinitions must define exactly the key attributes of the table and its indexes.
Status CheckDefinitions(const json::object& in, const json::array& table_schema) {
  std::vector<std::string> defined;
  for (const auto& d : ArrayOf(in, "AttributeDefinitions")) {
    if (!d.is_object()) continue;
    const std::string name = Str(d.get_object(), "AttributeName");
    if (std::find(defined.begin(), defined.end(), name) != defined.end()) {
      return ValidationException(std::string(kInvalid) + "Duplicate AttributeName in AttributeDefinitions: " + name);
    }
    defined.push_back(name);
  }
  std::vector<std::string> used = KeyNames(table_schema);
  const bool indexes = !ArrayOf(in, "LocalSecondaryIndexes").empty() || !ArrayOf(in, "GlobalSecondaryIndexes").empty();
  for (const auto* member : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    for (const auto& i : ArrayOf(in, member)) {
      if (!i.is_object()) continue;
      for (auto& n : KeyNames(ArrayOf(i.get_object(), "KeySchema"))) {
        if (std::find(used.begin(), used.end(), n) == used.end()) used.push_back(n);
      }
    }
  }
  std::vector<std::string> missing;
  for (const auto& n : used) {
    if (std::find(defined.begin(), defined.end(), n) == defined.end()) missing.push_back(n);
  }
  if (!missing.empty()) {
    if (!indexes && defined.size() < used.size()) {
      return ValidationException("Invalid KeySchema: Some index key attribute have no definition");
    }
    return ValidationException(std::string(kInvalid) +
                               "Some index key attributes are not defined in AttributeDefinitions. Keys: " +
                               ListText(missing) + ", AttributeDefinitions: " + ListText(defined));
  }
  if (defined.size() > used.size()) {
    if (indexes) {
      return ValidationException(std::string(kInvalid) +
                                 "Some AttributeDefinitions are not used. AttributeDefinitions: " + ListText(defined) +
                                 ", keys used: " + ListText(used));
    }
    return ValidationException(std::string(kInvalid) +
                               "Number of attributes in KeySchema does not exactly match number of attributes defined "
                               "in AttributeDefinitions");
  }
  return Ok{};
}

}  // namespace

json::object Describe(CallContext& ctx, const Table& table) {
  json::object out = table.doc;
  for (const auto* internal : {kTagsMember, kTimeToLiveMember}) out.erase(internal);
  // ItemCount and TableSizeBytes: AWS refreshes them about every six hours; xacct counts them now.
  auto items = ctx.identities.db().List(table.ref.scope(), table.ItemKind());
  if (!items) return out;
  int64_t count = 0;
  int64_t bytes = 0;
  std::vector<std::pair<int64_t, int64_t>> per_index(table.indexes.size());
  for (const auto& d : *items) {
    const Item item = ParseItem(d.body);
    const auto size = static_cast<int64_t>(ItemSize(item));
    ++count;
    bytes += size;
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const KeySchema& k = table.indexes[i].key;
      if (item.contains(k.hash.name) && (k.range.name.empty() || item.contains(k.range.name))) {
        ++per_index[i].first;
        per_index[i].second += size;
      }
    }
  }
  out["ItemCount"] = count;
  out["TableSizeBytes"] = bytes;
  for (const auto* member : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    auto* list = out.if_contains(member);
    if (list == nullptr || !list->is_array()) continue;
    for (auto& i : list->get_array()) {
      if (!i.is_object()) continue;
      for (size_t n = 0; n < table.indexes.size(); ++n) {
        if (table.indexes[n].name != Str(i.get_object(), "IndexName")) continue;
        i.get_object()["ItemCount"] = per_index[n].first;
        i.get_object()["IndexSizeBytes"] = per_index[n].second;
      }
    }
  }
  return out;
}

Result<json::object> CreateTable(CallContext& ctx, const json::object& in) {
  auto ref = ResolveTable(ctx, Str(in, "TableName"));
  if (!ref) return ref.error();
  // A table ARN names the table's region: this endpoint creates tables only in its own (another account's
  // ARN is authorized below, and refused there without a resource policy, which a new table cannot have).
  if (ref->region != ctx.request.region) {
    return ValidationException("Invalid TableArn: the ARN's region " + ref->region +
                               " is not the region of this request, " + ctx.request.region);
  }
  if (auto s = Authorize(ctx, *ref, nullptr, {.action = "dynamodb:CreateTable"}); !s) return s.error();
  const std::string billing = Str(in, "BillingMode").empty() ? "PROVISIONED" : Str(in, "BillingMode");
  const auto* throughput = ObjectOf(in, "ProvisionedThroughput");
  if (billing == "PAY_PER_REQUEST" && throughput != nullptr) {
    return ValidationException(std::string(kInvalid) +
                               "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
                               "PAY_PER_REQUEST");
  }
  if (billing == "PROVISIONED" && throughput == nullptr) {
    return ValidationException(std::string(kInvalid) +
                               "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
                               "PROVISIONED");
  }
  const json::array& schema = ArrayOf(in, "KeySchema");
  if (auto s = CheckKeySchema(schema); !s) return s.error();
  for (const auto* member : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (const auto* v = in.if_contains(member); v != nullptr && v->is_array() && v->get_array().empty()) {
      return ValidationException(std::string(kInvalid) + "List of " + member + " is empty");
    }
  }
  if (auto s = CheckDefinitions(in, schema); !s) return s.error();
  auto lsis = DescribeIndexes(in, "LocalSecondaryIndexes", *ref, schema, billing == "PROVISIONED");
  if (!lsis) return lsis.error();
  auto gsis = DescribeIndexes(in, "GlobalSecondaryIndexes", *ref, schema, billing == "PROVISIONED");
  if (!gsis) return gsis.error();
  std::optional<std::string> policy_text;
  if (const auto* p = in.if_contains("ResourcePolicy"); p != nullptr && p->is_string()) {
    auto checked = CheckPolicyText(JsonString(*p));
    if (!checked) return checked.error();
    policy_text = std::string(JsonString(*p));
  }

  const double now = static_cast<double>(ctx.request.now);
  json::object d{{"AttributeDefinitions", ArrayOf(in, "AttributeDefinitions")},
                 {"TableName", ref->name},
                 {"KeySchema", schema},
                 {"TableStatus", "ACTIVE"},
                 {"CreationDateTime", now},
                 {"ProvisionedThroughput", Throughput(throughput)},
                 {"TableSizeBytes", 0},
                 {"ItemCount", 0},
                 {"TableArn", ref->Arn()},
                 {"TableId", NewUuid()}};
  if (billing == "PAY_PER_REQUEST" || in.contains("BillingMode")) {
    json::object summary{{"BillingMode", billing}};
    if (billing == "PAY_PER_REQUEST") summary["LastUpdateToPayPerRequestDateTime"] = now;
    d["BillingModeSummary"] = std::move(summary);
  }
  if (!lsis->empty()) d["LocalSecondaryIndexes"] = std::move(*lsis);
  if (!gsis->empty()) d["GlobalSecondaryIndexes"] = std::move(*gsis);
  if (const auto* stream = ObjectOf(in, "StreamSpecification")) SetStream(d, *stream, ctx.request.now);
  if (const auto* sse = ObjectOf(in, "SSESpecification"); sse != nullptr && (*sse).contains("Enabled") &&
                                                          (*sse).at("Enabled").is_bool() &&
                                                          (*sse).at("Enabled").as_bool()) {
    d["SSEDescription"] = json::object{{"Status", "ENABLED"}, {"SSEType", "KMS"}};
  }
  if (in.contains("TableClass")) {
    d["TableClassSummary"] = json::object{{"TableClass", Str(in, "TableClass")}};
  }
  const auto* protection = in.if_contains("DeletionProtectionEnabled");
  d["DeletionProtectionEnabled"] = protection != nullptr && protection->is_bool() && protection->as_bool();
  if (const auto* od = ObjectOf(in, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
  d[kTagsMember] = ArrayOf(in, "Tags");

  bool exists = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto current = tx.Get(ref->scope(), kTableKind, ref->name);
    if (!current) return current.error();
    exists = current->has_value();
    if (exists) return Ok{};
    if (auto p = tx.Put(ref->scope(), kTableKind, ref->name, json::serialize(d)); !p) return p;
    if (!policy_text) return Ok{};
    auto revision = PutPolicyRecord(tx, *ref, *policy_text, ctx.request.now);
    if (!revision) return revision.error();
    return Ok{};
  });
  if (!s) return s.error();
  if (exists) return ResourceInUse("Table already exists: " + ref->name);
  for (const auto* internal : {kTagsMember, kTimeToLiveMember}) d.erase(internal);
  d["TableStatus"] = "ACTIVE";
  return json::object{{"TableDescription", std::move(d)}};
}

Result<json::object> DescribeTable(CallContext& ctx, const json::object& in) {
  auto table = OpenTable(ctx, Str(in, "TableName"), {.action = "dynamodb:DescribeTable"}, true);
  if (!table) return table.error();
  return json::object{{"Table", Describe(ctx, *table)}};
}

Result<json::object> ListTables(CallContext& ctx, const json::object& in) {
  // ListTables has no resource type: it is authorized on "*" (Service Authorization Reference).
  authz::Check check{.action = "dynamodb:ListTables", .resource = "*", .resource_account = ctx.caller.account};
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  if (auto s = ctx.Authorize(check); !s) return s.error();
  auto docs = ctx.identities.db().List(store::Scope{ctx.caller.account, ctx.request.region}, kTableKind);
  if (!docs) return docs.error();
  const std::string start = Str(in, "ExclusiveStartTableName");
  const size_t limit = static_cast<size_t>(std::clamp<int64_t>(Int(in, "Limit").value_or(100), 1, 100));
  json::array names;
  std::string last;
  for (const auto& d : *docs) {
    if (!start.empty() && d.id <= start) continue;
    if (names.size() == limit) {
      last = std::string(JsonString(names.back()));
      break;
    }
    names.emplace_back(d.id);
  }
  json::object out{{"TableNames", std::move(names)}};
  if (!last.empty()) out["LastEvaluatedTableName"] = last;
  return out;
}

Result<json::object> DeleteTable(CallContext& ctx, const json::object& in) {
  auto table = OpenTable(ctx, Str(in, "TableName"), {.action = "dynamodb:DeleteTable"}, true);
  if (!table) return table.error();
  if (const auto* p = table->doc.if_contains("DeletionProtectionEnabled");
      p != nullptr && p->is_bool() && p->as_bool()) {
    return ValidationException(
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection "
        "first.");
  }
  json::object description = Describe(ctx, *table);
  bool gone = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto current = tx.Get(table->ref.scope(), kTableKind, table->ref.name);
    if (!current) return current.error();
    gone = !current->has_value();
    if (gone) return Ok{};
    auto items = tx.List(table->ref.scope(), table->ItemKind());
    if (!items) return items.error();
    for (const auto& d : *items) {
      if (auto r = tx.Delete(table->ref.scope(), table->ItemKind(), d.id); !r) return r;
    }
    if (auto r = tx.Delete(table->ref.scope(), kPolicyKind, table->ref.name); !r) return r;
    return tx.Delete(table->ref.scope(), kTableKind, table->ref.name);
  });
  if (!s) return s.error();
  if (gone) return TableNotFound(table->ref.name);
  description["TableStatus"] = "DELETING";
  return json::object{{"TableDescription", std::move(description)}};
}

Result<json::object> DescribeLimits(CallContext& ctx, const json::object&) {
  authz::Check check{.action = "dynamodb:DescribeLimits", .resource = "*", .resource_account = ctx.caller.account};
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  if (auto s = ctx.Authorize(check); !s) return s.error();
  // The default quotas (Developer Guide, "Service, account, and table quotas in Amazon DynamoDB").
  return json::object{{"AccountMaxReadCapacityUnits", 80000},
                      {"AccountMaxWriteCapacityUnits", 80000},
                      {"TableMaxReadCapacityUnits", 40000},
                      {"TableMaxWriteCapacityUnits", 40000}};
}

void SetStream(json::object& d, const json::object& spec, int64_t now) {
  const auto* enabled = spec.if_contains("StreamEnabled");
  if (enabled != nullptr && enabled->is_bool() && enabled->as_bool()) {
    d["StreamSpecification"] = spec;
    // The label is the stream's creation time, as DynamoDB Streams forms it (ISO 8601, milliseconds).
    char label[32];
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(label, sizeof label, "%Y-%m-%dT%H:%M:%S.000", &tm);
    d["LatestStreamLabel"] = label;
    d["LatestStreamArn"] = Str(d, "TableArn") + "/stream/" + label;
  } else {
    d["StreamSpecification"] = json::object{{"StreamEnabled", false}};
    d.erase("LatestStreamLabel");
    d.erase("LatestStreamArn");
  }
}

}  // namespace xacct::services::dynamodb
