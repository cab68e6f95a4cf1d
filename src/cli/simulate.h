// `xacct iam simulate`: runs a file of authorization checks in the case format of
// shared/iam-case-format.md through the policy engine.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace xacct::cli {

struct SimulationSummary {
  size_t cases = 0;
  size_t errors = 0;      //!< cases that could not be evaluated (malformed case or policy)
  size_t checked = 0;     //!< cases that carry "expected"
  size_t mismatched = 0;  //!< of those, the ones whose decision differs
};

//! Evaluates every case of `input` (a JSON array) and returns the same array with "decision" and
//! "explanation" added to each case, or "error" for a case that cannot be evaluated. Fails only when
//! the input as a whole is not a JSON array.
Result<json::array> Simulate(std::string_view input, SimulationSummary* summary);

}  // namespace xacct::cli
