// Athena's DDL: statements that change or read the Glue Data Catalog (Amazon Athena User Guide, "DDL
// statements": CREATE DATABASE, CREATE TABLE, DROP DATABASE, DROP TABLE, ALTER TABLE ADD PARTITION, ALTER TABLE
// DROP PARTITION, ALTER TABLE SET LOCATION, ALTER TABLE SET TBLPROPERTIES, MSCK REPAIR TABLE, SHOW DATABASES,
// SHOW TABLES, SHOW COLUMNS, SHOW PARTITIONS, SHOW CREATE TABLE, SHOW TBLPROPERTIES, DESCRIBE). Each runs as
// Glue operations through the catalog client, as the caller, via Athena, so a denial carries Glue's own
// AccessDeniedException text; MSCK REPAIR TABLE lists the table's location through the S3 object client the
// same way. Other failures keep Hive's wording, as Athena shows it in StateChangeReason (HiveErrorOf).
//
// Results: SHOW and DESCRIBE are UTILITY statements whose rows Athena returns from a .txt file with no header
// row; each row's cells joined by a tab are the line Hive printed (DESCRIBE's fields padded to 20 characters).
// Column names and types are Hive's result schemas (all `string`). Where no source fixed a text or a
// SubstatementType, the comment at the place says so: it is xacct's choice.
#include <algorithm>
#include <map>
#include <set>

#include "services/athena/athena_store.h"
#include "services/athena/query_exec.h"
#include "services/glue/catalog_client.h"
#include "services/s3/object_client.h"
#include "sql/ddl_catalog.h"

