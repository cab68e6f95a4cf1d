#include "authz/audit_log.h"

#include <fstream>

namespace xacct::authz {

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::filesystem::path& data_dir) {
  auto log = std::make_unique<AuditLog>();
  const auto path = data_dir / "audit.log";
  log->file_ = std::fopen(path.c_str(), "a");
  if (log->file_ == nullptr) return AwsError::Server("InternalFailure", "cannot open " + path.string());
  std::setvbuf(log->file_, nullptr, _IOFBF, 1 << 16);
  return log;
}

AuditLog::~AuditLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void AuditLog::Append(const json::object& record) {
  std::string line = json::serialize(record);
  line += '\n';
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
}

void AuditLog::Flush() {
  std::lock_guard lock(mu_);
  std::fflush(file_);
}

Result<std::vector<json::object>> AuditLog::Find(const std::filesystem::path& data_dir, std::string_view request_id) {
  std::ifstream in(data_dir / "audit.log");
  if (!in) return AwsError::Client("NotFound", "no audit log in " + data_dir.string());
  std::vector<json::object> out;
  std::string line;
  const std::string needle = "\"" + std::string(request_id) + "\"";
  while (std::getline(in, line)) {
    if (line.find(needle) == std::string::npos) continue;
    auto v = ParseJson(line);
    if (!v || !v->is_object()) continue;
    const auto* id = v->as_object().if_contains("requestId");
    if (id != nullptr && JsonString(*id) == request_id) out.push_back(std::move(v->as_object()));
  }
  return out;
}

}  // namespace xacct::authz
