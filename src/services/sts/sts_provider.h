// AWS STS (query protocol), per the STS API Reference: AssumeRole, GetCallerIdentity, GetSessionToken,
// GetAccessKeyInfo. Sessions are stored durably; their credentials sign requests like any other key.
#pragma once

#include "services/service.h"

namespace xacct::services {
const HandlerTable& StsHandlers();

//! Assumes `role_arn` for the AWS service `service_principal` ("states.amazonaws.com"), as AssumeRole does for
//! any caller: authorized against the role's trust policy (with `context`: aws:SourceArn, aws:SourceAccount, so
//! that confused-deputy conditions apply), recorded in the audit log under `request`, the session stored. The
//! session's principal, as its credentials would sign; AccessDenied when the trust policy does not allow it.
Result<identity::Principal> AssumeRoleForService(authz::Authorizer& authz, identity::IdentityStore& identities,
                                                 authz::RequestInfo& request, std::string_view service_principal,
                                                 const std::string& role_arn, const std::string& session_name,
                                                 const std::vector<std::pair<std::string, std::string>>& context,
                                                 std::string* explanation = nullptr);
}  // namespace xacct::services
