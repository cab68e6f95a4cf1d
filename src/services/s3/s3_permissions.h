// The S3 permission table (see s3_permissions.cpp for its sources).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace xacct::services::s3 {

struct Call;

enum class Target : uint8_t { kNone, kBucket, kObject };

//! The action an operation needs and the resource it is checked on.
struct Permission {
  std::string_view operation;
  std::string_view action;
  Target target;
  std::string_view version_action;  //!< the action when the request names a versionId; empty: same action
};

const Permission* PermissionOf(std::string_view operation);
std::string_view ActionFor(const Permission& p, bool has_version_id);
//! Authorizes the operation's table entry on the request's bucket or object.
Status AuthorizeOperation(Call& c, std::vector<std::pair<std::string, std::string>> context = {});

}  // namespace xacct::services::s3
