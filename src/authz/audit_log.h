// The audit log: one JSON line per authorization decision (principal, operation, action, resource,
// decision, explanation), like a CloudTrail trail, in data_dir/audit.log. Buffered, not fsync'd per
// request (DESIGN.md); flushed at shutdown and every second by the server.
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace xacct::authz {

class AuditLog {
 public:
  static Result<std::unique_ptr<AuditLog>> Open(const std::filesystem::path& data_dir);
  ~AuditLog();
  void Append(const json::object& record);
  void Flush();
  //! Every record of one request, read back from the log (the request id clients print).
  static Result<std::vector<json::object>> Find(const std::filesystem::path& data_dir, std::string_view request_id);

 private:
  std::FILE* file_ = nullptr;
  std::mutex mu_;
};

}  // namespace xacct::authz
