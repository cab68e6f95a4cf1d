// JSON helpers over Boost.JSON: parsing text into a value with an AwsError on failure.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xacct {

namespace json = boost::json;

//! Parses `text` as one JSON document; the error names the position of the first syntax error.
Result<json::value> ParseJson(std::string_view text);

//! The first key that appears twice in one object of the (valid) JSON `text`, if any.
std::optional<std::string> FindDuplicateKey(std::string_view text);

//! The string member `key` of an object, or "" when it is absent or not a string.
std::string StringField(const json::object& o, std::string_view key);

//! The string of a JSON value when it is a string, else an empty view.
std::string_view JsonString(const json::value& v);

//! The strings of a JSON array (a non-string element gives ""); empty when `v` is null or not an array.
std::vector<std::string> JsonStrings(const json::value* v);

//! A JSON array of strings.
json::array JsonArrayOf(const std::vector<std::string>& values);

}  // namespace xacct

namespace xacct {
//! Serializes `v` with one value per line, indented by `indent` spaces per level.
std::string PrettyJson(const json::value& v, int indent = 1);
}  // namespace xacct

namespace xacct {
//! Removes the elements of a JSON array for which `pred` holds.
template <typename Pred>
void EraseIf(json::array& a, Pred pred) {
  a.erase(std::remove_if(a.begin(), a.end(), pred), a.end());
}
}  // namespace xacct
