// application/x-www-form-urlencoded bodies and URL query strings (WHATWG URL Standard,
// "application/x-www-form-urlencoded parsing"), which the AWS query protocol sends its parameters in.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace xacct::protocol {

//! application/x-www-form-urlencoded or a URL query string into ordered (name, value) pairs,
//! percent-decoded ('+' is a space). Empty pieces ("a=1&&b=2") are skipped; a piece without '='
//! is a name with an empty value. A '%' not followed by two hex digits is a 400
//! "MalformedQueryString" error, not passed through as WHATWG would, so that a client bug shows.
Result<std::vector<std::pair<std::string, std::string>>> DecodeForm(std::string_view text);

//! Percent-encodes `text` for a form or query string: unreserved characters (A-Z a-z 0-9 - _ . ~)
//! stay, everything else is %XX (a space is %20).
std::string EncodeFormComponent(std::string_view text);

}  // namespace xacct::protocol
