// The canonical JSON dump of a parsed statement (tests/sql/parser/*.test): fields in declaration order,
// absent optionals, false flags and empty lists left out.
#include "sql/statement.h"

namespace xacct::sql {

namespace {

void Put(json::object& o, std::string_view key, const std::optional<std::string>& v) {
  if (v) o[key] = *v;
}
void Put(json::object& o, std::string_view key, bool v) {
  if (v) o[key] = true;
}
json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
void Put(json::object& o, std::string_view key, const std::vector<std::string>& v) {
  if (!v.empty()) o[key] = Strings(v);
}
json::array Pairs(const Properties& p) {
  json::array a;
  for (const auto& [k, v] : p) a.emplace_back(json::array{json::value(k), json::value(v)});
  return a;
}
void Put(json::object& o, std::string_view key, const Properties& p) {
  if (!p.empty()) o[key] = Pairs(p);
}
void Put(json::object& o, std::string_view key, const std::vector<ColumnDef>& cols) {
  if (cols.empty()) return;
  json::array a;
  for (const auto& c : cols) a.emplace_back(c.ToJson());
  o[key] = std::move(a);
}
void Put(json::object& o, std::string_view key, const std::vector<WithProperty>& props) {
  if (props.empty()) return;
  json::object w;
  for (const auto& p : props) w[p.name] = p.ValueJson();
  o[key] = std::move(w);
}
void Put(json::object& o, std::string_view key, const std::vector<PartitionSpec>& parts) {
  json::array a;
  for (const auto& p : parts) a.emplace_back(p.ToJson());
  o[key] = std::move(a);
}

const char* ShowKindName(ShowKind k) {
  switch (k) {
    case ShowKind::kDatabases:
      return "DATABASES";
    case ShowKind::kTables:
      return "TABLES";
    case ShowKind::kColumns:
      return "COLUMNS";
    case ShowKind::kPartitions:
      return "PARTITIONS";
    case ShowKind::kCreateTable:
      return "CREATE TABLE";
    case ShowKind::kTblProperties:
      return "TBLPROPERTIES";
  }
  return "";
}

template <typename T>
constexpr const char* KindName() {
  if constexpr (std::is_same_v<T, CreateDatabase>) return "CreateDatabase";
  if constexpr (std::is_same_v<T, CreateExternalTable>) return "CreateExternalTable";
  if constexpr (std::is_same_v<T, DropTable>) return "DropTable";
  if constexpr (std::is_same_v<T, DropDatabase>) return "DropDatabase";
  if constexpr (std::is_same_v<T, AlterTableAddPartition>) return "AlterTableAddPartition";
  if constexpr (std::is_same_v<T, AlterTableDropPartition>) return "AlterTableDropPartition";
  if constexpr (std::is_same_v<T, AlterTableSetLocation>) return "AlterTableSetLocation";
  if constexpr (std::is_same_v<T, AlterTableSetTblProperties>) return "AlterTableSetTblProperties";
  if constexpr (std::is_same_v<T, MsckRepairTable>) return "MsckRepairTable";
  if constexpr (std::is_same_v<T, Show>) return "Show";
  if constexpr (std::is_same_v<T, Describe>) return "Describe";
  if constexpr (std::is_same_v<T, InsertInto>) return "InsertInto";
  if constexpr (std::is_same_v<T, CreateTableAs>) return "CreateTableAs";
  if constexpr (std::is_same_v<T, Unload>) return "Unload";
  if constexpr (std::is_same_v<T, Explain>) return "Explain";
  if constexpr (std::is_same_v<T, Prepare>) return "Prepare";
  if constexpr (std::is_same_v<T, Execute>) return "Execute";
  if constexpr (std::is_same_v<T, Deallocate>) return "Deallocate";
  if constexpr (std::is_same_v<T, Select>) return "Select";
  return "";
}

}  // namespace

json::object QualifiedName::ToJson() const {
  json::object o;
  Put(o, "catalog", catalog);
  Put(o, "database", database);
  o["table"] = table;
  return o;
}

json::object ColumnDef::ToJson() const {
  json::object o;
  o["name"] = name;
  o["type"] = type;
  Put(o, "comment", comment);
  return o;
}

json::object RowFormatDelimited::ToJson() const {
  json::object o;
  o["delimited"] = true;
  Put(o, "fields_terminated", fields_terminated);
  Put(o, "escaped_by", escaped_by);
  Put(o, "collection_items_terminated", collection_items_terminated);
  Put(o, "map_keys_terminated", map_keys_terminated);
  Put(o, "lines_terminated", lines_terminated);
  Put(o, "null_defined_as", null_defined_as);
  return o;
}

json::object RowFormatSerde::ToJson() const {
  json::object o;
  o["serde"] = serde_class;
  Put(o, "properties", properties);
  return o;
}

json::object CreateDatabase::ToJson() const {
  json::object o;
  o["name"] = name;
  Put(o, "if_not_exists", if_not_exists);
  Put(o, "comment", comment);
  Put(o, "location", location);
  Put(o, "properties", properties);
  return o;
}

json::object CreateExternalTable::ToJson() const {
  json::object o;
  o["name"] = name.ToJson();
  Put(o, "if_not_exists", if_not_exists);
  Put(o, "external", external);
  Put(o, "columns", columns);
  Put(o, "comment", comment);
  Put(o, "partitioned_by", partitioned_by);
  Put(o, "clustered_by", clustered_by);
  if (num_buckets) o["num_buckets"] = *num_buckets;
  if (row_format) o["row_format"] = std::visit([](const auto& r) { return r.ToJson(); }, *row_format);
  Put(o, "stored_as", stored_as);
  Put(o, "input_format", input_format);
  Put(o, "output_format", output_format);
  Put(o, "location", location);
  Put(o, "tblproperties", tblproperties);
  return o;
}

json::object DropTable::ToJson() const {
  json::object o;
  o["name"] = name.ToJson();
  Put(o, "if_exists", if_exists);
  return o;
}

json::object DropDatabase::ToJson() const {
  json::object o;
  o["name"] = name;
  Put(o, "if_exists", if_exists);
  Put(o, "cascade", cascade);
  return o;
}

json::object PartitionSpec::ToJson() const {
  json::object o;
  o["spec"] = Pairs(spec);
  Put(o, "location", location);
  return o;
}

json::object AlterTableAddPartition::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  Put(o, "if_not_exists", if_not_exists);
  Put(o, "partitions", partitions);
  return o;
}

