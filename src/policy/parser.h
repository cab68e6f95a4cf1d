// Parsing and validating IAM policy documents into compiled Policy values.
// Follows the IAM User Guide "Grammar of the IAM JSON policy language" and "IAM JSON policy element
// reference"; error messages use IAM's MalformedPolicyDocument wording where IAM has one (e.g.
// "Policy statement must contain resources."), with xacct's own detail (which statement, which field)
// in AwsError::detail. A document is compiled whole or rejected whole.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"
#include "policy/policy.h"

namespace xacct::policy {

struct ParseOptions {
  PolicyKind kind = PolicyKind::kAny;
  std::string label;  //!< copied into Policy::label
  //! IAM's write-time checks on top of the grammar: Sids of IAM policies alphanumeric, no wildcard in
  //! a principal ARN, no duplicate keys. Off for simulation, which evaluates a document as given.
  bool strict = true;
};

//! Parses and validates a policy document from its JSON text.
Result<Policy> ParsePolicy(std::string_view text, const ParseOptions& options);
//! Parses and validates an already-parsed JSON document.
Result<Policy> ParsePolicyDocument(const json::value& document, const ParseOptions& options);

//! The size IAM counts against its quotas: the document's characters without white space.
size_t PolicySize(std::string_view text);

//! Checks IAM's size quota for one document (e.g. 6,144 for a managed policy), LimitExceeded on failure.
Status CheckPolicySize(std::string_view text, size_t limit, std::string_view quota_name);

}  // namespace xacct::policy
