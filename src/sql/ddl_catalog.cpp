#include "sql/ddl_catalog.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace xacct::sql {

namespace {

constexpr std::string_view kTextInput = "org.apache.hadoop.mapred.TextInputFormat";
constexpr std::string_view kTextOutput = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
constexpr std::string_view kLazySimple = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

// STORED AS → input format, output format, the SerDe used when no ROW FORMAT names one.
struct StoredAs {
  std::string_view name;
  std::string_view input;
  std::string_view output;
  std::string_view serde;
};
constexpr StoredAs kFormats[] = {
    {"TEXTFILE", kTextInput, kTextOutput, kLazySimple},
    {"PARQUET", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
     "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
     "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
    {"ORC", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
     "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
    {"AVRO", "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
     "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat", "org.apache.hadoop.hive.serde2.avro.AvroSerDe"},
    {"JSONFILE", kTextInput, kTextOutput, "org.apache.hive.hcatalog.data.JsonSerDe"},
    {"SEQUENCEFILE", "org.apache.hadoop.mapred.SequenceFileInputFormat",
     "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat", kLazySimple},
    {"RCFILE", "org.apache.hadoop.hive.ql.io.RCFileInputFormat", "org.apache.hadoop.hive.ql.io.RCFileOutputFormat",
     "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe"},
    {"ION", "com.amazon.ionhiveserde.formats.IonInputFormat", "com.amazon.ionhiveserde.formats.IonOutputFormat",
     "com.amazon.ionhiveserde.IonHiveSerDe"},
};

json::array Columns(const std::vector<ColumnDef>& columns) {
  json::array out;
  for (const auto& c : columns) {
    json::object col{{"Name", c.name}, {"Type", c.type}};
    if (c.comment) col["Comment"] = *c.comment;
    out.push_back(std::move(col));
  }
  return out;
}

json::object Parameters(const Properties& properties) {
  json::object out;
  for (const auto& [k, v] : properties) out[k] = v;
  return out;
}

}  // namespace

json::object DatabaseInputOf(const CreateDatabase& statement) {
  json::object input{{"Name", statement.name}};
  if (statement.comment) input["Description"] = *statement.comment;
  if (statement.location) input["LocationUri"] = *statement.location;
  if (!statement.properties.empty()) input["Parameters"] = Parameters(statement.properties);
  return input;
}

Result<json::object> TableInputOf(const CreateExternalTable& statement) {
  const std::string stored = statement.stored_as.value_or("TEXTFILE");
  const StoredAs* format = nullptr;
  for (const auto& f : kFormats) {
    if (f.name == stored) format = &f;
  }
  if (format == nullptr && !statement.input_format) {
    return AwsError::Client("InvalidRequestException",
                            "FAILED: SemanticException Unrecognized file format in STORED AS clause: '" + stored + "'");
  }
  json::object serde;
  json::object serde_parameters;
  if (statement.row_format && std::holds_alternative<RowFormatSerde>(*statement.row_format)) {
    const auto& s = std::get<RowFormatSerde>(*statement.row_format);
    serde["SerializationLibrary"] = s.serde_class;
    serde_parameters = Parameters(s.properties);
  } else {
    serde["SerializationLibrary"] = format != nullptr ? format->serde : kLazySimple;
    if (statement.row_format) {
      // Hive's own parameter names, its "colelction.delim" spelling included.
      const auto& d = std::get<RowFormatDelimited>(*statement.row_format);
      if (d.fields_terminated) {
        serde_parameters["field.delim"] = *d.fields_terminated;
        serde_parameters["serialization.format"] = *d.fields_terminated;
      }
      if (d.escaped_by) serde_parameters["escape.delim"] = *d.escaped_by;
      if (d.collection_items_terminated) serde_parameters["colelction.delim"] = *d.collection_items_terminated;
      if (d.map_keys_terminated) serde_parameters["mapkey.delim"] = *d.map_keys_terminated;
      if (d.lines_terminated) serde_parameters["line.delim"] = *d.lines_terminated;
      if (d.null_defined_as) serde_parameters["serialization.null.format"] = *d.null_defined_as;
    }
    if (!serde_parameters.contains("serialization.format")) serde_parameters["serialization.format"] = "1";
  }
  serde["Parameters"] = std::move(serde_parameters);

  json::object sd{
      {"Columns", Columns(statement.columns)},
      {"InputFormat", statement.input_format ? std::string(*statement.input_format) : std::string(format->input)},
      {"OutputFormat", statement.output_format ? std::string(*statement.output_format)
                                               : std::string(format != nullptr ? format->output : "")},
      {"Compressed", false},
      {"NumberOfBuckets", statement.num_buckets.value_or(-1)},
      {"SerdeInfo", std::move(serde)},
      {"StoredAsSubDirectories", false}};
  if (statement.location) sd["Location"] = *statement.location;
  if (!statement.clustered_by.empty()) {
    json::array buckets;
    for (const auto& c : statement.clustered_by) buckets.emplace_back(c);
    sd["BucketColumns"] = std::move(buckets);
  }
  // EXTERNAL first, then the TBLPROPERTIES in the order written: the order SHOW TBLPROPERTIES prints.
  json::object parameters{{"EXTERNAL", "TRUE"}};
  for (const auto& [k, v] : statement.tblproperties) parameters[k] = v;
  json::object input{{"Name", statement.name.table},
                     {"TableType", "EXTERNAL_TABLE"},
                     {"Parameters", std::move(parameters)},
                     {"StorageDescriptor", std::move(sd)},
                     {"PartitionKeys", Columns(statement.partitioned_by)}};
  if (statement.comment) input["Description"] = *statement.comment;
  return input;
}

namespace {

constexpr size_t kHiveAlignment = 20;  // MetaDataFormatUtils.ALIGNMENT

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* ArrayAt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

std::string LowerText(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIntegerType(std::string_view type) {
  return type == "tinyint" || type == "smallint" || type == "int" || type == "integer" || type == "bigint";
}

// Hive's typed partition value: "+007" is 7 as an int. nullopt when the text is not an integer.
std::optional<std::string> NormalizeInteger(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size() || text.size() - i > 19) return std::nullopt;
  for (size_t j = i; j < text.size(); ++j) {
    if (std::isdigit(static_cast<unsigned char>(text[j])) == 0) return std::nullopt;
  }
  while (i + 1 < text.size() && text[i] == '0') ++i;
  std::string digits(text.substr(i));
  return negative && digits != "0" ? "-" + digits : digits;
}

bool NeedsHiveEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  return std::string_view("\"#%'*/:=?\\{[]^").find(static_cast<char>(c)) != std::string_view::npos;
}

// A delimiter or property as Hive writes it inside '...' of SHOW CREATE TABLE.
std::string QuoteHive(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case ';':
        out += "\\;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "'";
}

std::string StripTrailingSlash(std::string_view s) {
  while (s.size() > 1 && s.back() == '/' && !s.ends_with("://")) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> KeyNames(const json::array& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.is_object() ? StringField(k.as_object(), "Name") : "");
  return out;
}

std::vector<std::string> ColumnRow(const json::value& column) {
  const json::object empty;
  const json::object& c = column.is_object() ? column.as_object() : empty;
  return {HivePad(StringField(c, "Name")), HivePad(StringField(c, "Type")), HivePad(StringField(c, "Comment"))};
}

std::vector<std::string> HeaderRow() { return {HivePad("# col_name"), HivePad("data_type"), HivePad("comment")}; }

// Hive's empty line of a three-column DDL result, as Athena shows it.
std::vector<std::string> BlankRow() { return {"", " ", " "}; }
std::vector<std::string> TitleRow(const std::string& title) { return {title, " ", " "}; }

// "Thu Jan 01 00:00:00 UTC 1970": java.util.Date#toString in UTC, which Hive's DESCRIBE FORMATTED prints.
std::string JavaDate(double epoch_seconds) {
  const auto t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

std::string ParameterText(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

}  // namespace

AwsError HiveSemanticError(const std::string& message_after_failed) {
  AwsError e = AwsError::Client("SemanticException", "FAILED: " + message_after_failed);
  e.detail = "hive";
  return e;
}

AwsError HiveDdlTaskError(const std::string& message_after_ddltask) {
  AwsError e = AwsError::Client(
      "DDLTask",
      "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. " + message_after_ddltask);
  e.detail = "hive";
  return e;
}

std::string SpecText(const Properties& spec) {
  std::string out = "{";
  for (size_t i = 0; i < spec.size(); ++i) out += (i > 0 ? ", " : "") + spec[i].first + "=" + spec[i].second;
  return out + "}";
}

Result<std::vector<std::optional<std::string>>> PartitionSpecValues(const Properties& spec,
                                                                    const json::array& partition_keys, bool full) {
  if (partition_keys.empty()) {
    return HiveSemanticError("SemanticException table is not partitioned but partition spec exists: " + SpecText(spec));
  }
  const auto names = KeyNames(partition_keys);
  std::vector<std::optional<std::string>> values(names.size());
  for (const auto& [key, value] : spec) {
    const auto it = std::find(names.begin(), names.end(), LowerText(key));
    if (it == names.end()) {
      return HiveSemanticError("ValidationFailureSemanticException Partition spec " + SpecText(spec) +
                               " contains non-partition columns");
    }
    const size_t i = static_cast<size_t>(it - names.begin());
    const std::string type = LowerText(StringField(partition_keys[i].as_object(), "Type"));
    std::string typed = value;
    if (IsIntegerType(type)) {
      auto n = NormalizeInteger(value);
      // xacct's wording after Hive's ErrorMsg 10248 (a value that does not convert to its column's type).
      if (!n) {
        return HiveSemanticError("SemanticException [Error 10248]: Cannot add partition column " + names[i] +
                                 " of type string as it cannot be converted to type " + type);
      }
      typed = *n;
    } else if (type == "boolean") {
      typed = LowerText(value);
    }
    values[i] = std::move(typed);
  }
  if (full && static_cast<size_t>(std::count_if(values.begin(), values.end(),
                                                [](const auto& v) { return v.has_value(); })) != names.size()) {
    return HiveSemanticError("ValidationFailureSemanticException partition spec " + SpecText(spec) +
                             " doesn't contain all (" + std::to_string(names.size()) + ") partition columns");
  }
  return values;
}

std::string EscapeHivePath(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (NeedsHiveEscape(static_cast<unsigned char>(c))) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string UnescapeHivePath(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string PartitionName(const json::array& partition_keys, const std::vector<std::string>& values) {
  const auto names = KeyNames(partition_keys);
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += (i > 0 ? "/" : "") + EscapeHivePath(names[i]) + "=" + EscapeHivePath(values[i]);
  }
  return out;
}

std::optional<std::vector<std::string>> PartitionValuesOfPath(std::string_view relative_key,
                                                              const json::array& partition_keys) {
  std::vector<std::string> values;
  for (const auto& name : KeyNames(partition_keys)) {
    const size_t slash = relative_key.find('/');
    if (slash == std::string_view::npos) return std::nullopt;  // a directory holds something below it
    const std::string_view part = relative_key.substr(0, slash);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq + 1 == part.size() || UnescapeHivePath(part.substr(0, eq)) != name) {
      return std::nullopt;
    }
    values.push_back(UnescapeHivePath(part.substr(eq + 1)));
    relative_key.remove_prefix(slash + 1);
  }
  return values;
}

std::string DefaultPartitionLocation(std::string_view table_location, const std::string& partition_name) {
  std::string base(table_location);
  if (!base.empty() && base.back() != '/') base += '/';
  return base + partition_name + "/";
}

json::object TableInputFromTable(const json::object& table) {
  json::object input;
  for (const auto* key :
       {"Name", "Description", "Owner", "LastAccessTime", "LastAnalyzedTime", "Retention", "StorageDescriptor",
        "PartitionKeys", "ViewOriginalText", "ViewExpandedText", "TableType", "Parameters", "TargetTable"}) {
    if (const auto* v = table.if_contains(key)) input[key] = *v;
  }
  return input;
}

json::object PartitionInputOf(const json::object& table, const std::vector<std::string>& values,
                              const std::string& location) {
  json::array list;
  for (const auto& v : values) list.emplace_back(v);
  json::object sd =
      ObjectAt(table, "StorageDescriptor") != nullptr ? *ObjectAt(table, "StorageDescriptor") : json::object{};
  sd["Location"] = location;
  return json::object{{"Values", std::move(list)}, {"StorageDescriptor", std::move(sd)}};
}

json::object PartitionInputFromPartition(const json::object& partition) {
  json::object input;
  for (const auto* key : {"Values", "LastAccessTime", "StorageDescriptor", "Parameters", "LastAnalyzedTime"}) {
    if (const auto* v = partition.if_contains(key)) input[key] = *v;
  }
  return input;
}

// Hive's ShowCreateTableOperation layout (the trailing blanks and line breaks are Hive's own), as Athena
// prints it for a table of the Glue Data Catalog.
std::vector<std::string> ShowCreateTableLines(const json::object& table) {
  const json::object empty;
  const json::object& sd =
      ObjectAt(table, "StorageDescriptor") != nullptr ? *ObjectAt(table, "StorageDescriptor") : empty;
  const json::object& serde = ObjectAt(sd, "SerdeInfo") != nullptr ? *ObjectAt(sd, "SerdeInfo") : empty;
  const json::object& serde_params = ObjectAt(serde, "Parameters") != nullptr ? *ObjectAt(serde, "Parameters") : empty;
  auto column_lines = [](const json::array* columns, std::string& out) {
    for (size_t i = 0; columns != nullptr && i < columns->size(); ++i) {
      if (!(*columns)[i].is_object()) continue;
      const auto& c = (*columns)[i].as_object();
      out += "  `" + StringField(c, "Name") + "` " + StringField(c, "Type");
      if (c.contains("Comment")) out += " COMMENT " + QuoteHive(StringField(c, "Comment"));
      out += i + 1 < columns->size() ? ", \n" : ")";
    }
  };
  const bool external = StringField(table, "TableType") == "EXTERNAL_TABLE";
  std::string text =
      std::string("CREATE ") + (external ? "EXTERNAL " : "") + "TABLE `" + StringField(table, "Name") + "`(\n";
  column_lines(ArrayAt(sd, "Columns"), text);
  text += "\n";
  if (table.contains("Description")) text += "COMMENT " + QuoteHive(StringField(table, "Description")) + "\n";
  if (const auto* keys = ArrayAt(table, "PartitionKeys"); keys != nullptr && !keys->empty()) {
    text += "PARTITIONED BY ( \n";
    column_lines(keys, text);
    text += "\n";
  }
  if (const auto* buckets = ArrayAt(sd, "BucketColumns"); buckets != nullptr && !buckets->empty()) {
    text += "CLUSTERED BY ( \n";
    for (size_t i = 0; i < buckets->size(); ++i) {
      text += "  " + std::string(JsonString((*buckets)[i])) + (i + 1 < buckets->size() ? ", \n" : ") \n");
    }
    const auto* n = sd.if_contains("NumberOfBuckets");
    text += "INTO " + (n != nullptr ? json::serialize(*n) : std::string("-1")) + " BUCKETS\n";
  }
  const std::string lib = StringField(serde, "SerializationLibrary");
  // LazySimpleSerDe with Hive's delimiter parameters prints as ROW FORMAT DELIMITED, as Hive does.
  struct Delimiter {
    std::string_view parameter;
    std::string_view clause;
  };
  constexpr Delimiter kDelimiters[] = {{"field.delim", "FIELDS TERMINATED BY"},
                                       {"colelction.delim", "COLLECTION ITEMS TERMINATED BY"},
                                       {"mapkey.delim", "MAP KEYS TERMINATED BY"},
                                       {"line.delim", "LINES TERMINATED BY"},
                                       {"serialization.null.format", "NULL DEFINED AS"}};
  bool delimited = false;
  if (lib == kLazySimple) {
    for (const auto& d : kDelimiters) delimited = delimited || serde_params.contains(d.parameter);
  }
  if (delimited) {
    text += "ROW FORMAT DELIMITED \n";
    for (const auto& d : kDelimiters) {
      if (const auto* v = serde_params.if_contains(d.parameter)) {
        text += "  " + std::string(d.clause) + " " + QuoteHive(ParameterText(*v)) + " \n";
      }
    }
  } else {
    text += "ROW FORMAT SERDE \n  " + QuoteHive(lib) + " \n";
    if (!serde_params.empty()) {
      text += "WITH SERDEPROPERTIES ( \n";
      size_t i = 0;
      for (const auto& [k, v] : serde_params) {
        text += "  " + QuoteHive(k) + "=" + QuoteHive(ParameterText(v)) + (++i < serde_params.size() ? ", \n" : ") \n");
      }
    }
  }
  text += "STORED AS INPUTFORMAT \n  " + QuoteHive(StringField(sd, "InputFormat")) + " \nOUTPUTFORMAT \n  " +
          QuoteHive(StringField(sd, "OutputFormat")) + "\n";
  if (sd.contains("Location"))
    text += "LOCATION\n  " + QuoteHive(StripTrailingSlash(StringField(sd, "Location"))) + "\n";
  std::vector<std::pair<std::string, std::string>> properties;
  if (const auto* params = ObjectAt(table, "Parameters")) {
    for (const auto& [k, v] : *params) {
      if (k != "EXTERNAL" && k != "transient_lastDdlTime") properties.emplace_back(k, ParameterText(v));
    }
  }
  std::sort(properties.begin(), properties.end());
  if (!properties.empty()) {
    text += "TBLPROPERTIES (\n";
    for (size_t i = 0; i < properties.size(); ++i) {
      text += "  " + QuoteHive(properties[i].first) + "=" + QuoteHive(properties[i].second) +
              (i + 1 < properties.size() ? ", \n" : ")");
    }
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

std::string HivePad(std::string_view text) {
  std::string out(text);
  if (out.size() < kHiveAlignment) out.append(kHiveAlignment - out.size(), ' ');
  return out;
}

std::optional<std::vector<std::vector<std::string>>> DescribeRows(const json::object& table,
                                                                  const std::optional<std::string>& column) {
  const json::object empty;
  const json::object& sd =
      ObjectAt(table, "StorageDescriptor") != nullptr ? *ObjectAt(table, "StorageDescriptor") : empty;
  const json::array no_columns;
  const json::array& columns = ArrayAt(sd, "Columns") != nullptr ? *ArrayAt(sd, "Columns") : no_columns;
  const json::array& keys = ArrayAt(table, "PartitionKeys") != nullptr ? *ArrayAt(table, "PartitionKeys") : no_columns;
  std::vector<std::vector<std::string>> rows;
  if (column) {
    for (const auto* list : {&columns, &keys}) {
      for (const auto& c : *list) {
        if (c.is_object() && LowerText(StringField(c.as_object(), "Name")) == *column) {
          rows.push_back(ColumnRow(c));
          return rows;
        }
      }
    }
    return std::nullopt;
  }
  for (const auto& c : columns) rows.push_back(ColumnRow(c));
  for (const auto& c : keys) rows.push_back(ColumnRow(c));
  if (!keys.empty()) {
    rows.push_back(BlankRow());
    rows.push_back(TitleRow("# Partition Information"));
    rows.push_back(HeaderRow());
    rows.push_back(BlankRow());
    for (const auto& c : keys) rows.push_back(ColumnRow(c));
  }
  return rows;
}

std::vector<std::vector<std::string>> DescribeFormattedRows(const json::object& table) {
  const json::object empty;
  const json::object& sd =
      ObjectAt(table, "StorageDescriptor") != nullptr ? *ObjectAt(table, "StorageDescriptor") : empty;
  const json::object& serde = ObjectAt(sd, "SerdeInfo") != nullptr ? *ObjectAt(sd, "SerdeInfo") : empty;
  std::vector<std::vector<std::string>> rows{HeaderRow(), BlankRow()};
  if (const auto* columns = ArrayAt(sd, "Columns")) {
    for (const auto& c : *columns) rows.push_back(ColumnRow(c));
  }
  if (const auto* keys = ArrayAt(table, "PartitionKeys"); keys != nullptr && !keys->empty()) {
    rows.push_back(BlankRow());
    rows.push_back(TitleRow("# Partition Information"));
    rows.push_back(HeaderRow());
    rows.push_back(BlankRow());
    for (const auto& c : *keys) rows.push_back(ColumnRow(c));
  }
  auto field = [](const std::string& name, const std::string& value) {
    return std::vector<std::string>{HivePad(name), HivePad(value), " "};
  };
  auto parameters = [&rows](const json::object* params) {
    if (params == nullptr) return;
    std::vector<std::pair<std::string, std::string>> sorted;
    for (const auto& [k, v] : *params) sorted.emplace_back(k, ParameterText(v));
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [k, v] : sorted) rows.push_back({"", HivePad(k), HivePad(v)});
  };
  const auto* create = table.if_contains("CreateTime");
  rows.push_back(BlankRow());
  rows.push_back(TitleRow("# Detailed Table Information"));
  rows.push_back(field("Database:", StringField(table, "DatabaseName")));
  rows.push_back(field("Owner:", StringField(table, "Owner")));
  rows.push_back(field("CreateTime:",
                       create != nullptr && create->is_number() ? JavaDate(create->to_number<double>()) : "UNKNOWN"));
  rows.push_back(field("LastAccessTime:", "UNKNOWN"));
  rows.push_back(field("Protect Mode:", "None"));
  rows.push_back(field("Retention:", "0"));
  rows.push_back(field("Location:", StringField(sd, "Location")));
  rows.push_back(field("Table Type:", StringField(table, "TableType")));
  rows.push_back(TitleRow("Table Parameters:"));
  parameters(ObjectAt(table, "Parameters"));
  rows.push_back(BlankRow());
  rows.push_back(TitleRow("# Storage Information"));
  rows.push_back(field("SerDe Library:", StringField(serde, "SerializationLibrary")));
  rows.push_back(field("InputFormat:", StringField(sd, "InputFormat")));
  rows.push_back(field("OutputFormat:", StringField(sd, "OutputFormat")));
  const auto* compressed = sd.if_contains("Compressed");
  rows.push_back(
      field("Compressed:", compressed != nullptr && compressed->is_bool() && compressed->as_bool() ? "Yes" : "No"));
  const auto* buckets = sd.if_contains("NumberOfBuckets");
  rows.push_back(field("Num Buckets:", buckets != nullptr ? json::serialize(*buckets) : "-1"));
  std::string bucket_columns = "[";
  if (const auto* b = ArrayAt(sd, "BucketColumns")) {
    for (size_t i = 0; i < b->size(); ++i) bucket_columns += (i > 0 ? ", " : "") + std::string(JsonString((*b)[i]));
  }
  rows.push_back(field("Bucket Columns:", bucket_columns + "]"));
  rows.push_back(field("Sort Columns:", "[]"));
  rows.push_back(TitleRow("Storage Desc Params:"));
  parameters(ObjectAt(serde, "Parameters"));
  return rows;
}

bool MatchesShowPattern(std::string_view pattern, std::string_view name) {
  const std::string subject = LowerText(name);
  size_t start = 0;
  while (start <= pattern.size()) {
    const size_t bar = pattern.find('|', start);
    const std::string alt = LowerText(pattern.substr(start, bar == std::string_view::npos ? bar : bar - start));
    // Glob match with '*': iterative with backtracking to the last star.
    size_t p = 0, s = 0, star = std::string::npos, mark = 0;
    bool matched = true;
    while (s < subject.size()) {
      if (p < alt.size() && alt[p] == '*') {
        star = p++;
        mark = s;
      } else if (p < alt.size() && alt[p] == subject[s]) {
        ++p;
        ++s;
      } else if (star != std::string::npos) {
        p = star + 1;
        s = ++mark;
      } else {
        matched = false;
        break;
      }
    }
    while (matched && p < alt.size() && alt[p] == '*') ++p;
    if (matched && p == alt.size()) return true;
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return false;
}

}  // namespace xacct::sql
