// AwsError and Result<T>: how every layer reports an expected failure (STYLE.md "errors").
// Exceptions are kept for bugs and fatal I/O; anything a caller can cause is an AwsError value.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace xacct {

//! An AWS-shaped error: the code and message a client sees, the HTTP status, and whether the
//! sender (client) or the service is at fault.
struct AwsError {
  std::string code;
  std::string message;
  int http_status = 400;
  bool sender_fault = true;
  std::string detail;  //!< xacct's own explanation; never on the wire unless asked for
  //! Extra elements of the error body, in order, for protocols whose errors carry them (S3's BucketName,
  //! Key, StringToSign, ...).
  std::vector<std::pair<std::string, std::string>> fields;

  static AwsError Client(std::string code, std::string message, int status = 400) {
    return AwsError{std::move(code), std::move(message), status, true, {}, {}};
  }
  static AwsError Server(std::string code, std::string message, int status = 500) {
    return AwsError{std::move(code), std::move(message), status, false, {}, {}};
  }
};

//! Either a value or an AwsError. Check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(AwsError error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const AwsError& error() const { return std::get<1>(data_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, AwsError> data_;
};

//! Result for operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace xacct
