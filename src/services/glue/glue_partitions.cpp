// Glue Data Catalog partitions (AWS Glue API Reference, "Partition API"): CreatePartition,
// BatchCreatePartition, GetPartition, GetPartitions (Expression, Segment, ExcludeColumnSchema),
// BatchGetPartition, UpdatePartition, DeletePartition, BatchDeletePartition. A partition is named by its
// values, one per partition key of its table, and is authorized as its table.
#include "services/glue/glue_expression.h"
#include "services/glue/glue_internal.h"

namespace xacct::services::glue {

namespace {

std::vector<std::string> ValuesOf(const json::value* v) { return JsonStrings(v); }

json::array ToArray(const std::vector<std::string>& values) { return JsonArrayOf(values); }

std::string PartitionId(const std::string& db, const std::string& table, const std::vector<std::string>& values) {
  std::string id = TableId(db, table) + "/";
  for (size_t i = 0; i < values.size(); ++i) id += (i > 0 ? "/" : "") + IdPart(values[i]);
  return id;
}

//! The partition keys of a table.
std::vector<PartitionKey> KeysOf(const json::object& table) {
  std::vector<PartitionKey> keys;
  if (const auto* k = table.if_contains("PartitionKeys"); k != nullptr && k->is_array()) {
    for (const auto& c : k->as_array()) {
      if (c.is_object()) keys.push_back({Str(c.as_object(), "Name"), Str(c.as_object(), "Type")});
    }
  }
  return keys;
}

AwsError KeyCountMismatch() {
  return InvalidInput("The number of partition keys do not match the number of partition values");
}

json::object ErrorEntry(const std::vector<std::string>& values, std::string_view code, const std::string& message) {
  return json::object{{"PartitionValues", ToArray(values)},
                      {"ErrorDetail", json::object{{"ErrorCode", code}, {"ErrorMessage", message}}}};
}

//! The stored partition from a PartitionInput.
json::object FromInput(const Catalog& catalog, const std::string& db, const std::string& table,
                       const std::vector<std::string>& values, const json::object& input, double creation) {
  json::object p{{"Values", ToArray(values)}, {"DatabaseName", db}, {"TableName", table}, {"CreationTime", creation}};
  for (const auto* key : {"LastAccessTime", "StorageDescriptor", "Parameters", "LastAnalyzedTime"}) {
    CopyIf(input, p, key);
  }
  if (!p.contains("Parameters")) p["Parameters"] = json::object{};
  p["CatalogId"] = catalog.account;
  return p;
}

//! The common start of every partition operation: the catalog, names, authorization, the table.
struct Target {
  Catalog catalog;
  std::string db;
  std::string table;
  json::object definition;
  std::vector<PartitionKey> keys;
};

Result<Target> Open(CallContext& ctx, const json::object& in, std::string_view operation) {
  Target t{CatalogOf(ctx, in), Lower(Str(in, "DatabaseName")), Lower(Str(in, "TableName")), {}, {}};
  if (auto s = Authorize(ctx, t.catalog, operation, t.db, t.table); !s) return s.error();
  auto table = RequireTable(ctx, t.catalog, t.db, t.table);
  if (!table) return table.error();
  t.definition = std::move(*table);
  t.keys = KeysOf(t.definition);
  return t;
}

json::object InputOf(const json::value* v) { return v != nullptr && v->is_object() ? v->as_object() : json::object{}; }

//! Creates the partitions of `inputs`; the ones that cannot be created come back as errors.
Result<json::array> CreateAll(CallContext& ctx, const Target& t, const std::vector<json::object>& inputs) {
  json::array errors;
  std::vector<std::pair<std::string, std::string>> rows;  // id, body
  std::vector<std::vector<std::string>> values_of;
  for (const auto& input : inputs) {
    auto values = ValuesOf(input.if_contains("Values"));
    if (values.size() != t.keys.size()) {
      errors.push_back(ErrorEntry(values, "InvalidInputException", KeyCountMismatch().message));
      continue;
    }
    rows.emplace_back(PartitionId(t.db, t.table, values),
                      json::serialize(FromInput(t.catalog, t.db, t.table, values, input, Now(ctx))));
    values_of.push_back(std::move(values));
  }
  json::array exists;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    exists.clear();
    for (size_t i = 0; i < rows.size(); ++i) {
      auto existing = tx.Get(t.catalog.scope(), kPartitionKind, rows[i].first);
      if (!existing) return existing.error();
      if (*existing) {
        exists.push_back(ErrorEntry(values_of[i], "AlreadyExistsException", "Partition already exists."));
        continue;
      }
      if (auto p = tx.Put(t.catalog.scope(), kPartitionKind, rows[i].first, rows[i].second); !p) return p;
    }
    return Ok{};
  });
  if (!s) return s.error();
  for (auto& e : exists) errors.push_back(std::move(e));
  return errors;
}

