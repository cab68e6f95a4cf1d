// Scalar conversions shared by the protocol codecs: timestamps (ISO 8601, epoch seconds, RFC 822 as
// the AWS protocols write them: Smithy "timestampFormat trait"), base64 blobs, numbers, XML text, and
// the wording AWS's validators use to echo a value and name a member.
//
// In the JSON values that decoders return and encoders take, a blob is its raw bytes in a JSON string
// (decoders base64-decode, encoders base64-encode), and a timestamp is an ISO 8601 string or a number
// of seconds since the epoch (TimestampSeconds reads either).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace xacct::protocol {

//! Seconds since the epoch of an ISO 8601 date-time ("2024-05-01T12:00:00Z", fractions and
//! "+hh:mm" offsets allowed, or a date alone), or nullopt.
std::optional<double> ParseIso8601(std::string_view text);
//! Seconds since the epoch of an RFC 822/1123 date ("Wed, 01 May 2024 12:00:00 GMT"), or nullopt.
std::optional<double> ParseRfc822(std::string_view text);
//! Seconds since the epoch of a timestamp in a JSON value: a number, a numeric string, ISO 8601 or
//! RFC 822 text.
std::optional<double> TimestampSeconds(const json::value& v);
//! "2024-05-01T12:00:00Z", with milliseconds (".123Z") when the time has a fraction of a second.
std::string FormatIso8601(double seconds);
//! "Wed, 01 May 2024 12:00:00 GMT".
std::string FormatRfc822(double seconds);

//! Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);
//! Decodes standard base64 (padding optional), or nullopt on any other character or length.
std::optional<std::string> Base64Decode(std::string_view text);

//! The shortest decimal text that reads back as `v` ("1.5", "100", "1.0E-7" is not used).
std::string FormatDouble(double v);
//! Java's Double.toString wording for validation messages ("1.0", "0.5").
std::string JavaDouble(double v);

//! `text` escaped for XML character data or attribute values; invalid UTF-8 becomes U+FFFD and
//! characters XML 1.0 cannot hold are dropped.
std::string XmlEscape(std::string_view text);

//! The name AWS's validators give a member in a path: the first letter lowered ("RoleName" ->
//! "roleName").
std::string ValidationName(std::string_view member);

//! Whether `text` is an optional '-' followed by digits, and its value within [min, max].
std::optional<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);
//! A finite decimal number ("1.5", "-2", "1e3"), or nullopt.
std::optional<double> ParseDecimal(std::string_view text);

}  // namespace xacct::protocol
