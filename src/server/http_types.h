// The HTTP request and response the gateway works on, independent of the HTTP library.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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

//! A response body read from a file as it is sent (large S3 objects): never held in memory.
struct FileBody {
  std::string path;
  uint64_t offset = 0;  //!< the first byte sent
  uint64_t length = 0;  //!< the number of bytes sent: the response's Content-Length
};

struct HttpResponse {
  int status = 200;
  //! Sent in order; a name given twice is sent twice. The server frames the message itself: it drops
  //! Connection and Transfer-Encoding, and keeps a Content-Length only on a body-less answer (to HEAD, a
  //! 204 or a 304), where it is the size the GET would have had. A Server header replaces xacct's.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  //! When set, the body is sent from this file and `body` is ignored; a file that cannot be opened, or is
  //! shorter than offset + length, is answered 500 InternalError. HEAD answers never open it.
  std::optional<FileBody> file;
};

//! A request whose body is consumed as it arrives (S3 uploads): never held whole in memory.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  //! The next piece of the body, in order.
  virtual void Data(std::string_view bytes) = 0;
  //! The body has ended; the response to send.
  virtual HttpResponse Finish() = 0;
  //! Called once, after routing and before any of the body is read (or 100 Continue sent): a final
  //! response that refuses the request without reading its body (the connection then closes), or
  //! nullopt to go on. Neither Data nor Finish is called after a refusal.
  virtual std::optional<HttpResponse> Refusal() { return std::nullopt; }
};

}  // namespace xacct::server
