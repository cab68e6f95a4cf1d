// What Athena's DDL stores in Glue: seed 000's CREATE DATABASE and CREATE EXTERNAL TABLE (verbatim, with the
// bucket placeholder filled in) become the DatabaseInput and TableInput Athena writes (AWS Glue API
// Reference; Athena User Guide, "LazySimpleSerDe for CSV, TSV, and custom-delimited files").
#include <gtest/gtest.h>

#include "sql/ddl_catalog.h"
#include "sql/statement_parser.h"

namespace xacct::sql {
namespace {

template <typename T>
T Parse(const std::string& sql) {
  auto parsed = ParseStatement(sql);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return std::get<T>(*parsed);
}

TEST(DdlCatalogTest, SeedDatabaseBecomesADatabaseInput) {
  const auto input =
      DatabaseInputOf(Parse<CreateDatabase>("CREATE DATABASE IF NOT EXISTS cm_kasama_cross_account_db\n"
                                            "COMMENT 'Database for cross-account access testing'\n"
                                            "LOCATION 's3://source-bucket/data/';"));
  EXPECT_EQ(json::serialize(input),
            R"({"Name":"cm_kasama_cross_account_db","Description":"Database for cross-account access testing",)"
            R"("LocationUri":"s3://source-bucket/data/"})");
}

TEST(DdlCatalogTest, SeedCsvTableBecomesALazySimpleSerDeTextTable) {
  auto input = TableInputOf(
      Parse<CreateExternalTable>("CREATE EXTERNAL TABLE IF NOT EXISTS cm_kasama_cross_account_db.sales (\n"
                                 "  id INT COMMENT 'Sales ID',\n  product STRING COMMENT 'Product name',\n"
                                 "  amount INT COMMENT 'Sales amount',\n  date STRING COMMENT 'Sales date'\n)\n"
                                 "ROW FORMAT DELIMITED\nFIELDS TERMINATED BY ','\nSTORED AS TEXTFILE\n"
                                 "LOCATION 's3://source-bucket/data/'\n"
                                 "TBLPROPERTIES (\n  'skip.header.line.count' = '1',\n  'classification' = 'csv'\n);"));
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(StringField(*input, "Name"), "sales");
  EXPECT_EQ(StringField(*input, "TableType"), "EXTERNAL_TABLE");
  const auto& params = input->at("Parameters").as_object();
  EXPECT_EQ(StringField(params, "skip.header.line.count"), "1");
  EXPECT_EQ(StringField(params, "classification"), "csv");
  EXPECT_EQ(StringField(params, "EXTERNAL"), "TRUE");
  const auto& sd = input->at("StorageDescriptor").as_object();
  EXPECT_EQ(StringField(sd, "Location"), "s3://source-bucket/data/");
  EXPECT_EQ(StringField(sd, "InputFormat"), "org.apache.hadoop.mapred.TextInputFormat");
  EXPECT_EQ(StringField(sd, "OutputFormat"), "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
  const auto& serde = sd.at("SerdeInfo").as_object();
  EXPECT_EQ(StringField(serde, "SerializationLibrary"), "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
  EXPECT_EQ(json::serialize(serde.at("Parameters")), R"({"field.delim":",","serialization.format":","})");
  EXPECT_EQ(
      json::serialize(sd.at("Columns")),
      R"([{"Name":"id","Type":"int","Comment":"Sales ID"},{"Name":"product","Type":"string","Comment":"Product name"},)"
      R"({"Name":"amount","Type":"int","Comment":"Sales amount"},{"Name":"date","Type":"string","Comment":"Sales date"}])");
  EXPECT_TRUE(input->at("PartitionKeys").as_array().empty());
}

// Each STORED AS names Hive's input format, output format and default SerDe.
TEST(DdlCatalogTest, StoredAsPicksFormatsAndSerDe) {
  struct Case {
    const char* stored_as;
    const char* input_format;
    const char* serde;
  };
  const Case cases[] = {
      {"PARQUET", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
       "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
      {"ORC", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
      {"TEXTFILE", "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
  };
  for (const auto& c : cases) {
    auto input = TableInputOf(Parse<CreateExternalTable>(
        std::string("CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt string) STORED AS ") + c.stored_as +
        " LOCATION 's3://b/t/'"));
    ASSERT_TRUE(input.ok()) << c.stored_as;
    const auto& sd = input->at("StorageDescriptor").as_object();
    EXPECT_EQ(StringField(sd, "InputFormat"), c.input_format) << c.stored_as;
    EXPECT_EQ(StringField(sd.at("SerdeInfo").as_object(), "SerializationLibrary"), c.serde) << c.stored_as;
    EXPECT_EQ(json::serialize(input->at("PartitionKeys")), R"([{"Name":"dt","Type":"string"}])") << c.stored_as;
  }
}

TEST(DdlCatalogTest, ANamedSerDeKeepsItsProperties) {
  auto input = TableInputOf(Parse<CreateExternalTable>(
      "CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' "
      "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"') LOCATION 's3://b/t/'"));
  ASSERT_TRUE(input.ok());
  const auto& serde = input->at("StorageDescriptor").as_object().at("SerdeInfo").as_object();
  EXPECT_EQ(StringField(serde, "SerializationLibrary"), "org.apache.hadoop.hive.serde2.OpenCSVSerde");
  EXPECT_EQ(json::serialize(serde.at("Parameters")), R"({"separatorChar":",","quoteChar":"\""})");
}

}  // namespace
}  // namespace xacct::sql
