// Input validation against a model's constraint traits (required, enum, pattern, length, range),
// worded as AWS's own validators word it. The wording comes from AWS responses that real clients
// printed (see tests/protocol/golden/validation.json for each sentence and its source):
//   "2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must
//   satisfy regular expression pattern: ...; Value '' at 'roleArn' failed to satisfy constraint:
//   Member must have length greater than or equal to 20"
// Paths name members with their first letter lowered, list elements as "tags.1.member", and map
// entries by key ("tags.team"). A list of scalars or a map fails as a whole ("Member must satisfy
// constraint: [...]", "Map value must satisfy constraint: [...]", "Map keys must satisfy
// constraint: [...]"), listing every constraint of the element shape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "model/service_model.h"

namespace xacct::protocol {

struct ValidationStyle {
  //! Whether a number is echoed ("Value '0' at 'limit'", JSON services) or left out ("Value at
  //! 'maxSessionDuration'", as IAM answers over the query protocol).
  bool echo_numbers = true;
};

//! Appends one message per constraint `value` (typed per `shape`: see values.h) violates; `path`
//! names the structure itself ("" at the top).
void ValidateStructure(const model::Shape& shape, const json::object& value, const std::string& path,
                       const ValidationStyle& style, std::vector<std::string>* errors);

//! The AwsError for a list of violations: 400 `code` "N validation error(s) detected: a; b".
AwsError ValidationFailure(std::string code, const std::vector<std::string>& errors);

//! `value` rendered as AWS's Java validators echo it: strings bare, lists "[a, b]", maps "{k=v}".
std::string RenderValue(const model::Shape& shape, const json::value& value);

}  // namespace xacct::protocol