namespace xacct::services::athena {

namespace {

constexpr size_t kBatchCreateLimit = 100;  // BatchCreatePartition: PartitionInputList, at most 100
constexpr size_t kBatchDeleteLimit = 25;   // BatchDeletePartition: PartitionsToDelete, at most 25

std::string DatabaseOf(const QueryEnv& env, const std::optional<std::string>& database) {
  if (database) return *database;
  return env.context_database.empty() ? "default" : env.context_database;
}

std::optional<std::string> CatalogOf(const QueryEnv& env, const std::optional<std::string>& catalog) {
  if (catalog) return catalog;
  if (env.context_catalog.empty()) return std::nullopt;
  return env.context_catalog;
}

//! A table a statement names, resolved: its catalog id, database, and the names Hive's messages use.
struct TableRef {
  std::string catalog_id;
  std::string db;
  std::string table;
  std::string written;  //!< as written: t or db.t (DESCRIBE's and MSCK's messages)
  std::string full() const { return db + "." + table; }
};

Result<TableRef> Resolve(QueryEnv& env, const sql::QualifiedName& name) {
  auto catalog = CatalogIdOf(env, CatalogOf(env, name.catalog));
  if (!catalog) return catalog.error();
  return TableRef{*catalog, DatabaseOf(env, name.database), name.table,
                  name.database ? *name.database + "." + name.table : name.table};
}

//! What a Glue call was about, for Hive's wording of its error.
enum class Subject { kDatabase, kTable, kPartition };

//! Glue's errors in Hive's words, as Athena shows them. AccessDeniedException (and anything not listed)
//! keeps Glue's own text: a denial is never rewritten.
//!   EntityNotFoundException "Database x not found."  -> SemanticException [Error 10072]: Database does not exist: x
//!   EntityNotFoundException "Cannot find partition." -> SemanticException [Error 10006]: Partition not found <spec>
//!   EntityNotFoundException (a table)                -> SemanticException [Error 10001]: Table not found db.t
//!   AlreadyExistsException, database                 -> DDLTask. Database x already exists
//!   AlreadyExistsException, table                    -> DDLTask. AlreadyExistsException(message:Table t already exist)
//!   AlreadyExistsException, partition                -> DDLTask. AlreadyExistsException(message:Partition already
//!   exists.) InvalidInputException, ConcurrentModificationException, ResourceNumberLimitExceededException
//!                                                    -> DDLTask. <code>(message:<Glue's message>)
// The 10072, 10001, database and table texts are Athena's as measured on real Athena (a public record of
// StateChangeReason: "Table not found <db>.<table>", "Table <t> already exist" without the s); the partition
// and the generic DDLTask forms are xacct's, in Hive's pattern.
AwsError HiveErrorOf(const AwsError& glue, Subject subject, const std::string& db, const std::string& table,
                     const std::string& spec = {}) {
  if (glue.code == "EntityNotFoundException") {
    if (glue.message.starts_with("Database ")) {
      return sql::HiveSemanticError("SemanticException [Error 10072]: Database does not exist: " + db);
    }
    if (glue.message.starts_with("Cannot find partition")) {
      return sql::HiveSemanticError("SemanticException [Error 10006]: Partition not found " + spec);
    }
    return sql::HiveSemanticError("SemanticException [Error 10001]: Table not found " + table);
  }
  if (glue.code == "AlreadyExistsException") {
    switch (subject) {
      case Subject::kDatabase:
        return sql::HiveDdlTaskError("Database " + db + " already exists");
      case Subject::kTable:
        return sql::HiveDdlTaskError("AlreadyExistsException(message:Table " + table + " already exist)");
      case Subject::kPartition:
        return sql::HiveDdlTaskError("AlreadyExistsException(message:Partition already exists.)");
    }
  }
  if (glue.code == "InvalidInputException" || glue.code == "ConcurrentModificationException" ||
      glue.code == "ResourceNumberLimitExceededException") {
    return sql::HiveDdlTaskError(glue.code + "(message:" + glue.message + ")");
  }
  return glue;
}

bool IsTableNotFound(const AwsError& e) {
  return e.code == "EntityNotFoundException" && !e.message.starts_with("Database ");
}

Outcome Ddl(std::string substatement) {
  Outcome out;
  out.statement_type = "DDL";
  out.substatement_type = std::move(substatement);
  out.result_format = "txt";
  return out;
}

//! A result of Hive's text output: every column `string`, each row as many cells as columns.
Outcome TextRows(std::string statement_type, std::string substatement, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& rows) {
  Outcome out = Ddl(std::move(substatement));
  out.statement_type = std::move(statement_type);
  sql::ResultSet set;
  for (const auto& c : columns) set.columns.push_back(sql::ResultColumn{c, "string"});
  for (const auto& r : rows) set.rows.emplace_back(r.begin(), r.end());
  out.rows = std::move(set);
  return out;
}

Outcome Lines(std::string statement_type, std::string substatement, const std::string& column,
              const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : lines) rows.push_back({l});
  return TextRows(std::move(statement_type), std::move(substatement), {column}, rows);
}

//! Every item of a paginated Glue listing (GetDatabases, GetTables).
Result<std::vector<json::object>> ListAll(QueryEnv& env, std::string_view op, json::object input,
                                          std::string_view list_key) {
  std::vector<json::object> out;
  for (;;) {
    auto page = CallGlue(env, op, input);
    if (!page) return page.error();
    if (const auto* list = page->if_contains(list_key); list != nullptr && list->is_array()) {
      for (const auto& v : list->as_array()) {
        if (v.is_object()) out.push_back(v.as_object());
      }
    }
    const std::string next = StringField(*page, "NextToken");
    if (next.empty()) return out;
    input["NextToken"] = next;
  }
}

Result<json::object> LoadTable(QueryEnv& env, const TableRef& t, const std::string& display) {
  auto r = CallGlue(env, "GetTable", {{"CatalogId", t.catalog_id}, {"DatabaseName", t.db}, {"Name", t.table}});
  if (!r) return HiveErrorOf(r.error(), Subject::kTable, t.db, display);
  if (const auto* table = r->if_contains("Table"); table != nullptr && table->is_object()) return table->as_object();
  return json::object{};
}

const json::array& KeysOf(const json::object& table) {
  static const json::array kNone;
  const auto* k = table.if_contains("PartitionKeys");
  return k != nullptr && k->is_array() ? k->as_array() : kNone;
}

std::string LocationOf(const json::object& table_or_partition) {
  const auto* sd = table_or_partition.if_contains("StorageDescriptor");
  return sd != nullptr && sd->is_object() ? StringField(sd->as_object(), "Location") : "";
}

std::vector<std::string> ValuesOf(const json::object& partition) {
  return JsonStrings(partition.if_contains("Values"));
}

json::array ToArray(const std::vector<std::string>& values) { return JsonArrayOf(values); }

Result<std::vector<std::string>> FullValues(const sql::Properties& spec, const json::array& keys) {
  auto values = sql::PartitionSpecValues(spec, keys, true);
  if (!values) return values.error();
  std::vector<std::string> out;
  for (auto& v : *values) out.push_back(std::move(*v));
  return out;
}

Result<std::vector<json::object>> PartitionsOf(QueryEnv& env, const TableRef& t) {
  glue::CatalogClient client(env.identities, env.authz);
  auto all = client.GetPartitions(env.caller, env.via, t.catalog_id, t.db, t.table, {}, &env.explanation);
  if (!all) return HiveErrorOf(all.error(), Subject::kTable, t.db, t.full());
  return all;
}

// --- catalog changes ---------------------------------------------------------------------------------------

Result<Outcome> CreateDatabase(QueryEnv& env, const sql::CreateDatabase& db) {
  auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
  if (!catalog) return catalog.error();
  auto r = CallGlue(env, "CreateDatabase", {{"CatalogId", *catalog}, {"DatabaseInput", sql::DatabaseInputOf(db)}});
  if (!r && !(db.if_not_exists && r.error().code == "AlreadyExistsException")) {
    return HiveErrorOf(r.error(), Subject::kDatabase, db.name, "");
  }
  return Ddl("CREATE_DATABASE");
}

// DROP DATABASE deletes the database's tables first (CASCADE) or refuses a database that has any, in Hive's
// words; the tables' data stays in S3, as every Athena DROP leaves it.
Result<Outcome> DropDatabase(QueryEnv& env, const sql::DropDatabase& drop) {
  auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
  if (!catalog) return catalog.error();
  auto tables = ListAll(env, "GetTables", {{"CatalogId", *catalog}, {"DatabaseName", drop.name}}, "TableList");
  if (!tables) {
    if (drop.if_exists && tables.error().code == "EntityNotFoundException") return Ddl("DROP_DATABASE");
    return HiveErrorOf(tables.error(), Subject::kDatabase, drop.name, "");
  }
  if (!tables->empty() && !drop.cascade) {
    return sql::HiveDdlTaskError("InvalidOperationException(message:Database " + drop.name +
                                 " is not empty. One or more tables exist.)");
  }
  for (const auto& t : *tables) {
    const std::string name = StringField(t, "Name");
    auto r = CallGlue(env, "DeleteTable", {{"CatalogId", *catalog}, {"DatabaseName", drop.name}, {"Name", name}});
    if (!r && !IsTableNotFound(r.error())) return HiveErrorOf(r.error(), Subject::kTable, drop.name, name);
  }
  auto r = CallGlue(env, "DeleteDatabase", {{"CatalogId", *catalog}, {"Name", drop.name}});
  if (!r && !(drop.if_exists && r.error().code == "EntityNotFoundException")) {
    return HiveErrorOf(r.error(), Subject::kDatabase, drop.name, "");
  }
  return Ddl("DROP_DATABASE");
}

Result<Outcome> CreateTable(QueryEnv& env, const sql::CreateExternalTable& create) {
  auto t = Resolve(env, create.name);
  if (!t) return t.error();
  auto input = sql::TableInputOf(create);
  if (!input) return input.error();
  auto r =
      CallGlue(env, "CreateTable", {{"CatalogId", t->catalog_id}, {"DatabaseName", t->db}, {"TableInput", *input}});
  if (!r && !(create.if_not_exists && r.error().code == "AlreadyExistsException")) {
    return HiveErrorOf(r.error(), Subject::kTable, t->db, t->table);
  }
  return Ddl("CREATE_TABLE");
}

// DROP TABLE removes the table from the catalog only; its data stays where it is (Athena User Guide,
// "DROP TABLE"). IF EXISTS forgives a missing table, not a missing database (Hive checks the database first).
Result<Outcome> DropTable(QueryEnv& env, const sql::DropTable& drop) {
  auto t = Resolve(env, drop.name);
  if (!t) return t.error();
  auto r = CallGlue(env, "DeleteTable", {{"CatalogId", t->catalog_id}, {"DatabaseName", t->db}, {"Name", t->table}});
  if (!r && !(drop.if_exists && IsTableNotFound(r.error()))) {
    return HiveErrorOf(r.error(), Subject::kTable, t->db, t->full());
  }
  return Ddl("DROP_TABLE");
}

Result<Outcome> AddPartitions(QueryEnv& env, const sql::AlterTableAddPartition& add) {
  auto t = Resolve(env, add.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  const json::array& keys = KeysOf(*table);
  json::array inputs;
  for (const auto& p : add.partitions) {
    auto values = FullValues(p.spec, keys);
    if (!values) return values.error();
    const std::string location =
        p.location ? *p.location : sql::DefaultPartitionLocation(LocationOf(*table), sql::PartitionName(keys, *values));
    inputs.push_back(sql::PartitionInputOf(*table, *values, location));
  }
  bool exists = false;
  for (size_t begin = 0; begin < inputs.size(); begin += kBatchCreateLimit) {
    json::array chunk(inputs.begin() + static_cast<std::ptrdiff_t>(begin),
                      inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), begin + kBatchCreateLimit)));
    auto r = CallGlue(env, "BatchCreatePartition",
                      {{"CatalogId", t->catalog_id},
                       {"DatabaseName", t->db},
                       {"TableName", t->table},
                       {"PartitionInputList", std::move(chunk)}});
    if (!r) return HiveErrorOf(r.error(), Subject::kPartition, t->db, t->full());
    if (const auto* errors = r->if_contains("Errors"); errors != nullptr && errors->is_array()) {
      for (const auto& e : errors->as_array()) {
        const auto* detail = e.is_object() ? e.as_object().if_contains("ErrorDetail") : nullptr;
        if (detail == nullptr || !detail->is_object()) continue;
        const AwsError glue_error = AwsError::Client(StringField(detail->as_object(), "ErrorCode"),
                                                     StringField(detail->as_object(), "ErrorMessage"));
        if (glue_error.code == "AlreadyExistsException") {
          exists = true;
        } else {
          return HiveErrorOf(glue_error, Subject::kPartition, t->db, t->full());
        }
      }
    }
  }
  // Like Glue's BatchCreatePartition, the partitions that did not exist are added even when one did.
  if (exists && !add.if_not_exists) {
    return HiveErrorOf(AwsError::Client("AlreadyExistsException", ""), Subject::kPartition, t->db, t->full());
  }
  return Ddl("ALTER_TABLE_ADD_PARTITION");
}

