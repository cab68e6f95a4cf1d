// Principals for tests that call services directly (no SigV4 in between).
#pragma once

#include <string>

#include "identity/principal.h"

namespace xacct::testing {

//! The root user of `account`.
inline identity::Principal Root(const std::string& account) {
  identity::Principal p;
  p.type = identity::PrincipalType::kRoot;
  p.account = account;
  p.arn = "arn:aws:iam::" + account + ":root";
  p.user_id = account;
  return p;
}

}  // namespace xacct::testing
