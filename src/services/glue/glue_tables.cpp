// Glue Data Catalog tables (AWS Glue API Reference, "Table API"): CreateTable, GetTable, GetTables (with
// its name Expression), UpdateTable (archiving the previous version unless SkipArchive), DeleteTable,
// BatchDeleteTable, GetTableVersions, GetTableVersion. A new table is version "0"; each archived update
// adds one.
#include <algorithm>
#include <cstdio>

#include "services/glue/glue_expression.h"
#include "services/glue/glue_internal.h"

namespace xacct::services::glue {

namespace {

json::object TableInput(const json::object& in) {
  const auto* v = in.if_contains("TableInput");
  return v != nullptr && v->is_object() ? v->as_object() : json::object{};
}

std::string VersionId(int64_t version) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(version));
  return buf;
}

std::string VersionDocId(const std::string& db, const std::string& table, int64_t version) {
  return TableId(db, table) + "/" + VersionId(version);
}

int64_t VersionOf(const json::object& table) {
  try {
    return std::stoll(Str(table, "VersionId"));
  } catch (...) {
    return 0;
  }
}

//! The stored table: the members of TableInput Glue keeps, plus what Glue adds.
json::object FromInput(CallContext& ctx, const Catalog& catalog, const std::string& db, const json::object& input) {
  json::object t{{"Name", Lower(Str(input, "Name"))}, {"DatabaseName", db}};
  for (const auto* key :
       {"Description", "Owner", "LastAccessTime", "LastAnalyzedTime", "Retention", "StorageDescriptor", "PartitionKeys",
        "ViewOriginalText", "ViewExpandedText", "TableType", "Parameters", "TargetTable"}) {
    CopyIf(input, t, key);
  }
  if (!t.contains("PartitionKeys")) t["PartitionKeys"] = json::array{};
  if (!t.contains("Retention")) t["Retention"] = 0;
  t["CreateTime"] = Now(ctx);
  t["UpdateTime"] = Now(ctx);
  t["CreatedBy"] = ctx.caller.arn;
  t["IsRegisteredWithLakeFormation"] = false;
  t["CatalogId"] = catalog.account;
  return t;
}

Status PutTable(store::Transaction& tx, const Catalog& catalog, const std::string& db, const json::object& table) {
  const std::string name = Str(table, "Name");
  const std::string body = json::serialize(table);
  if (auto s = tx.Put(catalog.scope(), kTableKind, TableId(db, name), body); !s) return s;
  return tx.Put(catalog.scope(), kTableVersionKind, VersionDocId(db, name, VersionOf(table)), body);
}

}  // namespace

Result<json::object> CreateTable(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const json::object input = TableInput(in);
  json::object table = FromInput(ctx, catalog, db, input);
  const std::string name = Str(table, "Name");
  if (name.empty()) return InvalidInput("Table name cannot be empty.");
  if (auto s = Authorize(ctx, catalog, "CreateTable", db, name); !s) return s.error();
  if (auto d = RequireDatabase(ctx, catalog, db); !d) return d.error();
  table["VersionId"] = "0";
  bool exists = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto existing = tx.Get(catalog.scope(), kTableKind, TableId(db, name));
    if (!existing) return existing.error();
    if (*existing) {
      exists = true;
      return Ok{};
    }
    return PutTable(tx, catalog, db, table);
  });
  if (!s) return s.error();
  if (exists) return AlreadyExists("Table already exists.");
  return json::object{};
}

Result<json::object> GetTable(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const std::string name = Lower(Str(in, "Name"));
  if (auto s = Authorize(ctx, catalog, "GetTable", db, name); !s) return s.error();
  auto table = RequireTable(ctx, catalog, db, name);
  if (!table) return table.error();
  return json::object{{"Table", std::move(*table)}};
}