Result<std::vector<json::object>> PartitionsOf(CallContext& ctx, const Target& t) {
  return LoadAll(ctx, t.catalog, kPartitionKind, TableId(t.db, t.table) + "/");
}

}  // namespace

Result<json::object> CreatePartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "CreatePartition");
  if (!t) return t.error();
  const json::object input = InputOf(in.if_contains("PartitionInput"));
  if (ValuesOf(input.if_contains("Values")).size() != t->keys.size()) return KeyCountMismatch();
  auto errors = CreateAll(ctx, *t, {input});
  if (!errors) return errors.error();
  if (!errors->empty()) return AlreadyExists("Partition already exists.");
  return json::object{};
}

Result<json::object> BatchCreatePartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "BatchCreatePartition");
  if (!t) return t.error();
  std::vector<json::object> inputs;
  if (const auto* list = in.if_contains("PartitionInputList"); list != nullptr && list->is_array()) {
    for (const auto& v : list->as_array()) inputs.push_back(InputOf(&v));
  }
  auto errors = CreateAll(ctx, *t, inputs);
  if (!errors) return errors.error();
  return json::object{{"Errors", std::move(*errors)}};
}

Result<json::object> GetPartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "GetPartition");
  if (!t) return t.error();
  const auto values = ValuesOf(in.if_contains("PartitionValues"));
  if (values.size() != t->keys.size()) return KeyCountMismatch();
  auto p = Load(ctx, t->catalog, kPartitionKind, PartitionId(t->db, t->table, values));
  if (!p) return p.error();
  if (!*p) return EntityNotFound("Cannot find partition.");
  return json::object{{"Partition", std::move(**p)}};
}

Result<json::object> GetPartitions(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "GetPartitions");
  if (!t) return t.error();
  std::optional<PartitionPredicate> predicate;
  if (const std::string expression = Str(in, "Expression"); !expression.empty()) {
    auto p = PartitionPredicate::Parse(expression, t->keys);
    if (!p) return p.error();
    predicate = std::move(*p);
  }
  int64_t segment = 0, segments = 1;
  if (const auto* s = in.if_contains("Segment"); s != nullptr && s->is_object()) {
    segment = Int(s->as_object(), "SegmentNumber").value_or(0);
    segments = Int(s->as_object(), "TotalSegments").value_or(1);
    if (segments < 1 || segment < 0 || segment >= segments) return InvalidInput("Invalid Segment.");
  }
  auto all = PartitionsOf(ctx, *t);
  if (!all) return all.error();
  std::vector<json::object> matching;
  for (size_t i = 0; i < all->size(); ++i) {
    if (static_cast<int64_t>(i % static_cast<size_t>(segments)) != segment) continue;
    json::object& p = (*all)[i];
    if (predicate && !predicate->Matches(ValuesOf(p.if_contains("Values")))) continue;
    matching.push_back(std::move(p));
  }
  const bool exclude = in.contains("ExcludeColumnSchema") && in.at("ExcludeColumnSchema").is_bool() &&
                       in.at("ExcludeColumnSchema").as_bool();
  auto page = Paginate(in, matching.size(), 1000);
  if (!page) return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) {
    json::object& p = matching[i];
    if (auto* sd = p.if_contains("StorageDescriptor"); exclude && sd != nullptr && sd->is_object()) {
      sd->as_object().erase("Columns");
    }
    list.emplace_back(std::move(p));
  }
  json::object out{{"Partitions", std::move(list)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

Result<json::object> BatchGetPartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "BatchGetPartition");
  if (!t) return t.error();
  json::array found;
  if (const auto* list = in.if_contains("PartitionsToGet"); list != nullptr && list->is_array()) {
    for (const auto& v : list->as_array()) {
      if (!v.is_object()) continue;
      const auto values = ValuesOf(v.as_object().if_contains("Values"));
      if (values.size() != t->keys.size()) return KeyCountMismatch();
      auto p = Load(ctx, t->catalog, kPartitionKind, PartitionId(t->db, t->table, values));
      if (!p) return p.error();
      if (*p) found.emplace_back(std::move(**p));
    }
  }
  return json::object{{"Partitions", std::move(found)}, {"UnprocessedKeys", json::array{}}};
}

