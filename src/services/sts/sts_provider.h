// AWS STS (query protocol), per the STS API Reference: AssumeRole, GetCallerIdentity, GetSessionToken,
// GetAccessKeyInfo. Sessions are stored durably; their credentials sign requests like any other key.
#pragma once

#include "services/service.h"

namespace xacct::services {
const HandlerTable& StsHandlers();
}  // namespace xacct::services
