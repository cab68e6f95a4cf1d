// A table's settings after creation (API Reference: UpdateTable, DescribeTimeToLive, UpdateTimeToLive,
// TagResource, UntagResource, ListTagsOfResource). UpdateTable changes the billing mode, provisioned
// throughput, deletion protection, table class and stream specification, and creates or deletes global
// secondary indexes (ACTIVE at once). Time to live is stored and described; xacct does not expire items.
#include <algorithm>

#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

const json::object* ObjectOf(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

//! Rewrites the stored table document in one transaction; `change` may refuse with an error.
Result<json::object> ChangeTable(CallContext& ctx, const Table& table,
                                 const std::function<Status(json::object&)>& change) {
  std::optional<AwsError> refused;
  json::object updated;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    refused.reset();
    auto text = tx.Get(table.ref.scope(), kTableKind, table.ref.name);
    if (!text) return text.error();
    if (!*text) {
      refused = TableNotFound(table.ref.name);
      return Ok{};
    }
    auto doc = ParseJson(**text);
    if (!doc || !doc->is_object()) return AwsError::Server("InternalServerError", "corrupt table record");
    updated = std::move(doc->as_object());
    if (auto c = change(updated); !c) {
      refused = c.error();
      return Ok{};
    }
    return tx.Put(table.ref.scope(), kTableKind, table.ref.name, json::serialize(updated));
  });
  if (!s) return s.error();
  if (refused) return *refused;
  return updated;
}

