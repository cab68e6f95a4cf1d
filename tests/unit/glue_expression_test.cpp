// The Glue Data Catalog's filter languages (AWS Glue API Reference: GetTables and GetPartitions,
// "Expression"), as tables of cases: a table-name pattern and a partition predicate over typed keys.
#include "services/glue/glue_expression.h"

#include <gtest/gtest.h>

namespace xacct::services::glue {
namespace {

struct NameCase {
  const char* pattern;
  const char* name;
  bool matches;
};

TEST(GlueTableNamePattern, HiveStylePatternsMatchWholeNames) {
  const NameCase cases[] = {
      {"sales*", "sales", true},
      {"sales*", "sales_2024", true},
      {"sales*", "presales", false},
      {"*sales", "presales", true},
      {"sales", "sales_2024", false},
      {"orders|sales", "sales", true},
      {"orders|sales", "customers", false},
      {"sales_20[0-9]+", "sales_2024", true},
      {".*", "anything", true},
      {"SALES", "sales", true},
      {"s.les", "sales", true},
  };
  for (const auto& c : cases) {
    auto p = TableNamePattern::Parse(c.pattern);
    ASSERT_TRUE(p.ok()) << c.pattern;
    EXPECT_EQ(p->Matches(c.name), c.matches) << c.pattern << " ~ " << c.name;
  }
}

TEST(GlueTableNamePattern, BrokenRegexIsInvalidInput) {
  auto p = TableNamePattern::Parse("sales(");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "InvalidInputException");
}

struct PredicateCase {
  const char* expression;
  std::vector<std::string> values;  // year (int), region (string), day (date)
  bool matches;
};

TEST(GluePartitionPredicate, OperatorsAndTypes) {
  const std::vector<PartitionKey> keys{{"year", "int"}, {"region", "string"}, {"day", "date"}};
  const PredicateCase cases[] = {
      {"year = 2024", {"2024", "eu", "2024-01-01"}, true},
      {"year = 2024", {"2023", "eu", "2023-01-01"}, false},
      {"year < 2022", {"10", "eu", "2010-01-01"}, true},  // numbers, not text: "10" < "2022"
      {"region < 'f'", {"2024", "eu", "2024-01-01"}, true},
      {"region <> 'eu'", {"2024", "eu", "2024-01-01"}, false},
      {"region != 'us'", {"2024", "eu", "2024-01-01"}, true},
      {"year >= 2024 AND region = 'eu'", {"2024", "eu", "2024-01-01"}, true},
      {"year >= 2024 AND region = 'us'", {"2024", "eu", "2024-01-01"}, false},
      {"year > 2030 OR region = 'eu'", {"2024", "eu", "2024-01-01"}, true},
      {"NOT year = 2024", {"2024", "eu", "2024-01-01"}, false},
      {"not (year = 2023 or region = 'us')", {"2024", "eu", "2024-01-01"}, true},
      {"region IN ('eu', 'us')", {"2024", "us", "2024-01-01"}, true},
      {"region NOT IN ('eu', 'us')", {"2024", "us", "2024-01-01"}, false},
      {"year IN (2023, 2024)", {"2024", "eu", "2024-01-01"}, true},
      {"year BETWEEN 2020 AND 2024", {"2024", "eu", "2024-01-01"}, true},
      {"year NOT BETWEEN 2020 AND 2024", {"2019", "eu", "2019-01-01"}, true},
      {"day BETWEEN '2024-01-01' AND '2024-01-31'", {"2024", "eu", "2024-01-15"}, true},
      {"day > '2024-01-31'", {"2024", "eu", "2024-01-15"}, false},
      {"region LIKE 'e%'", {"2024", "eu", "2024-01-01"}, true},
      {"region LIKE '_s'", {"2024", "us", "2024-01-01"}, true},
      {"region NOT LIKE '%s'", {"2024", "us", "2024-01-01"}, false},
      {"region = 'o''brien'", {"2024", "o'brien", "2024-01-01"}, true},
      {"`year` = 2024", {"2024", "eu", "2024-01-01"}, true},
      {"YEAR = 2024", {"2024", "eu", "2024-01-01"}, true},
      {"year = '2024'", {"2024", "eu", "2024-01-01"}, true},
      {"year = 2024", {"n/a", "eu", "2024-01-01"}, false},  // a non-numeric value of an int key never matches
      {"region IS NOT NULL", {"2024", "eu", "2024-01-01"}, true},
  };
  for (const auto& c : cases) {
    auto p = PartitionPredicate::Parse(c.expression, keys);
    ASSERT_TRUE(p.ok()) << c.expression << ": " << p.error().message;
    EXPECT_EQ(p->Matches(c.values), c.matches) << c.expression;
  }
}

TEST(GluePartitionPredicate, MalformedExpressionsAreInvalidInput) {
  const std::vector<PartitionKey> keys{{"year", "int"}, {"region", "string"}};
  for (const char* bad : {"month = 1", "year =", "year = 'open", "(year = 1", "year ~ 1", "year = 1 region = 'x'",
                          "year IN 1", "year BETWEEN 1", "year NOT = 1", "AND"}) {
    auto p = PartitionPredicate::Parse(bad, keys);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code, "InvalidInputException") << bad;
  }
}

TEST(GlueSqlLike, Wildcards) {
  EXPECT_TRUE(SqlLike("2024-01-15", "2024-%"));
  EXPECT_TRUE(SqlLike("abc", "a_c"));
  EXPECT_TRUE(SqlLike("abc", "%"));
  EXPECT_TRUE(SqlLike("", "%"));
  EXPECT_FALSE(SqlLike("abc", "a_"));
  EXPECT_TRUE(SqlLike("aXbXc", "a%b%c"));
  EXPECT_FALSE(SqlLike("acb", "a%bc"));
}

}  // namespace
}  // namespace xacct::services::glue
