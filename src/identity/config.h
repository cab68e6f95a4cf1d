// The accounts and organization xacct serves, from a YAML file or the built-in default
// (config/default.yaml, embedded at build time). Organization semantics follow the AWS Organizations
// User Guide: a root, nested OUs, accounts; SCPs and RCPs attached to the root, OUs and accounts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xacct::identity {

struct AccountConfig {
  std::string id;
  std::string name;
  std::string region;
  std::string root_access_key_id;
  std::string root_secret_access_key;
};

struct OrgUnit {
  std::string id;
  std::string name;
  std::string parent_id;  //!< the root id or another OU's id
  std::vector<std::string> accounts;
};

struct OrgPolicy {
  std::string id;
  std::string name;
  std::string type;  //!< SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY
  std::string description;
  std::string document;
  std::vector<std::string> targets;  //!< "root" or the root id, OU ids, account ids
};

struct Organization {
  std::string id;
  std::string management_account;
  std::string root_id;
  std::vector<OrgUnit> units;
  std::vector<OrgPolicy> policies;

  //! The path of levels from the root to the account: root id, OU ids..., account id; empty when the
  //! account is not a member.
  std::vector<std::string> LevelsOf(std::string_view account) const;
  //! aws:PrincipalOrgPaths form: "o-id/r-id/ou-id/".
  std::string OrgPathOf(std::string_view account) const;
  bool IsMember(std::string_view account) const;
};

struct Config {
  std::string default_region = "us-east-1";
  std::vector<AccountConfig> accounts;
  std::optional<Organization> organization;

  //! Parses YAML text; errors name the offending field.
  static Result<Config> Parse(std::string_view yaml);
  //! The built-in default (config/default.yaml).
  static Config Default();
  static std::string_view DefaultText();

  const AccountConfig* FindAccount(std::string_view id) const;
};

}  // namespace xacct::identity
