// The HTTP request and response the gateway works on, independent of the HTTP library.
#pragma once

#include <string>
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

}  // namespace xacct::server
