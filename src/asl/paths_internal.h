// Internals shared by json_path.cpp, intrinsics.cpp and payload.cpp: the compiled form of a JSONPath and the
// JSON text Step Functions writes into values and causes. AWS evaluates paths with Jayway JsonPath over
// Jackson, so misses are reported in Jayway's words ("No results for path: $['a']") and numbers are written
// the way Java writes them (1.0, 1.0E10).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::asl::detail {

struct FilterNode;  // a `[?(...)]` expression, defined in json_path.cpp

enum class StepKind : uint8_t { kName, kIndex, kWildcard, kSlice, kNames, kIndexes, kFilter };

//! One step of a path: `.a`, `[0]`, `*`, `[1:3]`, `['a','b']`, `[0,2]`, `[?(...)]`; `descend` for `..`.
struct Step {
  StepKind kind = StepKind::kName;
  bool descend = false;
  std::string name;
  int64_t index = 0;
  bool has_start = false, has_end = false;
  int64_t start = 0, end = 0;
  std::vector<std::string> names;
  std::vector<int64_t> indexes;
  std::shared_ptr<const FilterNode> filter;
};

//! A parsed path. `context` for `$$...`; `reference` when every step is a name or an index.
struct PathProgram {
  std::string text;
  bool context = false;
  bool reference = true;
  std::vector<Step> steps;
};

//! Parses `text` (starting with `$` or `$$`). Error code "InvalidPath".
Result<PathProgram> CompilePath(std::string_view text);

//! The outcome of walking a reference path. `node` is null when nothing matched, and then `miss` holds
//! Jayway's explanation and `not_array` whether an index was applied to a non-array. `past_end` marks a
//! last index beyond the array's end, which Jackson reads as null (`node` then points at a null).
struct Found {
  const json::value* node = nullptr;
  bool past_end = false;
  bool not_array = false;
  std::string miss;
};
Found FindReference(const PathProgram& path, const json::value& root);

//! Appends every node a (non-reference) path selects from `root` to `out`, in document order.
void CollectAll(const PathProgram& path, const json::value& root, json::array& out);

//! `$['a'][0]`: Jayway's rendering of the first `count` steps.
std::string CanonicalPath(const PathProgram& path, size_t count);

//! JSON text as Jackson writes it: compact, numbers in Java's notation.
std::string CompactJson(const json::value& v);
void AppendJson(std::string& out, const json::value& v);
//! A number in Java's notation: integers as is, doubles as Double.toString does ("1.0", "1.0E10").
std::string NumberText(const json::value& v);

}  // namespace xacct::asl::detail
