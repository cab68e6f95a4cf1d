// Who signed a request, as the services and the authorizer see it (IAM User Guide: "IAM identifiers",
// "AWS global condition context keys" for the keys each kind of principal brings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xacct::identity {

enum class PrincipalType : uint8_t { kAnonymous, kRoot, kUser, kAssumedRole, kService };

struct Principal {
  PrincipalType type = PrincipalType::kAnonymous;
  std::string account;
  std::string arn;           //!< user ARN, session ARN (arn:aws:sts::A:assumed-role/R/S), root ARN, or service name
  std::string user_id;       //!< aws:userid: AIDA..., AROA...:session, or the account id for root
  std::string name;          //!< user name; role name for sessions
  std::string role_arn;      //!< sessions: the role's ARN with its path
  std::string session_name;  //!< sessions
  std::string access_key_id;
  std::vector<std::pair<std::string, std::string>> tags;  //!< principal tags (user/role tags, session tags win)
  std::vector<std::string> transitive_tag_keys;
  std::optional<std::string> session_policy;  //!< inline session policy document
  std::vector<std::string> session_policy_arns;
  std::string source_identity;
  bool chained = false;    //!< a session created by a role session (role chaining)
  bool temporary = false;  //!< signed with STS temporary credentials (a session token)
  int64_t issued_at = 0;   //!< sessions: epoch seconds
  int64_t expiration = 0;  //!< sessions: epoch seconds
  bool IsSession() const { return type == PrincipalType::kAssumedRole; }
};

//! A credential xacct knows: the secret that signs with it, and whom it stands for.
struct Credential {
  std::string secret_access_key;
  std::optional<std::string> session_token;  //!< required with session credentials
  Principal principal;
};

}  // namespace xacct::identity
