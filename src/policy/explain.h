// Decisions in words: xacct's own explanation (for the audit log, `xacct explain`, the
// x-xacct-explanation header and `xacct iam simulate`), and the reason clause AWS puts in its
// AccessDenied messages (IAM User Guide, "Troubleshoot access denied error messages").
#pragma once

#include <string>
#include <string_view>

#include "policy/evaluator.h"

namespace xacct::policy {

std::string_view VerdictName(Verdict verdict);  //!< "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"

//! What xacct tells a user about a decision: which statements decided, and for an implicit deny
//! what was missing on which side of the account boundary.
std::string Explain(const Decision& decision, const Request& request, const PolicySet& policies);

//! The ARN whose resource policy applies to the request's resource (the Glue catalog for a table,
//! the bucket for an object, the table for an index, the role for a trust policy).
std::string ResourcePolicyOwner(const Request& request);

//! AWS's clause for an AccessDenied message: "because no identity-based policy allows the s3:GetObject
//! action", "with an explicit deny in a service control policy", ...
std::string AwsDenialReason(const Decision& decision, const Request& request);

}  // namespace xacct::policy
