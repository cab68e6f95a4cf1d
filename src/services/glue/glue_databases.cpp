// Glue Data Catalog databases (AWS Glue API Reference, "Database API"): CreateDatabase, GetDatabase,
// GetDatabases, UpdateDatabase, DeleteDatabase. Deleting a database deletes its tables and partitions.
#include "services/glue/glue_internal.h"

namespace xacct::services::glue {

namespace {

json::object DatabaseInput(const json::object& in) {
  const auto* v = in.if_contains("DatabaseInput");
  return v != nullptr && v->is_object() ? v->as_object() : json::object{};
}

//! The stored database from a DatabaseInput: the members Glue keeps, the name lower-cased.
json::object FromInput(const json::object& input, const Catalog& catalog, double create_time) {
  json::object db{{"Name", Lower(Str(input, "Name"))}};
  for (const auto* key : {"Description", "LocationUri", "Parameters", "TargetDatabase"}) CopyIf(input, db, key);
  if (!db.contains("Parameters")) db["Parameters"] = json::object{};
  db["CreateTime"] = create_time;
  // Without Lake Formation, Glue reports the default "IAM_ALLOWED_PRINCIPALS: ALL" grant.
  if (const auto* p = input.if_contains("CreateTableDefaultPermissions")) {
    db["CreateTableDefaultPermissions"] = *p;
  } else {
    db["CreateTableDefaultPermissions"] =
        json::array{json::object{{"Principal", json::object{{"DataLakePrincipalIdentifier", "IAM_ALLOWED_PRINCIPALS"}}},
                                 {"Permissions", json::array{"ALL"}}}};
  }
  db["CatalogId"] = catalog.account;
  return db;
}

}  // namespace

Result<json::object> CreateDatabase(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const json::object input = DatabaseInput(in);
  const std::string name = Lower(Str(input, "Name"));
  if (name.empty()) return InvalidInput("Database name cannot be empty.");
  if (auto s = Authorize(ctx, catalog, "CreateDatabase", name); !s) return s.error();
  const std::string body = json::serialize(FromInput(input, catalog, Now(ctx)));
  bool exists = false;
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    auto existing = tx.Get(catalog.scope(), kDatabaseKind, IdPart(name));
    if (!existing) return existing.error();
    if (*existing) {
      exists = true;
      return Ok{};
    }
    return tx.Put(catalog.scope(), kDatabaseKind, IdPart(name), body);
  });
  if (!s) return s.error();
  if (exists) return AlreadyExists("Database already exists.");
  return json::object{};
}

Result<json::object> GetDatabase(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string name = Lower(Str(in, "Name"));
  if (auto s = Authorize(ctx, catalog, "GetDatabase", name); !s) return s.error();
  auto db = RequireDatabase(ctx, catalog, name);
  if (!db) return db.error();
  return json::object{{"Database", std::move(*db)}};
}

Result<json::object> GetDatabases(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  if (auto s = Authorize(ctx, catalog, "GetDatabases"); !s) return s.error();
  auto all = LoadAll(ctx, catalog, kDatabaseKind, "");
  if (!all) return all.error();
  // Only the databases the caller may get are listed (as Glue does with fine-grained permissions).
  std::vector<json::object> visible;
  for (auto& db : *all) {
    if (MayList(ctx, catalog, "glue:GetDatabases", catalog.DatabaseArn(Str(db, "Name")))) {
      visible.push_back(std::move(db));
    }
  }
  auto page = Paginate(in, visible.size(), 100);
  if (!page) return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) list.emplace_back(std::move(visible[i]));
  json::object out{{"DatabaseList", std::move(list)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

Result<json::object> UpdateDatabase(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string name = Lower(Str(in, "Name"));
  const json::object input = DatabaseInput(in);
  if (auto s = Authorize(ctx, catalog, "UpdateDatabase", name); !s) return s.error();
  auto current = RequireDatabase(ctx, catalog, name);
  if (!current) return current.error();
  const std::string new_name = Lower(Str(input, "Name"));
  if (!new_name.empty() && new_name != name) {
    return InvalidInput("Database name cannot be changed: " + name + " to " + new_name + ".");
  }
  // UpdateDatabase replaces the definition (members left out are removed), keeping the creation time.
  json::object updated = FromInput(input, catalog, 0);
  updated["Name"] = name;
  updated["CreateTime"] = (*current)["CreateTime"];
  const std::string body = json::serialize(updated);
  auto s = ctx.identities.db().Write(
      [&](store::Transaction& tx) { return tx.Put(catalog.scope(), kDatabaseKind, IdPart(name), body); });
  if (!s) return s.error();
  return json::object{};
}

Result<json::object> DeleteDatabase(CallContext& ctx, const json::object& in) {
  const Catalog catalog = CatalogOf(ctx, in);
  const std::string name = Lower(Str(in, "Name"));
  if (auto s = Authorize(ctx, catalog, "DeleteDatabase", name); !s) return s.error();
  auto current = RequireDatabase(ctx, catalog, name);
  if (!current) return current.error();
  auto s = ctx.identities.db().Write([&](store::Transaction& tx) -> Status {
    if (auto d = DeleteTableData(tx, catalog, name, nullptr); !d) return d;
    return tx.Delete(catalog.scope(), kDatabaseKind, IdPart(name));
  });
  if (!s) return s.error();
  return json::object{};
}

}  // namespace xacct::services::glue
