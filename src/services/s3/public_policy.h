// Whether a bucket policy is "public", per the Amazon S3 User Guide "Blocking public access to your Amazon
// S3 storage", section "The meaning of 'public'" (access-control-block-public-access.html#
// access-control-block-public-access-policy-status). S3 starts from "public" and calls a policy non-public
// only when every Allow statement grants to fixed values: a fixed AWS principal, user, role or service
// principal, or a wildcard principal held by a condition that fixes one of aws:SourceIp (a CIDR no broader
// than /8 for IPv4 or /32 for IPv6), aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
// aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid (the pattern "AROLEID:*"
// counts as fixed), s3:DataAccessPointArn (a wildcard access point name under a fixed account is fixed),
// s3:DataAccessPointAccount, or a key naming the principal (aws:PrincipalOrgID, aws:PrincipalAccount,
// aws:PrincipalArn). A fixed value contains no wildcard and no policy variable. BlockPublicPolicy rejects
// such policies and RestrictPublicBuckets limits a bucket that has one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "policy/condition.h"
#include "policy/policy.h"

namespace xacct::services::s3 {

//! The first statement that makes a policy public, and why.
struct PublicGrant {
  uint32_t index = 0;  //!< position in the policy's Statement list
  std::string sid;     //!< empty when the statement has none
  std::string reason;  //!< e.g. "it grants to Principal \"*\" and no condition fixes ..."

  //! "Statement[1] (Sid \"PublicRead\") is public: <reason>", for explanations and AwsError::detail.
  std::string Describe() const;
};

//! The first Allow statement that grants public access, or nullopt when the policy is not public.
std::optional<PublicGrant> PublicStatement(const policy::Policy& policy);

//! True when S3 would call the policy public (GetBucketPolicyStatus IsPublic).
inline bool IsPublicPolicy(const policy::Policy& policy) { return PublicStatement(policy).has_value(); }

//! Why `condition` does not hold a statement to fixed values of a key S3 accepts, or nullopt when it does
//! (a statement with a wildcard principal is then non-public: conditions AND together).
std::optional<std::string> WhyConditionIsOpen(const policy::Condition& condition);

}  // namespace xacct::services::s3
