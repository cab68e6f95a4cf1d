// What Athena's DDL stores in Glue: seed 000's CREATE DATABASE and CREATE EXTERNAL TABLE (verbatim, with the
// bucket placeholder filled in) become the DatabaseInput and TableInput Athena writes (AWS Glue API
// Reference; Athena User Guide, "LazySimpleSerDe for CSV, TSV, and custom-delimited files").
#include <gtest/gtest.h>

#include <algorithm>

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

// What the DDL reads back and writes into partitions: Hive's conventions as Athena shows them (Athena User Guide,
// "ALTER TABLE ADD PARTITION", "MSCK REPAIR TABLE", "SHOW CREATE TABLE", "DESCRIBE"; Hive's messages).

json::object Table(const std::string& sql) {
  auto input = TableInputOf(Parse<CreateExternalTable>(sql));
  EXPECT_TRUE(input.ok());
  json::object table = *input;
  table["DatabaseName"] = "db";
  table["CreateTime"] = 0;
  table["VersionId"] = "3";
  table["CatalogId"] = "111111111111";
  return table;
}

const json::object& Events() {
  static const json::object table = Table(
      "CREATE EXTERNAL TABLE events (id int COMMENT 'the id', body string) PARTITIONED BY (dt string, hr int) "
      "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION 's3://b/events/' TBLPROPERTIES ('b'='2', 'a'='1')");
  return table;
}

const json::array& Keys() { return Events().at("PartitionKeys").as_array(); }

TEST(DdlCatalogTest, PartitionSpecsAreOrderedTypedAndCheckedInHivesWords) {
  struct Case {
    Properties spec;
    bool full;
    std::string values_or_error;  // values joined by '|' ("-" for a key left out), or the error message
  };
  const Case cases[] = {
      {{{"dt", "2024-01-01"}, {"hr", "05"}}, true, "2024-01-01|5"},
      {{{"hr", "+7"}, {"dt", "x"}}, true, "x|7"},
      {{{"HR", "-0"}, {"dt", "x"}}, true, "x|0"},
      {{{"dt", "x"}}, false, "x|-"},
      {{{"dt", "x"}},
       true,
       "FAILED: ValidationFailureSemanticException partition spec {dt=x} doesn't contain all (2) partition columns"},
      {{{"dt", "x"}, {"hour", "1"}},
       true,
       "FAILED: ValidationFailureSemanticException Partition spec {dt=x, hour=1} contains non-partition columns"},
      {{{"dt", "x"}, {"hr", "noon"}},
       true,
       "FAILED: SemanticException [Error 10248]: Cannot add partition column hr of type string as it cannot be "
       "converted to type int"},
  };
  for (const auto& c : cases) {
    auto values = PartitionSpecValues(c.spec, Keys(), c.full);
    std::string got;
    if (values.ok()) {
      for (size_t i = 0; i < values->size(); ++i) got += (i > 0 ? "|" : "") + (*values)[i].value_or("-");
    } else {
      got = values.error().message;
    }
    EXPECT_EQ(got, c.values_or_error) << SpecText(c.spec);
  }
  auto flat = PartitionSpecValues({{"a", "1"}}, json::array{}, true);
  ASSERT_FALSE(flat.ok());
  EXPECT_EQ(flat.error().message,
            "FAILED: SemanticException table is not partitioned but partition spec exists: {a=1}");
}

TEST(DdlCatalogTest, PartitionPathsUseHivesEscaping) {
  EXPECT_EQ(EscapeHivePath("10:00 am/x=y%"), "10%3A00 am%2Fx%3Dy%25");
  EXPECT_EQ(UnescapeHivePath("10%3A00 am%2Fx%3Dy%25%zz"), "10:00 am/x=y%%zz");
  EXPECT_EQ(PartitionName(Keys(), {"2024-01-01", "5"}), "dt=2024-01-01/hr=5");
  EXPECT_EQ(PartitionName(Keys(), {"a:b", "5"}), "dt=a%3Ab/hr=5");
  EXPECT_EQ(DefaultPartitionLocation("s3://b/events/", "dt=a/hr=5"), "s3://b/events/dt=a/hr=5/");
  EXPECT_EQ(DefaultPartitionLocation("s3://b/events", "dt=a/hr=5"), "s3://b/events/dt=a/hr=5/");
}

TEST(DdlCatalogTest, MsckTakesOnlyDirectoriesNamedForTheKeysInOrder) {
  struct Case {
    const char* key;
    const char* values;  // joined by '|'; "" for not a partition
  };
  const Case cases[] = {
      {"dt=a/hr=5/part-0.csv", "a|5"},
      {"dt=a/hr=5/sub/deeper.csv", "a|5"},
      {"dt=a%3Ab/hr=5/f", "a:b|5"},
      {"dt=a/hr=5/", "a|5"},
      {"hr=5/dt=a/f", ""},
      {"dt=a/f", ""},
      {"DT=a/hr=5/f", ""},
      {"dt=/hr=5/f", ""},
      {"misc/f", ""},
      {"dt=a/hr=5", ""},
  };
  for (const auto& c : cases) {
    auto values = PartitionValuesOfPath(c.key, Keys());
    std::string got;
    for (size_t i = 0; values && i < values->size(); ++i) got += (i > 0 ? "|" : "") + (*values)[i];
    EXPECT_EQ(got, c.values) << c.key;
  }
}