Result<json::object> UpdatePartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "UpdatePartition");
  if (!t) return t.error();
  const auto old_values = ValuesOf(in.if_contains("PartitionValueList"));
  if (old_values.size() != t->keys.size()) return KeyCountMismatch();
  const json::object input = InputOf(in.if_contains("PartitionInput"));
  auto new_values = ValuesOf(input.if_contains("Values"));
  if (new_values.empty()) new_values = old_values;
  if (new_values.size() != t->keys.size()) return KeyCountMismatch();
  const std::string old_id = PartitionId(t->db, t->table, old_values);
  const std::string new_id = PartitionId(t->db, t->table, new_values);
  std::optional<AwsError> failed;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    failed.reset();
    auto current = tx.Get(t->catalog.scope(), kPartitionKind, old_id);
    if (!current) return current.error();
    if (!*current) {
      failed = EntityNotFound("Cannot find partition.");
      return Ok{};
    }
    if (new_id != old_id) {
      auto clash = tx.Get(t->catalog.scope(), kPartitionKind, new_id);
      if (!clash) return clash.error();
      if (*clash) {
        failed = AlreadyExists("Partition already exists.");
        return Ok{};
      }
      if (auto d = tx.Delete(t->catalog.scope(), kPartitionKind, old_id); !d) return d;
    }
    double creation = Now(ctx);
    if (auto v = ParseJson(**current); v && v->is_object()) {
      if (const auto* c = v->as_object().if_contains("CreationTime"); c != nullptr && c->is_number()) {
        creation = c->to_number<double>();
      }
    }
    return tx.Put(t->catalog.scope(), kPartitionKind, new_id,
                  json::serialize(FromInput(t->catalog, t->db, t->table, new_values, input, creation)));
  });
  if (!s) return s.error();
  if (failed) return *failed;
  return json::object{};
}

Result<json::object> DeletePartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "DeletePartition");
  if (!t) return t.error();
  const auto values = ValuesOf(in.if_contains("PartitionValues"));
  const std::string id = PartitionId(t->db, t->table, values);
  bool missing = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto current = tx.Get(t->catalog.scope(), kPartitionKind, id);
    if (!current) return current.error();
    missing = !*current;
    return missing ? Status(Ok{}) : tx.Delete(t->catalog.scope(), kPartitionKind, id);
  });
  if (!s) return s.error();
  if (missing) return EntityNotFound("Cannot find partition.");
  return json::object{};
}

Result<json::object> BatchDeletePartition(CallContext& ctx, const json::object& in) {
  auto t = Open(ctx, in, "BatchDeletePartition");
  if (!t) return t.error();
  std::vector<std::vector<std::string>> targets;
  if (const auto* list = in.if_contains("PartitionsToDelete"); list != nullptr && list->is_array()) {
    for (const auto& v : list->as_array()) {
      if (v.is_object()) targets.push_back(ValuesOf(v.as_object().if_contains("Values")));
    }
  }
  json::array errors;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    errors.clear();
    for (const auto& values : targets) {
      const std::string id = PartitionId(t->db, t->table, values);
      auto current = tx.Get(t->catalog.scope(), kPartitionKind, id);
      if (!current) return current.error();
      if (!*current) {
        errors.push_back(ErrorEntry(values, "EntityNotFoundException", "Cannot find partition."));
        continue;
      }
      if (auto d = tx.Delete(t->catalog.scope(), kPartitionKind, id); !d) return d;
    }
    return Ok{};
  });
  if (!s) return s.error();
  return json::object{{"Errors", std::move(errors)}};
}

}  // namespace xacct::services::glue
