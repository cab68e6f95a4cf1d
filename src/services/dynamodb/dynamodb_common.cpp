// Shared parts of the DynamoDB provider (see dynamodb_internal.h): tables by name or ARN, authorization with
// the table's resource policy and DynamoDB's condition keys, errors, keys, items in the store, expression
// inputs and consumed capacity.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/arn.h"
#include "protocol/values.h"
#include "services/dynamodb/dynamodb_internal.h"

namespace xacct::services::dynamodb {

namespace {

AwsError Internal(const std::string& what) { return AwsError::Server("InternalServerError", what); }

std::string_view Scalar(const json::value& v) {
  if (!v.is_object() || v.get_object().size() != 1) return {};
  const auto& [type, inner] = *v.get_object().begin();
  return inner.is_string() ? JsonString(inner) : std::string_view{};
}

//! "A is null", "A and B are null", "A, B and C are null".
std::string AreNull(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out + (names.size() == 1 ? " is null" : " are null");
}

KeySchema SchemaOf(const json::value* key_schema, const json::value* definitions) {
  KeySchema out;
  auto type_of = [&](const std::string& name) {
    if (definitions != nullptr && definitions->is_array()) {
      for (const auto& d : definitions->get_array()) {
        if (d.is_object() && Str(d.get_object(), "AttributeName") == name) return Str(d.get_object(), "AttributeType");
      }
    }
    return std::string();
  };
  if (key_schema == nullptr || !key_schema->is_array()) return out;
  for (const auto& k : key_schema->get_array()) {
    if (!k.is_object()) continue;
    const std::string name = Str(k.get_object(), "AttributeName");
    KeyAttr attr{name, type_of(name)};
    if (Str(k.get_object(), "KeyType") == "HASH") {
      out.hash = std::move(attr);
    } else {
      out.range = std::move(attr);
    }
  }
  return out;
}

}  // namespace

const IndexInfo* Table::FindIndex(std::string_view name) const {
  for (const auto& i : indexes) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

Result<TableRef> ResolveTable(const CallContext& ctx, std::string_view name_or_arn) {
  if (!name_or_arn.starts_with("arn:")) {
    // The service model checks names too while its TableName shape has the pattern; AWS's current model
    // lets TableName carry an ARN (up to 1024 characters), and DynamoDB itself refuses a bad name so.
    const bool valid = name_or_arn.size() >= 3 && name_or_arn.size() <= 255 &&
                       std::all_of(name_or_arn.begin(), name_or_arn.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
                       });
    if (!valid) {
      return ValidationException(
          "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain "
          "only the characters a-z, A-Z, 0-9, '_', '-', and '.'");
    }
    return TableRef{std::string(name_or_arn), ctx.caller.account, ctx.request.region};
  }
  // A table of any account by its ARN (API Reference, "TableName": "You can also provide the Amazon
  // Resource Name (ARN) of the table in this parameter").
  const auto arn = ArnView::Parse(name_or_arn);
  const std::string_view prefix = "table/";
  if (!arn || arn->service != "dynamodb" || !IsAccountId(arn->account) || !arn->resource.starts_with(prefix) ||
      arn->resource.size() == prefix.size() || arn->resource.find('/', prefix.size()) != std::string_view::npos) {
    return ValidationException("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(name_or_arn));
  }
  return TableRef{std::string(arn->resource.substr(prefix.size())), std::string(arn->account),
                  std::string(arn->region)};
}

Result<Table> TableFromDoc(const TableRef& ref, json::object doc) {
  Table t;
  t.ref = ref;
  t.id = Str(doc, "TableId");
  const json::value* defs = doc.if_contains("AttributeDefinitions");
  t.key = SchemaOf(doc.if_contains("KeySchema"), defs);
  for (const auto* member : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    const auto* list = doc.if_contains(member);
    if (list == nullptr || !list->is_array()) continue;
    for (const auto& i : list->get_array()) {
      if (!i.is_object()) continue;
      const auto& o = i.get_object();
      IndexInfo info{Str(o, "IndexName"),
                     std::string_view(member).starts_with("Global"),
                     SchemaOf(o.if_contains("KeySchema"), defs),
                     "ALL",
                     {}};
      if (const auto* p = o.if_contains("Projection"); p != nullptr && p->is_object()) {
        info.projection = Str(p->get_object(), "ProjectionType");
        info.non_key = JsonStrings(p->get_object().if_contains("NonKeyAttributes"));
      }
      t.indexes.push_back(std::move(info));
    }
  }
  t.doc = std::move(doc);
  if (t.id.empty() || t.key.hash.name.empty()) return Internal("corrupt table record");
  return t;
}

Result<std::optional<Table>> LoadTable(CallContext& ctx, const TableRef& ref) {
  auto text = ctx.identities.db().Get(ref.scope(), kTableKind, ref.name);
  if (!text) return text.error();
  if (!*text) return std::optional<Table>();
  auto parsed = ParseJson(**text);
  if (!parsed || !parsed->is_object()) return Internal("corrupt table record");
  auto table = TableFromDoc(ref, std::move(parsed->as_object()));
  if (!table) return table.error();
  auto policy_text = ctx.identities.db().Get(ref.scope(), kPolicyKind, ref.name);
  if (!policy_text) return policy_text.error();
  if (*policy_text) {
    auto doc = ParseJson(**policy_text);
    if (!doc || !doc->is_object()) return Internal("corrupt resource policy record");
    auto compiled = ctx.identities.Compile(Str(doc->as_object(), "Policy"), policy::PolicyKind::kResource,
                                           "DynamoDB resource policy of " + ref.Arn());
    if (!compiled) return compiled.error();
    table->policy = std::move(*compiled);
  }
  return std::optional<Table>(std::move(*table));
}

Status Authorize(CallContext& ctx, const TableRef& ref, const std::shared_ptr<const policy::Policy>& policy,
                 const Access& access) {
  authz::Check check{.action = access.action,
                     .resource = access.index.empty() ? ref.Arn() : ref.IndexArn(access.index),
                     .resource_account = ref.account,
                     .resource_policy = policy};
  // DynamoDB's denial: HTTP 400 AccessDeniedException "User: ... is not authorized to perform:
  // dynamodb:GetItem on resource: ... because no identity-based policy allows the dynamodb:GetItem action".
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  if (!access.leading_keys.empty()) check.multi_context.emplace_back("dynamodb:LeadingKeys", access.leading_keys);
  if (access.attributes) check.multi_context.emplace_back("dynamodb:Attributes", *access.attributes);
  if (!access.select.empty()) check.context.emplace_back("dynamodb:Select", access.select);
  if (!access.return_values.empty()) check.context.emplace_back("dynamodb:ReturnValues", access.return_values);
  if (!access.return_consumed_capacity.empty()) {
    check.context.emplace_back("dynamodb:ReturnConsumedCapacity", access.return_consumed_capacity);
  }
  return ctx.Authorize(check);
}

Result<std::optional<Table>> FindTable(CallContext& ctx, std::string_view name_or_arn, TableRef* ref) {
  auto resolved = ResolveTable(ctx, name_or_arn);
  if (!resolved) return resolved.error();
  *ref = std::move(*resolved);
  // Tables are regional: an ARN of another region names nothing this endpoint holds.
  if (ref->region != ctx.request.region) return std::optional<Table>();
  return LoadTable(ctx, *ref);
}

Result<Table> RequireAuthorized(CallContext& ctx, const TableRef& ref, std::optional<Table> table, const Access& access,
                                bool table_message) {
  if (auto s = Authorize(ctx, ref, table ? table->policy : nullptr, access); !s) return s.error();
  if (!table) return table_message ? TableNotFound(ref.name) : ResourceNotFound();
  return std::move(*table);
}

Result<Table> OpenTable(CallContext& ctx, std::string_view name_or_arn, const Access& access, bool table_message) {
  TableRef ref;
  auto table = FindTable(ctx, name_or_arn, &ref);
  if (!table) return table.error();
  return RequireAuthorized(ctx, ref, std::move(*table), access, table_message);
}

AwsError ResourceNotFound(const std::string& message) { return AwsError::Client("ResourceNotFoundException", message); }

AwsError TableNotFound(const std::string& name) {
  return ResourceNotFound("Requested resource not found: Table: " + name + " not found");
}

AwsError ResourceInUse(const std::string& message) { return AwsError::Client("ResourceInUseException", message); }

AwsError ConditionalCheckFailed(const Item* old_item) {
  AwsError e = AwsError::Client("ConditionalCheckFailedException", "The conditional request failed");
  // The item as the wire carries it (binary values base64, as stored); protocol/json_protocol.cpp puts a
  // JSON-valued field into the error body as JSON.
  if (old_item != nullptr) e.fields.emplace_back("Item", json::serialize(*old_item));
  return e;
}

AwsError LegacyParameter(std::string_view parameter, std::string_view instead) {
  return ValidationException("xacct does not support the legacy parameter " + std::string(parameter) + "; use " +
                             std::string(instead) + " instead (see docs/dynamodb.md)");
}

json::value InboundValue(const json::value& v) {
  if (!v.is_object()) return v;
  json::object out;
  for (const auto& [type, inner] : v.get_object()) {
    if (type == "B" && inner.is_string()) {
      out[type] = protocol::Base64Encode(JsonString(inner));
    } else if ((type == "BS" || type == "L") && inner.is_array()) {
      json::array list;
      for (const auto& x : inner.get_array()) {
        list.push_back(type == "BS" && x.is_string() ? json::value(protocol::Base64Encode(JsonString(x)))
                                                     : InboundValue(x));
      }
      out[type] = std::move(list);
    } else if (type == "M" && inner.is_object()) {
      json::object map;
      for (const auto& [name, x] : inner.get_object()) map[name] = InboundValue(x);
      out[type] = std::move(map);
    } else {
      out[type] = inner;
    }
  }
  return out;
}

Item InboundValues(const json::value* v) {
  Item out;
  if (v == nullptr || !v->is_object()) return out;
  for (const auto& [name, x] : v->get_object()) out[name] = InboundValue(x);
  return out;
}

namespace {

json::value OutboundValue(const json::value& v) {
  if (!v.is_object()) return v;
  auto bytes = [](const json::value& x) -> json::value {
    if (!x.is_string()) return x;
    auto decoded = protocol::Base64Decode(JsonString(x));
    return decoded ? json::value(*decoded) : x;
  };
  json::object out;
  for (const auto& [type, inner] : v.get_object()) {
    if (type == "B") {
      out[type] = bytes(inner);
    } else if ((type == "BS" || type == "L") && inner.is_array()) {
      json::array list;
      for (const auto& x : inner.get_array()) list.push_back(type == "BS" ? bytes(x) : OutboundValue(x));
      out[type] = std::move(list);
    } else if (type == "M" && inner.is_object()) {
      json::object map;
      for (const auto& [name, x] : inner.get_object()) map[name] = OutboundValue(x);
      out[type] = std::move(map);
    } else {
      out[type] = inner;
    }
  }
  return out;
}

}  // namespace

json::object OutboundItem(const Item& item) {
  json::object out;
  for (const auto& [name, v] : item) out[name] = OutboundValue(v);
  return out;
}

namespace {

//! DynamoDB's message for an empty key value (PutItem and the Key of reads and writes alike).
AwsError EmptyKey(const std::string& name, std::string_view type) {
  return ValidationException(
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
      std::string(type == "B" ? "binary" : "string") + " value. Key: " + name);
}

bool IsEmptyScalar(const json::value& v) {
  const std::string_view type = TypeOf(v);
  return (type == "S" || type == "B") && Scalar(v).empty();
}

}  // namespace

Result<Item> CheckKey(const Item& key, const KeySchema& schema) {
  Item out = key;
  if (auto s = NormalizeItem(out); !s) return s.error();
  const size_t expected = schema.range.name.empty() ? 1 : 2;
  if (out.size() != expected) return ValidationException("The provided key element does not match the schema");
  for (const KeyAttr* attr : {&schema.hash, &schema.range}) {
    if (attr->name.empty()) continue;
    const auto* v = out.if_contains(attr->name);
    if (v == nullptr || TypeOf(*v) != attr->type) {
      return ValidationException("The provided key element does not match the schema");
    }
    if (IsEmptyScalar(*v)) return EmptyKey(attr->name, attr->type);
  }
  return out;
}

Status CheckItemKey(const Item& item, const KeySchema& schema) {
  for (const KeyAttr* attr : {&schema.hash, &schema.range}) {
    if (attr->name.empty()) continue;
    const auto* v = item.if_contains(attr->name);
    if (v == nullptr) {
      return ValidationException("One or more parameter values were invalid: Missing the key " + attr->name +
                                 " in the item");
    }
    if (TypeOf(*v) != attr->type) {
      return ValidationException("One or more parameter values were invalid: Type mismatch for key " + attr->name +
                                 " expected: " + attr->type + " actual: " + std::string(TypeOf(*v)));
    }
    if (IsEmptyScalar(*v)) return EmptyKey(attr->name, attr->type);
  }
  return Ok{};
}

std::string ItemId(const Item& item, const KeySchema& schema) {
  std::string id;
  if (const auto* h = item.if_contains(schema.hash.name)) id = EncodeKeyValue(*h);
  if (!schema.range.name.empty()) {
    if (const auto* r = item.if_contains(schema.range.name)) id += EncodeKeyValue(*r);
  }
  return id;
}

Item KeyOf(const Item& item, const KeySchema& schema) {
  Item key;
  for (const KeyAttr* attr : {&schema.hash, &schema.range}) {
    if (attr->name.empty()) continue;
    if (const auto* v = item.if_contains(attr->name)) key[attr->name] = *v;
  }
  return key;
}

std::string KeyText(const json::value& value) { return std::string(Scalar(value)); }

Item ParseItem(const std::string& body) {
  // A stored item nests up to kMaxNestingLevels documents, two JSON levels each (an M value is {"M": {...}}):
  // deeper than the 32 JSON levels ParseJson accepts, which would read a legitimately nested item as empty.
  json::parse_options options;
  options.max_depth = 2 * kMaxNestingLevels + 16;
  boost::system::error_code ec;
  json::value parsed = json::parse(json::string_view(body.data(), body.size()), ec, {}, options);
  if (ec || !parsed.is_object()) return {};
  return std::move(parsed.as_object());
}

namespace {

//! How many M or L documents enclose the deepest value of `v` (a scalar: none).
size_t Wraps(const json::value& v) {
  if (!v.is_object() || v.get_object().size() != 1) return 0;
  const auto& [type, inner] = *v.get_object().begin();
  size_t deepest = 0;
  if (type == "M" && inner.is_object()) {
    for (const auto& [name, x] : inner.get_object()) deepest = std::max(deepest, Wraps(x));
  } else if (type == "L" && inner.is_array()) {
    for (const auto& x : inner.get_array()) deepest = std::max(deepest, Wraps(x));
  } else {
    return 0;
  }
  return deepest + 1;
}

}  // namespace

Status CheckNesting(const Item& item) {
  for (const auto& [name, v] : item) {
    if (Wraps(v) + 1 > kMaxNestingLevels) {
      return ValidationException(
          "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
          "limit");
    }
  }
  return Ok{};
}

Result<std::optional<Item>> GetItem(CallContext& ctx, const Table& table, const std::string& id) {
  auto text = ctx.identities.db().Get(table.ref.scope(), table.ItemKind(), id);
  if (!text) return text.error();
  if (!*text) return std::optional<Item>();
  return std::optional<Item>(ParseItem(**text));
}

Result<std::optional<Item>> GetItem(store::Transaction& tx, const Table& table, const std::string& id) {
  auto text = tx.Get(table.ref.scope(), table.ItemKind(), id);
  if (!text) return text.error();
  if (!*text) return std::optional<Item>();
  return std::optional<Item>(ParseItem(**text));
}

Status ReadExpressions(const json::object& in, const std::vector<std::string_view>& expressions, Expressions* out) {
  const auto* names = in.if_contains("ExpressionAttributeNames");
  const auto* values = in.if_contains("ExpressionAttributeValues");
  bool any = false;
  for (const auto e : expressions) any = any || in.contains(e);
  if (names != nullptr) {
    if (!any) return ValidationException("ExpressionAttributeNames can only be specified when using expressions");
    if (!names->is_object() || names->get_object().empty()) {
      return ValidationException("ExpressionAttributeNames must not be empty");
    }
    out->names = names->get_object();
  }
  if (values != nullptr) {
    if (!any) {
      return ValidationException("ExpressionAttributeValues can only be specified when using expressions: " +
                                 AreNull(expressions));
    }
    if (!values->is_object() || values->get_object().empty()) {
      return ValidationException("ExpressionAttributeValues must not be empty");
    }
    for (const auto& [key, v] : values->get_object()) {
      json::value value = InboundValue(v);
      if (auto s = NormalizeValue(value); !s) {
        return ValidationException("ExpressionAttributeValues contains invalid value: " + s.error().message +
                                   " for key " + std::string(key));
      }
      out->values[key] = std::move(value);
    }
  }
  out->inputs.emplace(names != nullptr ? &out->names : nullptr, values != nullptr ? &out->values : nullptr);
  return Ok{};
}

namespace {

//! The top-level attribute names of a ProjectionExpression (for dynamodb:Attributes): each comma-separated
//! path up to its first '.' or '[', with #placeholders resolved.
std::vector<std::string> TopLevelNames(std::string_view text, const json::object& names) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view path = text.substr(pos, comma - pos);
    path = path.substr(0, path.find_first_of(".["));
    while (!path.empty() && std::isspace(static_cast<unsigned char>(path.front()))) path.remove_prefix(1);
    while (!path.empty() && std::isspace(static_cast<unsigned char>(path.back()))) path.remove_suffix(1);
    std::string name(path);
    if (path.starts_with('#')) name = Str(names, path);
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Result<std::optional<Projection>> ReadProjection(const json::object& in, Expressions& ex,
                                                 std::vector<std::string>* top_level_names) {
  const auto* expression = in.if_contains("ProjectionExpression");
  const auto* attributes = in.if_contains("AttributesToGet");
  if (expression != nullptr && attributes != nullptr) {
    return ValidationException(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
        "{AttributesToGet} Expression parameters: {ProjectionExpression}");
  }
  if (attributes != nullptr) {
    std::vector<std::string> names = JsonStrings(attributes);
    std::vector<std::string> unique;
    for (auto& n : names) {
      if (std::find(unique.begin(), unique.end(), n) != unique.end()) {
        return ValidationException("One or more parameter values were invalid: Duplicate value in attribute name: " +
                                   n);
      }
      unique.push_back(n);
    }
    if (top_level_names != nullptr) *top_level_names = unique;
    return std::optional<Projection>(Projection::OfNames(unique));
  }
  if (expression == nullptr) return std::optional<Projection>();
  auto parsed = Projection::Parse(JsonString(*expression), *ex.inputs);
  if (!parsed) return parsed.error();
  if (top_level_names != nullptr) *top_level_names = TopLevelNames(JsonString(*expression), ex.names);
  return std::optional<Projection>(std::move(*parsed));
}

std::optional<json::object> Consumed(const json::object& in, const std::string& table_name, double units) {
  const std::string mode = Str(in, "ReturnConsumedCapacity");
  if (mode != "TOTAL" && mode != "INDEXES") return std::nullopt;
  json::object out{{"TableName", table_name}, {"CapacityUnits", units}};
  if (mode == "INDEXES") out["Table"] = json::object{{"CapacityUnits", units}};
  return out;
}

double ReadUnits(size_t bytes, bool consistent) {
  const double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

double WriteUnits(size_t bytes) { return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0)); }

Status RefuseLegacy(const json::object& in) {
  static constexpr std::pair<std::string_view, std::string_view> kLegacy[] = {
      {"Expected", "ConditionExpression"},         {"AttributeUpdates", "UpdateExpression"},
      {"KeyConditions", "KeyConditionExpression"}, {"QueryFilter", "FilterExpression"},
      {"ScanFilter", "FilterExpression"},          {"ConditionalOperator", "ConditionExpression or FilterExpression"},
  };
  for (const auto& [parameter, instead] : kLegacy) {
    if (in.contains(parameter)) return LegacyParameter(parameter, instead);
  }
  return Ok{};
}

}  // namespace xacct::services::dynamodb
