// Shared parts of the Glue Data Catalog: catalog and ARNs, the per-operation permission table,
// authorization with the owner's catalog policy, errors, store access and pagination.
#include <algorithm>
#include <cctype>

#include "policy/parser.h"
#include "services/glue/glue_internal.h"

namespace xacct::services::glue {

namespace {

//! What a Data Catalog operation is authorized on: always the catalog, then the database and the table
//! it names. From the AWS Glue Developer Guide, "Specifying AWS Glue resource ARNs" and "AWS Glue API
//! permissions: Actions and resources reference": an operation on a table needs its catalog, database and
//! table ARNs allowed; on a database, the catalog and database ARNs; DeleteDatabase also needs every
//! table of the database (table/DB/*). Listings (GetDatabases, GetTables) are authorized on their parent
//! and return only the items the caller may get. The catalog resource policy operations work on the
//! catalog ARN.
enum class Level { kCatalog, kDatabase, kDatabaseTables, kTable };

struct Permission {
  std::string_view operation;
  std::string_view action;
  Level level;
};

constexpr Permission kPermissions[] = {
    {"CreateDatabase", "glue:CreateDatabase", Level::kDatabase},
    {"GetDatabase", "glue:GetDatabase", Level::kDatabase},
    {"GetDatabases", "glue:GetDatabases", Level::kCatalog},
    {"UpdateDatabase", "glue:UpdateDatabase", Level::kDatabase},
    {"DeleteDatabase", "glue:DeleteDatabase", Level::kDatabaseTables},
    {"CreateTable", "glue:CreateTable", Level::kTable},
    {"GetTable", "glue:GetTable", Level::kTable},
    {"GetTables", "glue:GetTables", Level::kDatabase},
    {"UpdateTable", "glue:UpdateTable", Level::kTable},
    {"DeleteTable", "glue:DeleteTable", Level::kTable},
    {"BatchDeleteTable", "glue:BatchDeleteTable", Level::kTable},
    {"GetTableVersions", "glue:GetTableVersions", Level::kTable},
    {"GetTableVersion", "glue:GetTableVersion", Level::kTable},
    {"CreatePartition", "glue:CreatePartition", Level::kTable},
    {"BatchCreatePartition", "glue:BatchCreatePartition", Level::kTable},
    {"GetPartition", "glue:GetPartition", Level::kTable},
    {"GetPartitions", "glue:GetPartitions", Level::kTable},
    {"BatchGetPartition", "glue:BatchGetPartition", Level::kTable},
    {"UpdatePartition", "glue:UpdatePartition", Level::kTable},
    {"DeletePartition", "glue:DeletePartition", Level::kTable},
    {"BatchDeletePartition", "glue:BatchDeletePartition", Level::kTable},
    {"PutResourcePolicy", "glue:PutResourcePolicy", Level::kCatalog},
    {"GetResourcePolicy", "glue:GetResourcePolicy", Level::kCatalog},
    {"DeleteResourcePolicy", "glue:DeleteResourcePolicy", Level::kCatalog},
    {"GetResourcePolicies", "glue:GetResourcePolicies", Level::kCatalog},
};

Result<std::shared_ptr<const policy::Policy>> CatalogPolicy(CallContext& ctx, const Catalog& catalog) {
  auto doc = LoadPolicy(ctx, catalog);
  if (!doc) return doc.error();
  if (!*doc) return std::shared_ptr<const policy::Policy>();
  return ctx.identities.Compile(Str(**doc, "PolicyInJson"), policy::PolicyKind::kResource,
                                "Glue catalog policy of " + catalog.Arn());
}

authz::Check MakeCheck(std::string_view action, std::string arn, const Catalog& catalog,
                       std::shared_ptr<const policy::Policy> policy) {
  authz::Check check{.action = std::string(action),
                     .resource = std::move(arn),
                     .resource_account = catalog.account,
                     .resource_policy = std::move(policy)};
  // Glue's denial: 400 AccessDeniedException "User: ... is not authorized to perform: glue:GetTable on
  // resource: ... because no resource-based policy allows the glue:GetTable action".
  check.denied_code = "AccessDeniedException";
  check.denied_status = 400;
  return check;
}

}  // namespace

std::string Catalog::DatabaseArn(std::string_view db) const {
  return "arn:aws:glue:" + region + ":" + account + ":database/" + std::string(db);
}

std::string Catalog::TableArn(std::string_view db, std::string_view table) const {
  return "arn:aws:glue:" + region + ":" + account + ":table/" + std::string(db) + "/" + std::string(table);
}

Catalog CatalogOf(const CallContext& ctx, const json::object& in) {
  std::string id = Str(in, "CatalogId");
  if (id.empty()) id = ctx.caller.account;
  return Catalog{std::move(id), ctx.request.region};
}

std::string Lower(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string IdPart(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '%') {
      out += "%25";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
  return out;
}

std::string TableId(std::string_view db, std::string_view table) { return IdPart(db) + "/" + IdPart(table); }

Status Authorize(CallContext& ctx, const Catalog& catalog, std::string_view operation, std::string_view db,
                 std::string_view table) {
  const auto* p = std::find_if(std::begin(kPermissions), std::end(kPermissions),
                               [&](const Permission& x) { return x.operation == operation; });
  if (p == std::end(kPermissions)) return AwsError::Server("InternalServiceException", "no permission entry");
  auto policy = CatalogPolicy(ctx, catalog);
  if (!policy) return policy.error();
  std::vector<std::string> arns{catalog.Arn()};
  if (p->level != Level::kCatalog) arns.push_back(catalog.DatabaseArn(db));
  if (p->level == Level::kTable) arns.push_back(catalog.TableArn(db, table));
  if (p->level == Level::kDatabaseTables) arns.push_back(catalog.TableArn(db, "*"));
  for (auto& arn : arns) {
    if (auto s = ctx.Authorize(MakeCheck(p->action, std::move(arn), catalog, *policy)); !s) return s;
  }
  return Ok{};
}

bool MayList(CallContext& ctx, const Catalog& catalog, std::string_view action, const std::string& arn) {
  auto policy = CatalogPolicy(ctx, catalog);
  if (!policy) return false;
  return ctx.Authorize(MakeCheck(action, arn, catalog, *policy)).ok();
}

Result<std::optional<json::object>> LoadPolicy(CallContext& ctx, const Catalog& catalog) {
  return Load(ctx, catalog, kPolicyKind, kPolicyId);
}

AwsError InvalidInput(const std::string& message) { return AwsError::Client("InvalidInputException", message); }
AwsError EntityNotFound(const std::string& message) { return AwsError::Client("EntityNotFoundException", message); }
AwsError AlreadyExists(const std::string& message) { return AwsError::Client("AlreadyExistsException", message); }

Result<std::optional<json::object>> Load(CallContext& ctx, const Catalog& catalog, std::string_view kind,
                                         std::string_view id) {
  auto text = ctx.identities.db().Get(catalog.scope(), kind, id);
  if (!text) return text.error();
  if (!*text) return std::optional<json::object>();
  auto parsed = ParseJson(**text);
  if (!parsed || !parsed->is_object()) return AwsError::Server("InternalServiceException", "corrupt catalog record");
  return std::optional<json::object>(std::move(parsed->as_object()));
}

Result<std::vector<json::object>> LoadAll(CallContext& ctx, const Catalog& catalog, std::string_view kind,
                                          std::string_view id_prefix, std::vector<std::string>* ids) {
  auto docs = ctx.identities.db().List(catalog.scope(), kind, id_prefix);
  if (!docs) return docs.error();
  std::vector<json::object> out;
  for (auto& d : *docs) {
    if (!d.id.starts_with(id_prefix)) continue;
    auto parsed = ParseJson(d.body);
    if (!parsed || !parsed->is_object()) continue;
    out.push_back(std::move(parsed->as_object()));
    if (ids != nullptr) ids->push_back(std::move(d.id));
  }
  return out;
}

Result<json::object> RequireDatabase(CallContext& ctx, const Catalog& catalog, const std::string& db) {
  auto doc = Load(ctx, catalog, kDatabaseKind, IdPart(db));
  if (!doc) return doc.error();
  if (!*doc) return EntityNotFound("Database " + db + " not found.");
  return std::move(**doc);
}

Result<json::object> RequireTable(CallContext& ctx, const Catalog& catalog, const std::string& db,
                                  const std::string& table) {
  auto database = RequireDatabase(ctx, catalog, db);
  if (!database) return database.error();
  auto doc = Load(ctx, catalog, kTableKind, TableId(db, table));
  if (!doc) return doc.error();
  if (!*doc) return EntityNotFound("Table " + table + " not found.");
  return std::move(**doc);
}

Result<Page> Paginate(const json::object& in, size_t total, size_t default_size) {
  // NextToken is the decimal position of the next item behind a fixed prefix, so a stale or foreign
  // token is recognised and refused rather than silently restarting the listing.
  constexpr std::string_view kTokenPrefix = "xacct-glue-";
  Page page;
  if (const std::string token = Str(in, "NextToken"); !token.empty()) {
    size_t pos = 0;
    bool ok = token.starts_with(kTokenPrefix) && token.size() > kTokenPrefix.size();
    for (size_t i = kTokenPrefix.size(); ok && i < token.size(); ++i) {
      ok = std::isdigit(static_cast<unsigned char>(token[i])) != 0 && pos < (size_t{1} << 40);
      pos = pos * 10 + static_cast<size_t>(token[i] - '0');
    }
    if (!ok) return InvalidInput("Invalid NextToken.");
    page.begin = std::min(pos, total);
  }
  size_t size = default_size;
  if (auto max = Int(in, "MaxResults"); max && *max > 0) size = static_cast<size_t>(*max);
  page.end = std::min(total, page.begin + size);
  if (page.end < total) page.next_token = std::string(kTokenPrefix) + std::to_string(page.end);
  return page;
}

void CopyIf(const json::object& from, json::object& to, std::string_view key) {
  if (const auto* v = from.if_contains(key)) to[key] = *v;
}

double Now(const CallContext& ctx) { return static_cast<double>(ctx.request.now); }

Status DeleteTableData(store::Transaction& tx, const Catalog& catalog, const std::string& db,
                       const std::string* table) {
  const std::string prefix = table != nullptr ? TableId(db, *table) + "/" : IdPart(db) + "/";
  for (const auto kind : {kPartitionKind, kTableVersionKind}) {
    auto docs = tx.List(catalog.scope(), kind, prefix);
    if (!docs) return docs.error();
    for (const auto& d : *docs) {
      if (!d.id.starts_with(prefix)) continue;
      if (auto s = tx.Delete(catalog.scope(), kind, d.id); !s) return s;
    }
  }
  if (table != nullptr) return tx.Delete(catalog.scope(), kTableKind, TableId(db, *table));
  auto tables = tx.List(catalog.scope(), kTableKind, prefix);
  if (!tables) return tables.error();
  for (const auto& d : *tables) {
    if (!d.id.starts_with(prefix)) continue;
    if (auto s = tx.Delete(catalog.scope(), kTableKind, d.id); !s) return s;
  }
  return Ok{};
}

}  // namespace xacct::services::glue
