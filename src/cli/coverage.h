// `xacct coverage DIR`: writes docs/coverage/<service>.md from the AWS service models and the providers'
// operation tables: which operations xacct implements, and which answer NotImplemented.
#pragma once

#include <string>

namespace xacct::cli {
int RunCoverage(const std::string& dir, bool check);
}  // namespace xacct::cli
