// S3's rules for bucket names and object keys, and the errors that break them.
// Bucket names: Amazon S3 User Guide "General purpose bucket naming rules" (bucketnamingrules.html).
// Object keys: User Guide "Naming Amazon S3 objects" (object-keys.html): a key is a sequence of Unicode
// characters whose UTF-8 encoding is at most 1,024 bytes long. Error codes and messages: Amazon S3 API
// Reference "Error responses" (ErrorResponses.html#ErrorCodeList).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace xacct::services::s3 {

//! The longest key S3 accepts, in bytes of UTF-8.
inline constexpr size_t kMaxKeyBytes = 1024;

inline constexpr std::string_view kInvalidBucketNameMessage = "The specified bucket is not valid.";
inline constexpr std::string_view kKeyTooLongMessage = "Your key is too long";
inline constexpr std::string_view kInvalidUriMessage = "Couldn't parse the specified URI.";
inline constexpr std::string_view kEmptyKeyMessage = "User key must have a length greater than 0.";

//! Why `name` breaks a general purpose bucket naming rule (the rule, in the User Guide's words, and
//! the part of the name that breaks it), or nullopt when it is valid. Names in the account regional
//! namespace ("...-<account>-<region>-an") are not told apart from global ones.
std::optional<std::string> InvalidBucketName(std::string_view name);

//! 400 InvalidBucketName "The specified bucket is not valid." with the <BucketName> field, `reason` in detail.
AwsError InvalidBucketNameError(std::string_view name, std::string reason);

//! InvalidBucketNameError when InvalidBucketName(name) has a reason.
Status CheckBucketName(std::string_view name);

//! True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

//! True when S3 accepts `key` as an object key: 1 to 1,024 bytes of well-formed UTF-8.
bool ValidObjectKey(std::string_view key);

//! 400 KeyTooLongError "Your key is too long" with the <Size> and <MaxSizeAllowed> fields.
AwsError KeyTooLongError(size_t size);

//! Checks a key a request names: 400 InvalidArgument "User key must have a length greater than 0." (with
//! ArgumentName "key") when empty, KeyTooLongError past 1,024 bytes, 400 InvalidURI "Couldn't parse the
//! specified URI." when it is not UTF-8 (S3 cannot decode such a path).
Status CheckObjectKey(std::string_view key);

}  // namespace xacct::services::s3
