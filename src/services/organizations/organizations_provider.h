// AWS Organizations (JSON 1.1), per the AWS Organizations API Reference: the organization, its root, OUs
// and accounts as configured, and SCPs/RCPs created, attached and detached through the API. Policies
// written here feed the authorizer: SCPs cap principals of member accounts, RCPs their resources.
#pragma once

#include "services/service.h"

namespace xacct::services {
const HandlerTable& OrganizationsHandlers();
}  // namespace xacct::services