Result<json::object> GetTables(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  if (auto s = Authorize(ctx, catalog, "GetTables", db); !s) return s.error();
  std::optional<TableNamePattern> pattern;
  if (const std::string expression = Str(in, "Expression"); !expression.empty()) {
    auto p = TableNamePattern::Parse(expression);
    if (!p) return p.error();
    pattern = std::move(*p);
  }
  if (auto d = RequireDatabase(ctx, catalog, db); !d) return d.error();
  auto all = LoadAll(ctx, catalog, kTableKind, IdPart(db) + "/");
  if (!all) return all.error();
  std::vector<json::object> visible;
  for (auto& t : *all) {
    const std::string name = Str(t, "Name");
    if (pattern && !pattern->Matches(name)) continue;
    if (!MayList(ctx, catalog, "glue:GetTables", catalog.TableArn(db, name))) continue;
    visible.push_back(std::move(t));
  }
  auto page = Paginate(in, visible.size(), 100);
  if (!page) return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) list.emplace_back(std::move(visible[i]));
  json::object out{{"TableList", std::move(list)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

Result<json::object> UpdateTable(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const json::object input = TableInput(in);
  json::object table = FromInput(ctx, catalog, db, input);
  const std::string name = Str(table, "Name");
  if (auto s = Authorize(ctx, catalog, "UpdateTable", db, name); !s) return s.error();
  auto current = RequireTable(ctx, catalog, db, name);
  if (!current) return current.error();
  if (const std::string expected = Str(in, "VersionId"); !expected.empty() && expected != Str(*current, "VersionId")) {
    return AwsError::Client("ConcurrentModificationException", "Update table failed due to concurrent modifications.");
  }
  const bool skip_archive =
      in.contains("SkipArchive") && in.at("SkipArchive").is_bool() && in.at("SkipArchive").as_bool();
  const int64_t version = VersionOf(*current) + (skip_archive ? 0 : 1);
  table["CreateTime"] = (*current)["CreateTime"];
  table["CreatedBy"] = (*current)["CreatedBy"];
  table["VersionId"] = std::to_string(version);
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) { return PutTable(tx, catalog, db, table); });
  if (!s) return s.error();
  return json::object{};
}

Result<json::object> DeleteTable(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const std::string name = Lower(Str(in, "Name"));
  if (auto s = Authorize(ctx, catalog, "DeleteTable", db, name); !s) return s.error();
  auto current = RequireTable(ctx, catalog, db, name);
  if (!current) return current.error();
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) { return DeleteTableData(tx, catalog, db, &name); });
  if (!s) return s.error();
  return json::object{};
}

Result<json::object> BatchDeleteTable(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  std::vector<std::string> names;
  if (const auto* list = in.if_contains("TablesToDelete"); list != nullptr && list->is_array()) {
    for (const auto& v : list->as_array()) names.push_back(Lower(JsonString(v)));
  }
  for (const auto& name : names) {
    if (auto s = Authorize(ctx, catalog, "BatchDeleteTable", db, name); !s) return s.error();
  }
  if (auto d = RequireDatabase(ctx, catalog, db); !d) return d.error();
  json::array errors;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    errors.clear();
    for (const auto& name : names) {
      auto existing = tx.Get(catalog.scope(), kTableKind, TableId(db, name));
      if (!existing) return existing.error();
      if (!*existing) {
        errors.push_back(
            json::object{{"TableName", name},
                         {"ErrorDetail", json::object{{"ErrorCode", "EntityNotFoundException"},
                                                      {"ErrorMessage", "Table " + name + " not found."}}}});
        continue;
      }
      if (auto d = DeleteTableData(tx, catalog, db, &name); !d) return d;
    }
    return Ok{};
  });
  if (!s) return s.error();
  return json::object{{"Errors", std::move(errors)}};
}

Result<json::object> GetTableVersions(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const std::string name = Lower(Str(in, "TableName"));
  if (auto s = Authorize(ctx, catalog, "GetTableVersions", db, name); !s) return s.error();
  if (auto t = RequireTable(ctx, catalog, db, name); !t) return t.error();
  auto versions = LoadAll(ctx, catalog, kTableVersionKind, TableId(db, name) + "/");
  if (!versions) return versions.error();
  std::reverse(versions->begin(), versions->end());  // newest first
  auto page = Paginate(in, versions->size(), 100);
  if (!page) return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) {
    json::object& t = (*versions)[i];
    list.push_back(json::object{{"Table", t}, {"VersionId", Str(t, "VersionId")}});
  }
  json::object out{{"TableVersions", std::move(list)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

Result<json::object> GetTableVersion(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string db = Lower(Str(in, "DatabaseName"));
  const std::string name = Lower(Str(in, "TableName"));
  if (auto s = Authorize(ctx, catalog, "GetTableVersion", db, name); !s) return s.error();
  auto table = RequireTable(ctx, catalog, db, name);
  if (!table) return table.error();
  std::string wanted = Str(in, "VersionId");
  if (wanted.empty()) wanted = Str(*table, "VersionId");
  int64_t version = 0;
  try {
    size_t used = 0;
    version = std::stoll(wanted, &used);
    if (used != wanted.size() || version < 0) return InvalidInput("Invalid version id: " + wanted);
  } catch (...) {
    return InvalidInput("Invalid version id: " + wanted);
  }
  auto doc = Load(ctx, catalog, kTableVersionKind, VersionDocId(db, name, version));
  if (!doc) return doc.error();
  if (!*doc) return EntityNotFound("Version " + wanted + " of table " + name + " not found.");
  return json::object{{"TableVersion", json::object{{"Table", **doc}, {"VersionId", wanted}}}};
}

}  // namespace xacct::services::glue
