#include "sql/ddl_catalog.h"

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
  json::object parameters = Parameters(statement.tblproperties);
  parameters["EXTERNAL"] = "TRUE";
  json::object input{{"Name", statement.name.table},
                     {"TableType", "EXTERNAL_TABLE"},
                     {"Parameters", std::move(parameters)},
                     {"StorageDescriptor", std::move(sd)},
                     {"PartitionKeys", Columns(statement.partitioned_by)}};
  if (statement.comment) input["Description"] = *statement.comment;
  return input;
}

}  // namespace xacct::sql
