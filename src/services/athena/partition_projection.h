// Partition projection (Athena User Guide, "Use partition projection with Amazon Athena", "Supported types
// for partition projection", "Use dynamic ID partitioning"): a table whose `projection.enabled` is true has
// its partitions computed from table properties instead of read from Glue. Types enum, integer, date and
// injected; `storage.location.template` places each partition (default: Hive style under the table's
// location). xacct lists the template's fixed prefix once and keeps the keys whose path fits the template
// with values inside every column's projection, which reads the same partitions as Athena's enumeration.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::services::athena {

//! One partition column's projection.
struct ColumnProjection {
  enum class Type : uint8_t { kEnum, kInteger, kDate, kInjected };
  std::string name;
  Type type = Type::kEnum;
  std::vector<std::string> values;  //!< enum
  int64_t low = 0, high = 0;        //!< integer range; date range in epoch seconds (UTC)
  int64_t interval = 1;             //!< integer and date
  int digits = 0;                   //!< integer: zero padding
  std::string format;               //!< date: a Java DateTimeFormatter pattern
  std::string unit;                 //!< date: YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS
};

//! A table's projection: the columns in partition-key order and where their partitions live.
class Projection {
 public:
  //! The projection of a Glue table (its Parameters), or nullopt when projection is not enabled. `now` (epoch
  //! seconds) resolves NOW in date ranges. Errors are Athena's INVALID_TABLE_PROPERTY.
  static Result<std::optional<Projection>> Of(const json::object& table, int64_t now);

  //! The template, e.g. "s3://bucket/prefix/${year}/${month}/" (always ending in '/').
  const std::string& location_template() const { return template_; }
  //! The template's text before its first placeholder: the prefix to list.
  std::string ListPrefix() const;
  //! The partition values (in key order) of the object at `uri` ("s3://bucket/key"), when it lies under a
  //! location of the template and every value is inside its column's projection.
  std::optional<std::vector<std::string>> ValuesOf(std::string_view uri) const;
  const std::vector<ColumnProjection>& columns() const { return columns_; }

 private:
  std::vector<ColumnProjection> columns_;
  std::string template_;
  std::vector<int> order_;  //!< for each placeholder of the template, in order, its column's index
  std::regex matcher_;
};

//! Checks one value against a column's projection (enum membership, integer range/step/padding, date
//! format/range/step).
bool InProjection(const ColumnProjection& column, std::string_view value);

//! The literal values a query's WHERE clause gives `column` by `column = literal` or `column IN (literals)`:
//! what an injected column is read for. Empty when there is no such condition.
std::vector<std::string> InjectedValues(std::string_view query, std::string_view column);

}  // namespace xacct::services::athena