json::object AlterTableDropPartition::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  Put(o, "if_exists", if_exists);
  Put(o, "partitions", partitions);
  return o;
}

json::object AlterTableSetLocation::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  if (partition) o["partition"] = Pairs(*partition);
  o["location"] = location;
  return o;
}

json::object AlterTableSetTblProperties::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  o["properties"] = Pairs(properties);
  return o;
}

json::object MsckRepairTable::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  return o;
}

json::object Show::ToJson() const {
  json::object o;
  o["what"] = ShowKindName(kind);
  Put(o, "database", database);
  if (table) o["table"] = table->ToJson();
  Put(o, "pattern", pattern);
  Put(o, "property", property);
  return o;
}

json::object Describe::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  Put(o, "formatted", formatted);
  Put(o, "extended", extended);
  if (partition) o["partition"] = Pairs(*partition);
  Put(o, "column", column);
  return o;
}

json::object InsertInto::ToJson() const {
  json::object o;
  o["table"] = table.ToJson();
  Put(o, "columns", columns);
  o["query_sql"] = query_sql;
  return o;
}

json::value WithProperty::ValueJson() const {
  switch (kind) {
    case Kind::kString:
      return json::value(value);
    case Kind::kNumber:
      // Integers (bucket_count = 16) as JSON numbers; anything else keeps its SQL text.
      if (!value.empty() && value.size() <= 18 && value.find_first_not_of("0123456789") == std::string::npos) {
        return json::value(std::stoll(value));
      }
      return json::value(value);
    case Kind::kBoolean:
      return json::value(value == "true");
    case Kind::kArray:
      return Strings(values);
  }
  return nullptr;
}

json::object CreateTableAs::ToJson() const {
  json::object o;
  o["name"] = name.ToJson();
  Put(o, "if_not_exists", if_not_exists);
  Put(o, "with_properties", with_properties);
  o["query_sql"] = query_sql;
  o["with_data"] = with_data;
  return o;
}

json::object Unload::ToJson() const {
  json::object o;
  o["query_sql"] = query_sql;
  o["location"] = location;
  Put(o, "with_properties", with_properties);
  return o;
}

json::object Explain::ToJson() const {
  json::object o;
  Put(o, "analyze", analyze);
  Put(o, "verbose", verbose);
  Put(o, "type", type);
  Put(o, "format", format);
  o["statement_sql"] = statement_sql;
  return o;
}

json::object Prepare::ToJson() const {
  json::object o;
  o["name"] = name;
  o["sql"] = sql;
  return o;
}

json::object Execute::ToJson() const {
  json::object o;
  o["name"] = name;
  Put(o, "parameters", parameters);
  return o;
}

json::object Deallocate::ToJson() const {
  json::object o;
  o["name"] = name;
  return o;
}

json::object Select::ToJson() const {
  json::object o;
  o["sql"] = sql;
  return o;
}

json::object StatementToJson(const Statement& statement) {
  return std::visit(
      [](const auto& s) {
        json::object o;
        o["kind"] = KindName<std::decay_t<decltype(s)>>();
        for (auto& [k, v] : s.ToJson()) o[k] = v;
        return o;
      },
      statement);
}

std::string StatementJsonLine(const Statement& statement) { return json::serialize(StatementToJson(statement)); }

}  // namespace xacct::sql