//! The table a tagging call names by ARN, authorized.
Result<Table> TaggedTable(CallContext& ctx, const json::object& in, std::string_view action) {
  const std::string arn = Str(in, "ResourceArn");
  if (!arn.starts_with("arn:")) {
    return ValidationException("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  }
  TableRef ref;
  auto table = FindTable(ctx, arn, &ref);
  if (!table) return table.error();
  if (auto s = Authorize(ctx, ref, *table ? (*table)->policy : nullptr, {.action = std::string(action)}); !s) {
    return s.error();
  }
  // AWS's wording, misspelling included.
  if (!*table) return ResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
  return std::move(**table);
}

Status UpdateThroughput(json::object& d, const json::object& requested, int64_t now) {
  auto& current = d["ProvisionedThroughput"].as_object();
  const int64_t read = Int(current, "ReadCapacityUnits").value_or(0);
  const int64_t write = Int(current, "WriteCapacityUnits").value_or(0);
  const int64_t new_read = Int(requested, "ReadCapacityUnits").value_or(read);
  const int64_t new_write = Int(requested, "WriteCapacityUnits").value_or(write);
  if (new_read == read && new_write == write) {
    return ValidationException(
        "The provisioned throughput for the table will not change. The requested value equals the current value. "
        "Current ReadCapacityUnits provisioned for the table: " +
        std::to_string(read) + ". Requested ReadCapacityUnits: " + std::to_string(new_read) +
        ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(write) +
        ". Requested WriteCapacityUnits: " + std::to_string(new_write) +
        ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
  }
  if (new_read > read || new_write > write) current["LastIncreaseDateTime"] = static_cast<double>(now);
  if (new_read < read || new_write < write) {
    current["LastDecreaseDateTime"] = static_cast<double>(now);
    current["NumberOfDecreasesToday"] = Int(current, "NumberOfDecreasesToday").value_or(0) + 1;
  }
  current["ReadCapacityUnits"] = new_read;
  current["WriteCapacityUnits"] = new_write;
  return Ok{};
}

//! GlobalSecondaryIndexUpdates: Create (with the new key attributes in AttributeDefinitions) and Delete.
Status UpdateIndexes(json::object& d, const json::object& in, const TableRef& ref) {
  const auto* updates = in.if_contains("GlobalSecondaryIndexUpdates");
  if (updates == nullptr || !updates->is_array()) return Ok{};
  if (!d.contains("GlobalSecondaryIndexes")) d["GlobalSecondaryIndexes"] = json::array{};
  auto& indexes = d["GlobalSecondaryIndexes"].as_array();
  auto& definitions = d["AttributeDefinitions"].as_array();
  const bool provisioned =
      !d.contains("BillingModeSummary") || Str(d["BillingModeSummary"].as_object(), "BillingMode") != "PAY_PER_REQUEST";
  auto find = [&](const std::string& name) {
    return std::find_if(indexes.begin(), indexes.end(),
                        [&](const json::value& i) { return Str(i.as_object(), "IndexName") == name; });
  };
  for (const auto& u : updates->get_array()) {
    if (!u.is_object()) continue;
    if (const auto* create = ObjectOf(u.get_object(), "Create")) {
      const std::string name = Str(*create, "IndexName");
      if (find(name) != indexes.end()) {
        return ValidationException(std::string(kInvalid) + "Index already exists: " + name);
      }
      const auto* schema = create->if_contains("KeySchema");
      for (const auto& k : schema != nullptr && schema->is_array() ? schema->get_array() : json::array{}) {
        const std::string attr = Str(k.as_object(), "AttributeName");
        auto defined = [&](const json::array& list) {
          return std::any_of(list.begin(), list.end(),
                             [&](const json::value& x) { return Str(x.as_object(), "AttributeName") == attr; });
        };
        if (defined(definitions)) continue;
        const auto* given = in.if_contains("AttributeDefinitions");
        if (given == nullptr || !given->is_array() || !defined(given->get_array())) {
          return ValidationException(std::string(kInvalid) +
                                     "Global Secondary Index hash key not specified in Attribute Definitions." +
                                     "Type unknown.");
        }
        for (const auto& x : given->get_array()) {
          if (Str(x.as_object(), "AttributeName") == attr) definitions.push_back(x);
        }
      }
      const auto* throughput = ObjectOf(*create, "ProvisionedThroughput");
      if (provisioned && throughput == nullptr) {
        return ValidationException(std::string(kInvalid) +
                                   "ProvisionedThroughput must be specified for index: " + name);
      }
      json::object index{
          {"IndexName", name},
          {"KeySchema", schema != nullptr ? *schema : json::array{}},
          {"Projection",
           create->contains("Projection") ? create->at("Projection") : json::object{{"ProjectionType", "ALL"}}},
          {"IndexStatus", "ACTIVE"},
          {"ProvisionedThroughput",
           json::object{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}}},
          {"IndexSizeBytes", 0},
          {"ItemCount", 0},
          {"IndexArn", ref.IndexArn(name)}};
      if (throughput != nullptr) {
        auto& t = index["ProvisionedThroughput"].as_object();
        t["ReadCapacityUnits"] = Int(*throughput, "ReadCapacityUnits").value_or(0);
        t["WriteCapacityUnits"] = Int(*throughput, "WriteCapacityUnits").value_or(0);
      }
      indexes.push_back(std::move(index));
    } else if (const auto* del = ObjectOf(u.get_object(), "Delete")) {
      const std::string name = Str(*del, "IndexName");
      auto it = find(name);
      if (it == indexes.end()) return ResourceNotFound("Requested resource not found: Index: " + name + " not found");
      indexes.erase(it);
    } else if (const auto* update = ObjectOf(u.get_object(), "Update")) {
      auto it = find(Str(*update, "IndexName"));
      if (it == indexes.end()) {
        return ResourceNotFound("Requested resource not found: Index: " + Str(*update, "IndexName") + " not found");
      }
      if (const auto* t = ObjectOf(*update, "ProvisionedThroughput")) {
        auto& current = it->as_object()["ProvisionedThroughput"].as_object();
        current["ReadCapacityUnits"] = Int(*t, "ReadCapacityUnits").value_or(0);
        current["WriteCapacityUnits"] = Int(*t, "WriteCapacityUnits").value_or(0);
      }
    }
  }
  // Attribute definitions only the deleted indexes used go with them.
  std::vector<std::string> used;
  for (const auto* member : {"KeySchema"}) {
    for (const auto& k : d[member].as_array()) used.push_back(Str(k.as_object(), "AttributeName"));
  }
  for (const auto* member : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (!d.contains(member)) continue;
    for (const auto& i : d[member].as_array()) {
      for (const auto& k : i.as_object().at("KeySchema").as_array())
        used.push_back(Str(k.as_object(), "AttributeName"));
    }
  }
  EraseIf(definitions, [&](const json::value& x) {
    return std::find(used.begin(), used.end(), Str(x.as_object(), "AttributeName")) == used.end();
  });
  // Last: erasing a member moves another into its place, which would leave `definitions` dangling.
  if (indexes.empty()) d.erase("GlobalSecondaryIndexes");
  return Ok{};
}

}  // namespace

Result<json::object> UpdateTable(CallContext& ctx, const json::object& in) {
  auto table = OpenTable(ctx, Str(in, "TableName"), {.action = "dynamodb:UpdateTable"}, true);
  if (!table) return table.error();
  bool any = false;
  for (const auto* member :
       {"BillingMode", "ProvisionedThroughput", "DeletionProtectionEnabled", "TableClass", "StreamSpecification",
        "GlobalSecondaryIndexUpdates", "SSESpecification", "OnDemandThroughput", "ReplicaUpdates"}) {
    any = any || in.contains(member);
  }
  if (!any) {
    return ValidationException(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
        "SSESpecification or ReplicaUpdates is required");
  }
  if (in.contains("ReplicaUpdates")) {
    return ValidationException(
        "xacct does not serve global tables: ReplicaUpdates is not supported (see docs/dynamodb.md)");
  }
  const int64_t now = ctx.request.now;
  auto updated = ChangeTable(ctx, *table, [&](json::object& d) -> Status {
    std::string billing = "PROVISIONED";
    if (const auto* summary = ObjectOf(d, "BillingModeSummary")) billing = Str(*summary, "BillingMode");
    const std::string requested = Str(in, "BillingMode");
    const auto* throughput = ObjectOf(in, "ProvisionedThroughput");
    if (!requested.empty() && requested != billing) {
      if (requested == "PROVISIONED" && throughput == nullptr) {
        return ValidationException(std::string(kInvalid) +
                                   "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
      }
      json::object summary{{"BillingMode", requested}};
      if (requested == "PAY_PER_REQUEST") {
        summary["LastUpdateToPayPerRequestDateTime"] = static_cast<double>(now);
        d["ProvisionedThroughput"] =
            json::object{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
      }
      d["BillingModeSummary"] = std::move(summary);
      billing = requested;
    }
    if (throughput != nullptr) {
      if (billing == "PAY_PER_REQUEST") {
        return ValidationException(std::string(kInvalid) +
                                   "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                                   "BillingMode is PAY_PER_REQUEST");
      }
      if (auto s = UpdateThroughput(d, *throughput, now); !s) return s;
    }
    if (const auto* p = in.if_contains("DeletionProtectionEnabled"); p != nullptr && p->is_bool()) {
      d["DeletionProtectionEnabled"] = p->as_bool();
    }
    if (in.contains("TableClass")) {
      d["TableClassSummary"] =
          json::object{{"TableClass", Str(in, "TableClass")}, {"LastUpdateDateTime", static_cast<double>(now)}};
    }
    if (const auto* stream = ObjectOf(in, "StreamSpecification")) {
      const auto* current = ObjectOf(d, "StreamSpecification");
      const bool enabled = current != nullptr && current->contains("StreamEnabled") &&
                           current->at("StreamEnabled").is_bool() && current->at("StreamEnabled").as_bool();
      const auto* want = stream->if_contains("StreamEnabled");
      if (enabled && want != nullptr && want->is_bool() && want->as_bool()) {
        return ResourceInUse("Table already has an enabled stream: " + table->ref.Arn());
      }
      SetStream(d, *stream, now);
    }
    if (const auto* od = ObjectOf(in, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
    return UpdateIndexes(d, in, table->ref);
  });
  if (!updated) return updated.error();
  auto reloaded = TableFromDoc(table->ref, std::move(*updated));
  if (!reloaded) return reloaded.error();
  reloaded->policy = table->policy;
  json::object description = Describe(ctx, *reloaded);
  description["TableStatus"] = "UPDATING";
  return json::object{{"TableDescription", std::move(description)}};
}

Result<json::object> DescribeTimeToLive(CallContext& ctx, const json::object& in) {
  auto table = OpenTable(ctx, Str(in, "TableName"), {.action = "dynamodb:DescribeTimeToLive"}, true);
  if (!table) return table.error();
  json::object description{{"TimeToLiveStatus", "DISABLED"}};
  if (const auto* ttl = ObjectOf(table->doc, kTimeToLiveMember)) description = *ttl;
  return json::object{{"TimeToLiveDescription", std::move(description)}};
}

Result<json::object> UpdateTimeToLive(CallContext& ctx, const json::object& in) {
  auto table = OpenTable(ctx, Str(in, "TableName"), {.action = "dynamodb:UpdateTimeToLive"}, true);
  if (!table) return table.error();
  const auto* spec = ObjectOf(in, "TimeToLiveSpecification");
  if (spec == nullptr) return ValidationException("TimeToLiveSpecification is required");
  const auto* enabled_value = spec->if_contains("Enabled");
  const bool enabled = enabled_value != nullptr && enabled_value->is_bool() && enabled_value->as_bool();
  const std::string attribute = Str(*spec, "AttributeName");
  auto updated = ChangeTable(ctx, *table, [&](json::object& d) -> Status {
    const auto* current = ObjectOf(d, kTimeToLiveMember);
    const bool on = current != nullptr && Str(*current, "TimeToLiveStatus") == "ENABLED";
    if (enabled && on) return ValidationException("TimeToLive is already enabled");
    if (!enabled && !on) return ValidationException("TimeToLive is already disabled");
    if (!enabled && Str(*current, "AttributeName") != attribute) {
      return ValidationException("TimeToLive is active on a different AttributeName: current AttributeName is " +
                                 Str(*current, "AttributeName"));
    }
    if (enabled) {
      d[kTimeToLiveMember] = json::object{{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", attribute}};
    } else {
      d.erase(kTimeToLiveMember);
    }
    return Ok{};
  });
  if (!updated) return updated.error();
  return json::object{{"TimeToLiveSpecification", *spec}};
}

Result<json::object> TagResource(CallContext& ctx, const json::object& in) {
  auto table = TaggedTable(ctx, in, "dynamodb:TagResource");
  if (!table) return table.error();
  const auto* tags = in.if_contains("Tags");
  auto updated = ChangeTable(ctx, *table, [&](json::object& d) -> Status {
    if (!d.contains(kTagsMember) || !d[kTagsMember].is_array()) d[kTagsMember] = json::array{};
    auto& current = d[kTagsMember].as_array();
    for (const auto& t : tags != nullptr && tags->is_array() ? tags->get_array() : json::array{}) {
      const std::string key = Str(t.as_object(), "Key");
      EraseIf(current, [&](const json::value& x) { return Str(x.as_object(), "Key") == key; });
      current.push_back(t);
    }
    // Tagging quotas (Developer Guide, "Tagging restrictions in DynamoDB"): at most 50 tags a resource.
    if (current.size() > 50) {
      return AwsError::Client("LimitExceededException", "The number of tags on the resource exceeds 50");
    }
    return Ok{};
  });
  if (!updated) return updated.error();
  return json::object{};
}

Result<json::object> UntagResource(CallContext& ctx, const json::object& in) {
  auto table = TaggedTable(ctx, in, "dynamodb:UntagResource");
  if (!table) return table.error();
  const std::vector<std::string> keys = JsonStrings(in.if_contains("TagKeys"));
  auto updated = ChangeTable(ctx, *table, [&](json::object& d) -> Status {
    if (!d.contains(kTagsMember) || !d[kTagsMember].is_array()) return Ok{};
    EraseIf(d[kTagsMember].as_array(), [&](const json::value& x) {
      return std::find(keys.begin(), keys.end(), Str(x.as_object(), "Key")) != keys.end();
    });
    return Ok{};
  });
  if (!updated) return updated.error();
  return json::object{};
}

Result<json::object> ListTagsOfResource(CallContext& ctx, const json::object& in) {
  auto table = TaggedTable(ctx, in, "dynamodb:ListTagsOfResource");
  if (!table) return table.error();
  json::array tags;
  if (const auto* t = table->doc.if_contains(kTagsMember); t != nullptr && t->is_array()) tags = t->get_array();
  return json::object{{"Tags", std::move(tags)}};
}

}  // namespace xacct::services::dynamodb
