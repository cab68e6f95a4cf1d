#include "services/s3/s3_names.h"

#include <array>
#include <cstdint>
#include <utility>

namespace xacct::services::s3 {

namespace {

constexpr std::array<std::string_view, 3> kReservedPrefixes = {"xn--", "sthree-", "amzn-s3-demo-"};
// What each reserved suffix is kept for, as the User Guide gives it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kReservedSuffixes = {{
    {"-s3alias", "access point alias names"},
    {"--ol-s3", "Object Lambda Access Point alias names"},
    {".mrap", "Multi-Region Access Point names"},
    {"--x-s3", "directory buckets"},
    {"--table-s3", "S3 Tables buckets"},
}};

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "192.168.5.4": four dot-separated groups of one to three digits.
bool LooksLikeIpAddress(std::string_view name) {
  int groups = 0;
  size_t digits = 0;
  for (const char c : name) {
    if (IsDigit(c)) {
      if (++digits > 3) return false;
    } else if (c == '.') {
      if (digits == 0) return false;
      ++groups;
      digits = 0;
    } else {
      return false;
    }
  }
  return digits != 0 && groups == 3;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// 'D', or "byte 0xC3" for a byte that does not print.
std::string Character(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x20 && b < 0x7F) return std::string("'") + c + "'";
  constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0xF];
}

}  // namespace

std::optional<std::string> InvalidBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) {
    return "Bucket names must be between 3 (min) and 63 (max) characters long; " + Quoted(name) + " has " +
           std::to_string(name.size());
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!IsLowerAlnum(c) && c != '.' && c != '-') {
      return "Bucket names can consist only of lowercase letters, numbers, dots (.), and hyphens (-); " + Quoted(name) +
             " has " + Character(c) + " at position " + std::to_string(i);
    }
  }
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) {
    return "Bucket names must begin and end with a letter or number; " + Quoted(name) + " does not";
  }
  if (name.find("..") != std::string_view::npos) {
    return "Bucket names must not contain two adjacent periods; " + Quoted(name) + " does";
  }
  if (LooksLikeIpAddress(name)) {
    return "Bucket names must not be formatted as an IP address (for example, 192.168.5.4); " + Quoted(name) + " is";
  }
  for (const auto prefix : kReservedPrefixes) {
    if (name.starts_with(prefix)) return "Bucket names must not start with the prefix " + Quoted(prefix) + ".";
  }
  for (const auto& [suffix, reserved_for] : kReservedSuffixes) {
    if (name.ends_with(suffix)) {
      return "Bucket names must not end with the suffix " + Quoted(suffix) + ", which is reserved for " +
             std::string(reserved_for) + ".";
    }
  }
  return std::nullopt;
}

AwsError InvalidBucketNameError(std::string_view name, std::string reason) {
  AwsError e = AwsError::Client("InvalidBucketName", std::string(kInvalidBucketNameMessage));
  e.fields.emplace_back("BucketName", std::string(name));
  e.detail = std::move(reason);
  return e;
}

Status CheckBucketName(std::string_view name) {
  if (auto reason = InvalidBucketName(name)) return InvalidBucketNameError(name, std::move(*reason));
  return Ok{};
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<uint8_t>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    // Continuation bytes after the lead byte, the lead byte's payload, the smallest code point the
    // length may encode (anything below is an overlong form).
    size_t n = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
      n = 1;
      cp = b0 & 0x1Fu;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      n = 2;
      cp = b0 & 0x0Fu;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      n = 3;
      cp = b0 & 0x07u;
      min = 0x10000;
    } else {
      return false;  // a continuation byte without a lead byte, or 0xF8..0xFF
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

bool ValidObjectKey(std::string_view key) { return !key.empty() && key.size() <= kMaxKeyBytes && IsValidUtf8(key); }

AwsError KeyTooLongError(size_t size) {
  AwsError e = AwsError::Client("KeyTooLongError", std::string(kKeyTooLongMessage));
  e.fields.emplace_back("Size", std::to_string(size));
  e.fields.emplace_back("MaxSizeAllowed", std::to_string(kMaxKeyBytes));
  e.detail = "object keys are at most " + std::to_string(kMaxKeyBytes) + " bytes of UTF-8; this one has " +
             std::to_string(size);
  return e;
}

Status CheckObjectKey(std::string_view key) {
  if (key.empty()) {
    AwsError e = AwsError::Client("InvalidArgument", std::string(kEmptyKeyMessage));
    e.fields.emplace_back("ArgumentName", "key");
    e.fields.emplace_back("ArgumentValue", "");
    e.detail = "the object key is empty";
    return e;
  }
  if (key.size() > kMaxKeyBytes) return KeyTooLongError(key.size());
  if (!IsValidUtf8(key)) {
    AwsError e = AwsError::Client("InvalidURI", std::string(kInvalidUriMessage));
    e.detail = "the object key is not well-formed UTF-8";
    return e;
  }
  return Ok{};
}

}  // namespace xacct::services::s3
