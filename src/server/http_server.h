// One HTTP/1.1 endpoint for every service (Boost.Beast over Asio): keep-alive, a thread pool sized to
// the cores, limits on header and body size, a ready line once listening, and a clean shutdown on
// SIGTERM/SIGINT (in-flight requests finish, then the store is closed by the caller). Bodies that stream
// are preceded by 100 Continue when the client expects it (RFC 9110, section 10.1.1); response bodies can
// be sent from a file (FileBody) with sendfile(2); answers to HEAD keep the handler's Content-Length and
// carry no body (RFC 9110, section 9.3.2).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "server/http_types.h"

namespace xacct::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 4566;  //!< 0: any free port (the ready line says which)
  unsigned threads = 0;  //!< 0: one per core
  size_t header_limit = 16 * 1024;
  size_t body_limit = 64 * 1024 * 1024;               //!< bodies read whole (query and JSON protocols)
  uint64_t stream_limit = 5ULL * 1024 * 1024 * 1024;  //!< streamed bodies (S3's largest single PUT)
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;
//! Given a request's head (empty body), a sink that consumes its body as it arrives, or null to have the
//! body read whole and the request passed to the RequestHandler.
using StreamRouter = std::function<std::unique_ptr<StreamSink>(const HttpRequest& head)>;

//! Serves until SIGTERM or SIGINT. `ready` is called with the bound port once connections are accepted.
//! Returns 0 after a clean shutdown, non-zero when the address cannot be bound.
int Serve(const ServerOptions& options, const RequestHandler& handler, const StreamRouter& router,
          const std::function<void(uint16_t)>& ready, const std::function<void()>& every_second);

}  // namespace xacct::server
