// The ASL intrinsic functions (Step Functions Developer Guide, "Intrinsic functions"): States.Format,
// StringToJson, JsonToString, Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength,
// ArrayUnique, Base64Encode, Base64Decode, Hash, JsonMerge, MathRandom, MathAdd, StringSplit, UUID.
// Arguments are string literals ('...', with \' \{ \} \\ escapes), numbers, true/false/null, paths
// ($..., $$...) and nested intrinsic calls.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace xacct::asl {

//! True when `text` looks like an intrinsic call ("States.X(...)"), as a `.$` field's value may be.
bool IsIntrinsicCall(std::string_view text);

//! Checks an intrinsic call's syntax, function names and argument counts without evaluating it (for
//! definition validation). The error's message is the diagnostic; its code "SCHEMA_VALIDATION_FAILED".
Status ValidateIntrinsic(std::string_view text);

//! Evaluates the call against the effective input (`$`) and the context object (`$$`). Failures carry the
//! code "States.IntrinsicFailure" and a message in AWS's words (the Cause of the state's failure).
Result<json::value> EvaluateIntrinsic(std::string_view text, const json::value& input, const json::value& context);

//! An intrinsic call parsed once and evaluated many times; Evaluate gives what EvaluateIntrinsic over the
//! same text gives (a text that does not parse fails at each evaluation, as EvaluateIntrinsic does).
class CompiledIntrinsic {
 public:
  explicit CompiledIntrinsic(std::string_view text);
  Result<json::value> Evaluate(const json::value& input, const json::value& context) const;

  struct Impl;  // intrinsics.cpp

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace xacct::asl
