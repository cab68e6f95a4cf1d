// The HTTP request and response the gateway works on, independent of the HTTP library.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xacct::server {

struct HttpRequest {
  std::string method;
  std::string target;  //!< path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_ip;
  bool secure = false;  //!< arrived over TLS
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

//! A request whose body is consumed as it arrives (S3 uploads): never held whole in memory.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  //! The next piece of the body, in order.
  virtual void Data(std::string_view bytes) = 0;
  //! The body has ended; the response to send.
  virtual HttpResponse Finish() = 0;
};

}  // namespace xacct::server
