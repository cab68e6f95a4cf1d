// ARN parsing and formatting, per the AWS General Reference "Amazon Resource Names (ARNs)":
// arn:partition:service:region:account-id:resource, where the resource part may itself contain ':'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xacct {

//! The six parts of an ARN, as views into the string they were parsed from.
struct ArnView {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;  //!< everything after the fifth ':'

  //! Splits `arn` into its parts; nullopt unless it starts with "arn:" and has five ':' separators.
  static std::optional<ArnView> Parse(std::string_view arn);
  //! The resource type: the resource part up to its first '/' or ':' (empty when it has neither).
  std::string_view ResourceType() const;
};

//! True when `s` is a 12-digit AWS account id.
bool IsAccountId(std::string_view s);

}  // namespace xacct
