// Payload templates and the input/output processing of a state (ASL specification "Input and Output
// Processing"; Developer Guide "Processing input and output"): InputPath -> Parameters (or ItemSelector)
// -> task -> ResultSelector -> ResultPath -> OutputPath.
#pragma once

#include <memory>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace xacct::asl {

//! Checks a payload template (Parameters, ResultSelector, ItemSelector, ...): every key ending in ".$" has a
//! string value that is a valid path or intrinsic call. `where` ("/States/X/Parameters") locates the
//! message. The error's code is "SCHEMA_VALIDATION_FAILED", its message AWS's diagnostic text.
Status ValidateTemplate(const json::value& tmpl, std::string_view where);

//! Builds a template's value: keys ending in ".$" take (without the suffix) the value of their path over
//! `input` (`$$...` over `context`) or of their intrinsic call; other values are copied, recursing into
//! objects and arrays. Failures carry "States.Runtime" (a path that matches nothing) or
//! "States.IntrinsicFailure", with AWS's Cause text as the message.
Result<json::value> ApplyTemplate(const json::value& tmpl, const json::value& input, const json::value& context);

//! A payload template compiled once (at validation): its paths and intrinsic calls parsed, its static parts
//! kept as values. Applying it gives exactly what ApplyTemplate over the template's JSON gives.
class CompiledTemplate {
 public:
  struct Node;  // payload.cpp
  CompiledTemplate() = default;
  explicit CompiledTemplate(const json::value& tmpl);

  Result<json::value> Apply(const json::value& input, const json::value& context) const;

 private:
  std::shared_ptr<const Node> root_;
};

//! ApplyTemplate with a template compiled once.
Result<json::value> ApplyTemplate(const CompiledTemplate& tmpl, const json::value& input, const json::value& context);

//! InputPath / OutputPath: a null path (the field present with JSON null) gives `{}`; an absent one `$`.
Result<json::value> ApplyPath(const json::value* path, const json::value& input);

//! ResultPath: places `result` into `input` as the path says (absent: `$`, the result replaces the input;
//! null: the input is kept and the result dropped). Failure: "States.Runtime".
Result<json::value> ApplyResultPath(const json::value* path, const json::value& input, json::value result);

}  // namespace xacct::asl