// A spec may name some of the keys (Hive drops every partition it matches); a spec that matches none fails
// unless IF EXISTS. The "{k=v}" form of the message is the one Athena prints for DESCRIBE ... PARTITION.
Result<Outcome> DropPartitions(QueryEnv& env, const sql::AlterTableDropPartition& drop) {
  auto t = Resolve(env, drop.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  const json::array& keys = KeysOf(*table);
  std::vector<std::vector<std::optional<std::string>>> specs;
  for (const auto& p : drop.partitions) {
    auto values = sql::PartitionSpecValues(p.spec, keys, false);
    if (!values) return values.error();
    specs.push_back(std::move(*values));
  }
  auto partitions = PartitionsOf(env, *t);
  if (!partitions) return partitions.error();
  std::set<std::vector<std::string>> doomed;
  for (size_t i = 0; i < specs.size(); ++i) {
    bool any = false;
    for (const auto& p : *partitions) {
      const auto values = ValuesOf(p);
      bool match = values.size() == specs[i].size();
      for (size_t k = 0; match && k < values.size(); ++k) match = !specs[i][k] || *specs[i][k] == values[k];
      if (match) {
        any = true;
        doomed.insert(values);
      }
    }
    if (!any && !drop.if_exists) {
      return sql::HiveSemanticError("SemanticException [Error 10006]: Partition not found " +
                                    sql::SpecText(drop.partitions[i].spec));
    }
  }
  std::vector<std::vector<std::string>> list(doomed.begin(), doomed.end());
  for (size_t begin = 0; begin < list.size(); begin += kBatchDeleteLimit) {
    json::array chunk;
    for (size_t i = begin; i < std::min(list.size(), begin + kBatchDeleteLimit); ++i) {
      chunk.push_back(json::object{{"Values", ToArray(list[i])}});
    }
    auto r = CallGlue(env, "BatchDeletePartition",
                      {{"CatalogId", t->catalog_id},
                       {"DatabaseName", t->db},
                       {"TableName", t->table},
                       {"PartitionsToDelete", std::move(chunk)}});
    if (!r) return HiveErrorOf(r.error(), Subject::kPartition, t->db, t->full());
  }
  return Ddl("ALTER_TABLE_DROP_PARTITION");
}

// SubstatementType ALTER_TABLE_SET_LOCATION and ALTER_TABLE_SET_TBLPROPERTIES: xacct's names, in the pattern
// of the measured ALTER_TABLE_ADD_PARTITION family.
Result<Outcome> SetLocation(QueryEnv& env, const sql::AlterTableSetLocation& set) {
  auto t = Resolve(env, set.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  if (!set.partition) {
    json::object input = sql::TableInputFromTable(*table);
    if (!input.contains("StorageDescriptor") || !input["StorageDescriptor"].is_object()) {
      input["StorageDescriptor"] = json::object{};
    }
    input["StorageDescriptor"].as_object()["Location"] = set.location;
    auto r =
        CallGlue(env, "UpdateTable", {{"CatalogId", t->catalog_id}, {"DatabaseName", t->db}, {"TableInput", input}});
    if (!r) return HiveErrorOf(r.error(), Subject::kTable, t->db, t->full());
    return Ddl("ALTER_TABLE_SET_LOCATION");
  }
  auto values = FullValues(*set.partition, KeysOf(*table));
  if (!values) return values.error();
  const std::string spec = sql::SpecText(*set.partition);
  json::object where{{"CatalogId", t->catalog_id},
                     {"DatabaseName", t->db},
                     {"TableName", t->table},
                     {"PartitionValues", ToArray(*values)}};
  auto current = CallGlue(env, "GetPartition", where);
  if (!current) return HiveErrorOf(current.error(), Subject::kPartition, t->db, t->full(), spec);
  json::object input = sql::PartitionInputFromPartition((*current)["Partition"].as_object());
  if (!input.contains("StorageDescriptor") || !input["StorageDescriptor"].is_object()) {
    input["StorageDescriptor"] = json::object{};
  }
  input["StorageDescriptor"].as_object()["Location"] = set.location;
  where.erase("PartitionValues");
  where["PartitionValueList"] = ToArray(*values);
  where["PartitionInput"] = std::move(input);
  auto r = CallGlue(env, "UpdatePartition", where);
  if (!r) return HiveErrorOf(r.error(), Subject::kPartition, t->db, t->full(), spec);
  return Ddl("ALTER_TABLE_SET_LOCATION");
}

Result<Outcome> SetTblProperties(QueryEnv& env, const sql::AlterTableSetTblProperties& set) {
  auto t = Resolve(env, set.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  json::object input = sql::TableInputFromTable(*table);
  if (!input.contains("Parameters") || !input["Parameters"].is_object()) input["Parameters"] = json::object{};
  for (const auto& [k, v] : set.properties) input["Parameters"].as_object()[k] = v;
  auto r = CallGlue(env, "UpdateTable", {{"CatalogId", t->catalog_id}, {"DatabaseName", t->db}, {"TableInput", input}});
  if (!r) return HiveErrorOf(r.error(), Subject::kTable, t->db, t->full());
  return Ddl("ALTER_TABLE_SET_TBLPROPERTIES");
}

// MSCK REPAIR TABLE (Athena User Guide, "MSCK REPAIR TABLE"): lists the table's location, takes every
// directory path k1=v1/k2=v2/ (the partition keys in order, Hive-escaped) that holds an object, and adds the
// ones the catalog lacks. The output is Hive's: "Partitions not in metastore:" and "Partitions missing from
// filesystem:" each with its tab-separated <table>:<name> list, then one "Repair: Added partition to
// metastore <table>:<name>" per partition added. As on Athena, a denied BatchCreatePartition does not fail
// the statement: the partitions are reported as not in the metastore and no Repair line follows. An
// unpartitioned table has nothing to repair (an empty result, no listing: xacct's reading of Hive's check).
Result<Outcome> MsckRepair(QueryEnv& env, const sql::MsckRepairTable& msck) {
  auto t = Resolve(env, msck.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  const json::array& keys = KeysOf(*table);
  // The result column's name is xacct's choice: Hive's MSCK has no result schema.
  std::vector<std::string> lines;
  if (keys.empty()) return Lines("DDL", "MSCK_REPAIR_TABLE", "result", lines);
  const std::string table_location = LocationOf(*table);
  auto where = ParseS3Location(table_location);
  if (!where) return sql::HiveDdlTaskError("MetaException(message:Invalid table location: " + table_location + ")");
  std::string prefix = where->key;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  if (env.backends.s3 == nullptr) return AwsError::Server("InternalServerException", "S3 is not available");
  auto objects = s3::ObjectClient(*env.backends.s3).List(env.caller, env.via, where->bucket, prefix, &env.explanation);
  if (!objects) return objects.error();

  std::map<std::string, std::vector<std::string>> on_fs;  // partition name -> values, in name order
  for (const auto& o : *objects) {
    auto values = sql::PartitionValuesOfPath(std::string_view(o.key).substr(prefix.size()), keys);
    if (values) on_fs.emplace(sql::PartitionName(keys, *values), std::move(*values));
  }
  auto partitions = PartitionsOf(env, *t);
  if (!partitions) return partitions.error();
  std::set<std::vector<std::string>> in_metastore;
  std::vector<std::string> missing_on_fs;
  for (const auto& p : *partitions) {
    const auto values = ValuesOf(p);
    in_metastore.insert(values);
    // A partition whose directory is under the table's location, with no object left in it.
    auto loc = ParseS3Location(LocationOf(p));
    if (!loc || loc->bucket != where->bucket || !loc->key.starts_with(prefix)) continue;
    std::string dir = loc->key;
    if (!dir.empty() && dir.back() != '/') dir += '/';
    const bool has_objects =
        std::any_of(objects->begin(), objects->end(), [&](const s3::ObjectInfo& o) { return o.key.starts_with(dir); });
    if (!has_objects) missing_on_fs.push_back(t->written + ":" + sql::PartitionName(keys, values));
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> missing;
  for (const auto& [name, values] : on_fs) {
    if (!in_metastore.contains(values)) missing.emplace_back(name, values);
  }
  auto listed = [&](const std::string& title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string line = title;
    for (const auto& i : items) line += "\t" + i;
    lines.push_back(std::move(line));
  };
  std::vector<std::string> not_in_metastore;
  for (const auto& m : missing) not_in_metastore.push_back(t->written + ":" + m.first);
  listed("Partitions not in metastore:", not_in_metastore);
  listed("Partitions missing from filesystem:", missing_on_fs);
  for (size_t begin = 0; begin < missing.size(); begin += kBatchCreateLimit) {
    const size_t end = std::min(missing.size(), begin + kBatchCreateLimit);
    json::array inputs;
    for (size_t i = begin; i < end; ++i) {
      inputs.push_back(sql::PartitionInputOf(*table, missing[i].second,
                                             sql::DefaultPartitionLocation(table_location, missing[i].first)));
    }
    auto r = CallGlue(env, "BatchCreatePartition",
                      {{"CatalogId", t->catalog_id},
                       {"DatabaseName", t->db},
                       {"TableName", t->table},
                       {"PartitionInputList", std::move(inputs)}});
    if (!r) continue;  // Hive logs "Repair error, could not add partition to metastore" and goes on
    std::set<std::vector<std::string>> failed;
    if (const auto* errors = r->if_contains("Errors"); errors != nullptr && errors->is_array()) {
      for (const auto& e : errors->as_array()) {
        const auto* values = e.is_object() ? e.as_object().if_contains("PartitionValues") : nullptr;
        if (values != nullptr) failed.insert(ValuesOf(json::object{{"Values", *values}}));
      }
    }
    for (size_t i = begin; i < end; ++i) {
      if (!failed.contains(missing[i].second)) {
        lines.push_back("Repair: Added partition to metastore " + t->written + ":" + missing[i].first);
      }
    }
  }
  return Lines("DDL", "MSCK_REPAIR_TABLE", "result", lines);
}

// --- catalog reads -----------------------------------------------------------------------------------------

// Hive's result schemas: SHOW DATABASES database_name, SHOW TABLES tab_name, SHOW COLUMNS field, SHOW
// PARTITIONS partition, SHOW CREATE TABLE createtab_stmt, SHOW TBLPROPERTIES prpt_name and prpt_value. The
// SubstatementTypes SHOW_CREATE_TABLE and SHOW_TABLE_PROPERTIES are Athena's as measured; SHOW_DATABASES,
// SHOW_TABLES, SHOW_COLUMNS and SHOW_PARTITIONS follow their pattern (xacct's choice).
Result<Outcome> RunShow(QueryEnv& env, const sql::Show& show) {
  if (show.kind == sql::ShowKind::kDatabases) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
    if (!catalog) return catalog.error();
    auto dbs = ListAll(env, "GetDatabases", {{"CatalogId", *catalog}}, "DatabaseList");
    if (!dbs) return dbs.error();
    std::vector<std::string> names;
    for (const auto& d : *dbs) {
      const std::string name = StringField(d, "Name");
      if (!show.pattern || sql::MatchesShowPattern(*show.pattern, name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return Lines("UTILITY", "SHOW_DATABASES", "database_name", names);
  }
  if (show.kind == sql::ShowKind::kTables) {
    auto catalog = CatalogIdOf(env, CatalogOf(env, std::nullopt));
    if (!catalog) return catalog.error();
    const std::string db = DatabaseOf(env, show.database);
    auto tables = ListAll(env, "GetTables", {{"CatalogId", *catalog}, {"DatabaseName", db}}, "TableList");
    if (!tables) return HiveErrorOf(tables.error(), Subject::kDatabase, db, "");
    std::vector<std::string> names;
    for (const auto& t : *tables) {
      const std::string name = StringField(t, "Name");
      if (!show.pattern || sql::MatchesShowPattern(*show.pattern, name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return Lines("UTILITY", "SHOW_TABLES", "tab_name", names);
  }
  auto t = Resolve(env, *show.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->full());
  if (!table) return table.error();
  switch (show.kind) {
    case sql::ShowKind::kColumns: {
      std::vector<std::string> fields;
      if (const auto* sd = table->if_contains("StorageDescriptor"); sd != nullptr && sd->is_object()) {
        if (const auto* cols = sd->as_object().if_contains("Columns"); cols != nullptr && cols->is_array()) {
          for (const auto& c : cols->as_array()) fields.push_back(sql::HivePad(StringField(c.as_object(), "Name")));
        }
      }
      for (const auto& k : KeysOf(*table)) fields.push_back(sql::HivePad(StringField(k.as_object(), "Name")));
      return Lines("UTILITY", "SHOW_COLUMNS", "field", fields);
    }
    case sql::ShowKind::kPartitions: {
      // xacct's wording of Hive's refusal for an unpartitioned table.
      if (KeysOf(*table).empty()) return sql::HiveDdlTaskError("Table " + t->table + " is not a partitioned table");
      auto partitions = PartitionsOf(env, *t);
      if (!partitions) return partitions.error();
      std::vector<std::string> names;
      for (const auto& p : *partitions) names.push_back(sql::PartitionName(KeysOf(*table), ValuesOf(p)));
      std::sort(names.begin(), names.end());
      return Lines("UTILITY", "SHOW_PARTITIONS", "partition", names);
    }
    case sql::ShowKind::kCreateTable:
      return Lines("UTILITY", "SHOW_CREATE_TABLE", "createtab_stmt", sql::ShowCreateTableLines(*table));
    case sql::ShowKind::kTblProperties: {
      const auto* params = table->if_contains("Parameters");
      const json::object none;
      const json::object& props = params != nullptr && params->is_object() ? params->as_object() : none;
      auto text = [](const json::value& v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); };
      if (show.property) {
        // Hive prints the value alone, or this sentence when the table has no such property.
        const auto* v = props.if_contains(*show.property);
        const std::string line =
            v != nullptr ? text(*v) : "Table " + t->full() + " does not have property: " + *show.property;
        return Lines("UTILITY", "SHOW_TABLE_PROPERTIES", "prpt_value", {line});
      }
      std::vector<std::vector<std::string>> rows;
      for (const auto& [k, v] : props) rows.push_back({std::string(k), text(v)});
      return TextRows("UTILITY", "SHOW_TABLE_PROPERTIES", {"prpt_name", "prpt_value"}, rows);
    }
    default:
      return AwsError::Server("InternalServerException", "unexpected SHOW statement");
  }
}

// DESCRIBE: UTILITY / DESCRIBE_TABLE with Hive's three string columns, as measured on Athena, and its
// messages for a missing table (as written), partition ({k=v}) or column ("cannot find field").
Result<Outcome> RunDescribe(QueryEnv& env, const sql::Describe& describe) {
  auto t = Resolve(env, describe.table);
  if (!t) return t.error();
  auto table = LoadTable(env, *t, t->written);
  if (!table) return table.error();
  if (describe.partition) {
    auto values = FullValues(*describe.partition, KeysOf(*table));
    if (!values) return values.error();
    auto p = CallGlue(env, "GetPartition",
                      {{"CatalogId", t->catalog_id},
                       {"DatabaseName", t->db},
                       {"TableName", t->table},
                       {"PartitionValues", ToArray(*values)}});
    if (!p) return HiveErrorOf(p.error(), Subject::kPartition, t->db, t->written, sql::SpecText(*describe.partition));
  }
  const std::vector<std::string> columns{"col_name", "data_type", "comment"};
  if (describe.formatted && !describe.column) {
    return TextRows("UTILITY", "DESCRIBE_TABLE", columns, sql::DescribeFormattedRows(*table));
  }
  auto rows = sql::DescribeRows(*table, describe.column);
  if (!rows) {
    std::string fields;
    size_t i = 0;
    auto add = [&](const json::value* list) {
      if (list == nullptr || !list->is_array()) return;
      for (const auto& c : list->as_array()) {
        fields += (i > 0 ? ", " : "") + std::to_string(i) + ":" + StringField(c.as_object(), "Name");
        ++i;
      }
    };
    if (const auto* sd = table->if_contains("StorageDescriptor"); sd != nullptr && sd->is_object()) {
      add(sd->as_object().if_contains("Columns"));
    }
    add(table->if_contains("PartitionKeys"));
    return sql::HiveDdlTaskError("cannot find field " + *describe.column + " from [" + fields + "]");
  }
  if (describe.extended && !describe.column) {
    // Hive's EXTENDED adds one line with the whole table; xacct prints Glue's Table object there.
    rows->push_back({"", " ", " "});
    rows->push_back({"Detailed Table Information", json::serialize(*table), " "});
  }
  return TextRows("UTILITY", "DESCRIBE_TABLE", columns, *rows);
}

}  // namespace

std::optional<Result<Outcome>> RunCatalogStatement(QueryEnv& env, const sql::Statement& statement) {
  return std::visit(
      [&](const auto& s) -> std::optional<Result<Outcome>> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, sql::CreateDatabase>) return CreateDatabase(env, s);
        if constexpr (std::is_same_v<T, sql::DropDatabase>) return DropDatabase(env, s);
        if constexpr (std::is_same_v<T, sql::CreateExternalTable>) return CreateTable(env, s);
        if constexpr (std::is_same_v<T, sql::DropTable>) return DropTable(env, s);
        if constexpr (std::is_same_v<T, sql::AlterTableAddPartition>) return AddPartitions(env, s);
        if constexpr (std::is_same_v<T, sql::AlterTableDropPartition>) return DropPartitions(env, s);
        if constexpr (std::is_same_v<T, sql::AlterTableSetLocation>) return SetLocation(env, s);
        if constexpr (std::is_same_v<T, sql::AlterTableSetTblProperties>) return SetTblProperties(env, s);
        if constexpr (std::is_same_v<T, sql::MsckRepairTable>) return MsckRepair(env, s);
        if constexpr (std::is_same_v<T, sql::Show>) return RunShow(env, s);
        if constexpr (std::is_same_v<T, sql::Describe>) return RunDescribe(env, s);
        return std::nullopt;
      },
      statement);
}

}  // namespace xacct::services::athena
