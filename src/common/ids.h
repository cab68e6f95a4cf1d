// Identifiers xacct mints: random (version 4) UUIDs for request ids, execution names, revision ids, query ids.
#pragma once

#include <string>

namespace xacct {

//! A random version 4 UUID in its canonical lower-case form ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx").
std::string NewUuid();

}  // namespace xacct
