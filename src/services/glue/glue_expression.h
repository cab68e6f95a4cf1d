// The two filter languages of the Glue Data Catalog API (AWS Glue API Reference):
//  - GetTables `Expression`: "A regular expression pattern. If present, only those tables whose names
//    match the pattern are returned." Glue follows the Hive metastore here: `*` stands for any run of
//    characters and `|` separates alternatives; the match is on the whole (lower-case) name.
//  - GetPartitions `Expression`: "An expression that filters the partitions to be returned", a SQL
//    WHERE-clause predicate over the partition keys with =, <>, !=, <, <=, >, >=, AND, OR, NOT, IN,
//    BETWEEN, LIKE, IS [NOT] NULL and parentheses; literals are single-quoted strings or numbers. Keys of
//    the numeric types (tinyint, smallint, int, integer, bigint, long, float, double, decimal) compare as
//    numbers, every other type (string, varchar, char, date, timestamp) as text.
// Pure: no I/O, no knowledge of the store.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xacct::services::glue {

//! A partition key of a table: its name and Glue column type.
struct PartitionKey {
  std::string name;
  std::string type;
};

//! A compiled GetTables name pattern.
class TableNamePattern {
 public:
  //! InvalidInputException-worthy errors come back as an AwsError with code InvalidInputException.
  static Result<TableNamePattern> Parse(std::string_view expression);
  bool Matches(std::string_view table_name) const;

 private:
  std::shared_ptr<const std::regex> regex_;
};

//! A compiled GetPartitions predicate.
class PartitionPredicate {
 public:
  struct Node;
  //! Parses `expression` against the table's partition keys; an unknown key, a syntax error or a
  //! literal that does not fit its key's type is an InvalidInputException.
  static Result<PartitionPredicate> Parse(std::string_view expression, const std::vector<PartitionKey>& keys);
  //! `values` are a partition's values, one per key, in key order.
  bool Matches(const std::vector<std::string>& values) const;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<PartitionKey> keys_;
};

//! True for the Glue column types whose partition values compare as numbers.
bool IsNumericType(std::string_view type);

//! SQL LIKE: `%` any run, `_` any one character; no escape character (Glue has none).
bool SqlLike(std::string_view text, std::string_view pattern);

}  // namespace xacct::services::glue