TEST(DdlCatalogTest, NewPartitionsCopyTheTableStorageAndUpdatesKeepOnlyInputMembers) {
  const auto p = PartitionInputOf(Events(), {"a", "5"}, "s3://b/events/dt=a/hr=5/");
  EXPECT_EQ(json::serialize(p.at("Values")), R"(["a","5"])");
  const auto& sd = p.at("StorageDescriptor").as_object();
  EXPECT_EQ(StringField(sd, "Location"), "s3://b/events/dt=a/hr=5/");
  EXPECT_EQ(sd.at("SerdeInfo"), Events().at("StorageDescriptor").as_object().at("SerdeInfo"));
  EXPECT_EQ(sd.at("Columns"), Events().at("StorageDescriptor").as_object().at("Columns"));
  const auto input = TableInputFromTable(Events());
  for (const auto* glue_only : {"DatabaseName", "CreateTime", "VersionId", "CatalogId"}) {
    EXPECT_FALSE(input.contains(glue_only)) << glue_only;
  }
  EXPECT_EQ(input.at("StorageDescriptor"), Events().at("StorageDescriptor"));
  // EXTERNAL first, then TBLPROPERTIES as written: the order SHOW TBLPROPERTIES prints.
  EXPECT_EQ(json::serialize(input.at("Parameters")), R"({"EXTERNAL":"TRUE","b":"2","a":"1"})");
}

TEST(DdlCatalogTest, ShowCreateTablePrintsHivesDdl) {
  const std::vector<std::string> delimited{"CREATE EXTERNAL TABLE `events`(",
                                           "  `id` int COMMENT 'the id', ",
                                           "  `body` string)",
                                           "PARTITIONED BY ( ",
                                           "  `dt` string, ",
                                           "  `hr` int)",
                                           "ROW FORMAT DELIMITED ",
                                           "  FIELDS TERMINATED BY '\\t' ",
                                           "STORED AS INPUTFORMAT ",
                                           "  'org.apache.hadoop.mapred.TextInputFormat' ",
                                           "OUTPUTFORMAT ",
                                           "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
                                           "LOCATION",
                                           "  's3://b/events'",
                                           "TBLPROPERTIES (",
                                           "  'a'='1', ",
                                           "  'b'='2')"};
  EXPECT_EQ(ShowCreateTableLines(Events()), delimited);
  const std::vector<std::string> serde{"CREATE EXTERNAL TABLE `p`(",
                                       "  `a` bigint)",
                                       "ROW FORMAT SERDE ",
                                       "  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' ",
                                       "WITH SERDEPROPERTIES ( ",
                                       "  'serialization.format'='1') ",
                                       "STORED AS INPUTFORMAT ",
                                       "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' ",
                                       "OUTPUTFORMAT ",
                                       "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'",
                                       "LOCATION",
                                       "  's3://b/p'"};
  EXPECT_EQ(ShowCreateTableLines(Table("CREATE EXTERNAL TABLE p (a bigint) STORED AS PARQUET LOCATION 's3://b/p/'")),
            serde);
}

TEST(DdlCatalogTest, DescribePadsFieldsAndRepeatsThePartitionKeys) {
  auto pad = [](std::string s) { return s.append(20 - s.size(), ' '); };
  using Row = std::vector<std::string>;
  const std::vector<Row> expected{{pad("id"), pad("int"), pad("the id")},
                                  {pad("body"), pad("string"), pad("")},
                                  {pad("dt"), pad("string"), pad("")},
                                  {pad("hr"), pad("int"), pad("")},
                                  {"", " ", " "},
                                  {"# Partition Information", " ", " "},
                                  {pad("# col_name"), pad("data_type"), pad("comment")},
                                  {"", " ", " "},
                                  {pad("dt"), pad("string"), pad("")},
                                  {pad("hr"), pad("int"), pad("")}};
  EXPECT_EQ(DescribeRows(Events(), std::nullopt), expected);
  EXPECT_EQ(DescribeRows(Events(), std::string("hr")), (std::vector<Row>{{pad("hr"), pad("int"), pad("")}}));
  EXPECT_FALSE(DescribeRows(Events(), std::string("nope")).has_value());
  const auto formatted = DescribeFormattedRows(Events());
  EXPECT_NE(std::find(formatted.begin(), formatted.end(), Row{pad("Location:"), pad("s3://b/events/"), " "}),
            formatted.end());
  EXPECT_NE(std::find(formatted.begin(), formatted.end(), Row{"", pad("field.delim"), pad("\t")}), formatted.end());
}

TEST(DdlCatalogTest, ShowPatternsAreAlternativesOfGlobs) {
  struct Case {
    const char* pattern;
    const char* name;
    bool matches;
  };
  const Case cases[] = {{"*", "anything", true},
                        {"sales", "sales", true},
                        {"sales", "sales2", false},
                        {"sa*", "sales", true},
                        {"*es", "sales", true},
                        {"s*l*s", "sales", true},
                        {"a*|s*", "sales", true},
                        {"a*|b*", "sales", false},
                        {"SALES", "sales", true},
                        {"s*x", "sales", false},
                        {"", "", true}};
  for (const auto& c : cases) EXPECT_EQ(MatchesShowPattern(c.pattern, c.name), c.matches) << c.pattern << " " << c.name;
}

}  // namespace
}  // namespace xacct::sql
