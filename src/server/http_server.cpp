#include "server/http_server.h"

#include "common/json.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace xacct::server {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string ErrorXml(std::string_view code, std::string_view message) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) + "</Code><Message>" +
         std::string(message) + "</Message></Error>";
}

// Answers that carry no body (RFC 9110, section 6.4.1): to HEAD, and every 1xx, 204 and 304.
bool Bodiless(bool head_request, int status) {
  return head_request || status / 100 == 1 || status == 204 || status == 304;
}

// Opens a response's file and checks that it holds the range to send: the descriptor, or -1 with the
// reason in `error`.
int OpenRange(const FileBody& file, std::string& error) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = std::strerror(errno);
  } else if (file.offset > static_cast<uint64_t>(st.st_size) ||
             file.length > static_cast<uint64_t>(st.st_size) - file.offset) {
    error = "the file is shorter than the range to send";
  } else {
    return fd;
  }
  ::close(fd);
  return -1;
}

// The answer when a response's file cannot be read: S3's InternalError, keeping the request id headers.
HttpResponse FileError(const HttpResponse& original, const std::string& reason) {
  HttpResponse r;
  r.status = 500;
  r.body = ErrorXml("InternalError",
                    "We encountered an internal error. Please try again. (xacct cannot read the "
                    "object's data: " +
                        reason + ")");
  r.headers.emplace_back("Content-Type", "application/xml");
  for (const auto& [k, v] : original.headers) {
    if (beast::iequals(k, "x-amz-request-id") || beast::iequals(k, "x-amz-id-2") ||
        beast::iequals(k, "x-amzn-RequestId")) {
      r.headers.emplace_back(k, v);
    }
  }
  return r;
}

class Session;

// The open connections, so that a shutdown can close the idle ones.
struct Registry {
  std::mutex mu;
  std::vector<std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const RequestHandler& handler, const StreamRouter& router, const ServerOptions& options,
          const std::atomic<bool>& stopping)
      : stream_(std::move(socket)),
        send_timer_(stream_.get_executor()),
        handler_(handler),
        router_(router),
        options_(options),
        stopping_(stopping) {
    // Reads fill what the buffer has room for: without room reserved, Beast reads a body 512 bytes at a time.
    buffer_.reserve(64 * 1024);
    // A head written apart from its file body must not wait for the client's delayed ACK (Nagle).
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    if (file_fd_ >= 0) ::close(file_fd_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() { Read(); }

  //! On shutdown: a connection waiting for its next request closes; one in a request finishes it first.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser_->body_limit(options_.stream_limit);
    stream_.expires_after(std::chrono::seconds(120));
    idle_ = buffer_.size() == 0;
    head_request_ = false;
    if (stopping_ && idle_) return Close();
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->idle_ = false;
      self->OnHeader(ec);
    });
  }

  // The head is in: route it, then read the body whole (query, JSON) or stream it to a sink (S3). A client
  // that sent Expect: 100-continue (RFC 9110, section 10.1.1) waits for 100 Continue before the body;
  // requests refused before their body is read get their final answer instead.
  void OnHeader(beast::error_code ec) {
    if (ec) return Fail(ec);
    const auto& req = parser_->get();
    request_ = HttpRequest{};
    request_.method = std::string(req.method_string());
    request_.target = std::string(req.target());
    for (const auto& field : req) {
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    beast::error_code remote_ec;
    const auto remote = stream_.socket().remote_endpoint(remote_ec);
    if (!remote_ec) request_.remote_ip = remote.address().to_string();
    keep_alive_ = req.keep_alive();
    head_request_ = req.method() == http::verb::head;
    try {
      sink_ = router_(request_);
      if (sink_) {
        if (auto refusal = sink_->Refusal()) return RespondEarly(std::move(*refusal));
      }
    } catch (const std::exception& e) {
      return RespondEarly(Internal(e));
    }
    if (!sink_ && parser_->content_length() && *parser_->content_length() > options_.body_limit) {
      return Fail(http::error::body_limit);  // refused before a byte of it is read
    }
    if (!parser_->is_done() && ExpectsContinue(req)) {
      return http::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
    }
    ReadBody();
  }

  static bool ExpectsContinue(const http::request<http::buffer_body>& req) {
    const auto it = req.find(http::field::expect);
    return req.version() >= 11 && it != req.end() && beast::iequals(it->value(), "100-continue");
  }

  void ReadBody() {
    if (parser_->is_done()) return OnBody();
    auto& body = parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    stream_.expires_after(std::chrono::seconds(120));
    http::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return self->Fail(ec);
      const size_t got = self->chunk_.size() - self->parser_->get().body().size;
      const std::string_view bytes(self->chunk_.data(), got);
      if (self->sink_) {
        try {
          self->sink_->Data(bytes);
        } catch (const std::exception& e) {
          return self->RespondEarly(self->Internal(e));
        }
      } else if (self->request_.body.size() + got > self->options_.body_limit) {
        return self->Fail(http::error::body_limit);
      } else {
        self->request_.body.append(bytes);
      }
      self->ReadBody();
    });
  }

  void OnBody() {
    HttpResponse response;
    try {
      response = sink_ ? sink_->Finish() : handler_(request_);
    } catch (const std::exception& e) {
      response = Internal(e);
    }
    sink_.reset();
    request_ = HttpRequest{};
    Respond(std::move(response));
  }

  void Respond(HttpResponse response) { Write(std::move(response), keep_alive_ && !stopping_.load()); }

  // An answer before the body has been read whole: the rest of the body is not read as the next request
  // but discarded while the connection closes.
  void RespondEarly(HttpResponse response) {
    sink_.reset();
    request_ = HttpRequest{};
    if (parser_->is_done()) return Respond(std::move(response));
    linger_ = true;
    Write(std::move(response), /*keep_alive=*/false);
  }

  // A bug that escaped a handler, answered in the request's protocol: JSON for the JSON services (a request
  // naming its operation in X-Amz-Target), XML for the others.
  HttpResponse Internal(const std::exception& e) const {
    HttpResponse r;
    r.status = 500;
    const std::string message = std::string("xacct internal error: ") + e.what();
    bool json_protocol = false;
    for (const auto& [name, value] : request_.headers) {
      if (beast::iequals(name, "X-Amz-Target")) json_protocol = true;
    }
    if (json_protocol) {
      json::object body{{"__type", "InternalFailure"}, {"message", message}};
      r.body = json::serialize(body);
      r.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    } else {
      r.body = ErrorXml("InternalFailure", message);
      r.headers.emplace_back("Content-Type", "application/xml");
    }
    return r;
  }

  // A transport-level failure: limits and malformed requests get an answer before the connection closes.
  void Fail(beast::error_code ec) {
    if (stopping_) return Close();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      return Close();
    }
    HttpResponse r;
    linger_ = true;  // the client may still be sending: read what it sends so that it sees the answer
    // S3's codes for the two limits (Amazon S3 API Reference, "Error responses"), both 400 Bad Request.
    if (ec == http::error::body_limit) {
      r.status = 400;
      r.body = ErrorXml("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    } else if (ec == http::error::header_limit) {
      r.status = 400;
      r.body =
          ErrorXml("RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.");
    } else {
      r.status = 400;
      r.body = ErrorXml("BadRequest", "The HTTP request could not be parsed: " + ec.message());
    }
    r.headers.emplace_back("Content-Type", "application/xml");
    Write(std::move(r), /*keep_alive=*/false);
  }

  // Three shapes on the wire: a body from memory, a body from a file (sent with sendfile, so a large
  // object costs no memory), and no body at all, where the handler's Content-Length is kept.
  void Write(HttpResponse r, bool keep_alive) {
    const bool bodiless = Bodiless(head_request_, r.status);
    if (r.file && !bodiless) {
      std::string error;
      file_fd_ = OpenRange(*r.file, error);
      if (file_fd_ < 0) r = FileError(r, error);
    }
    stream_.expires_after(std::chrono::seconds(120));
    http::response_header<> head;
    head.version(11);
    head.result(static_cast<unsigned>(r.status));
    head.set(http::field::server, "xacct");
    std::optional<std::string> length;
    for (auto& [k, v] : r.headers) {
      switch (http::string_to_field(k)) {
        case http::field::content_length:
          length = std::move(v);
          break;
        case http::field::connection:
        case http::field::transfer_encoding:
          break;  // the server frames the message
        case http::field::server:
          head.set(http::field::server, v);
          break;
        default:
          head.insert(k, v);
      }
    }
    if (bodiless) {
      auto res = std::make_shared<http::response<http::empty_body>>(std::move(head));
      if (r.status / 100 != 1 && r.status != 204) {
        // The size the GET would have had: the handler's own, or that of the body it built.
        if (length) {
          res->set(http::field::content_length, *length);
        } else if (head_request_) {
          res->content_length(r.file ? r.file->length : r.body.size());
        }
      }
      res->keep_alive(keep_alive);
      return http::async_write(stream_, *res,
                               [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
                                 self->AfterWrite(ec, keep_alive);
                               });
    }
    if (file_fd_ >= 0) {
      file_offset_ = static_cast<off_t>(r.file->offset);
      file_remaining_ = r.file->length;
      auto res = std::make_shared<http::response<http::empty_body>>(std::move(head));
      res->content_length(r.file->length);
      res->keep_alive(keep_alive);
      return http::async_write(stream_, *res,
                               [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
                                 if (ec) return self->EndFile(false, keep_alive);
                                 self->SendFile(keep_alive);
                               });
    }
    auto res = std::make_shared<http::response<http::string_body>>(std::move(head), std::move(r.body));
    res->keep_alive(keep_alive);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      self->AfterWrite(ec, keep_alive);
    });
  }

  void AfterWrite(beast::error_code ec, bool keep_alive) {
    if (ec || !keep_alive) return Close();
    Read();
  }

  // Sends the rest of the file range straight from the page cache, waiting whenever the socket is full.
  // A client that takes nothing for 120 seconds is dropped, as for every other read and write.
  void SendFile(bool keep_alive) {
    auto& socket = stream_.socket();
    beast::error_code ec;
    if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
    while (!ec && file_remaining_ > 0) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(file_remaining_, 1ULL << 30));
      const ssize_t sent = ::sendfile(socket.native_handle(), file_fd_, &file_offset_, want);
      if (sent > 0) {
        file_remaining_ -= static_cast<uint64_t>(sent);
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        const uint64_t wait = ++send_wait_;
        send_timer_.expires_after(std::chrono::seconds(120));
        send_timer_.async_wait([self = shared_from_this(), wait](beast::error_code tec) {
          if (tec || wait != self->send_wait_) return;
          beast::error_code ignored;
          self->stream_.socket().cancel(ignored);
        });
        socket.async_wait(tcp::socket::wait_write, [self = shared_from_this(), keep_alive](beast::error_code wec) {
          ++self->send_wait_;
          self->send_timer_.cancel();
          if (wec) return self->EndFile(false, keep_alive);
          self->SendFile(keep_alive);
        });
        return;
      } else {
        // The file shrank under us, or a write error: the promised length can no longer be sent.
        return EndFile(false, keep_alive);
      }
    }
    EndFile(!ec, keep_alive);
  }

  void EndFile(bool complete, bool keep_alive) {
    ::close(file_fd_);
    file_fd_ = -1;
    if (!complete) return Close();
    AfterWrite({}, keep_alive);
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_) Linger();
  }

  // After an error answered before the request was read whole: discard what the client still sends
  // (for at most five seconds) instead of closing on unread data, which would reset the connection and
  // could destroy the answer before the client reads it.
  void Linger() {
    linger_ = false;
    stream_.expires_after(std::chrono::seconds(5));
    DiscardSome();
  }
  void DiscardSome() {
    stream_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->DiscardSome();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  std::array<char, 64 * 1024> chunk_{};
  HttpRequest request_;
  std::unique_ptr<StreamSink> sink_;
  http::response<http::empty_body> continue_{http::status::continue_, 11};
  int file_fd_ = -1;  // the file of the response being sent, if any
  off_t file_offset_ = 0;
  uint64_t file_remaining_ = 0;
  asio::steady_timer send_timer_;
  uint64_t send_wait_ = 0;  // which wait for the socket the timer guards
  bool keep_alive_ = false;
  bool head_request_ = false;
  bool linger_ = false;
  const RequestHandler& handler_;
  const StreamRouter& router_;
  const ServerOptions& options_;
  const std::atomic<bool>& stopping_;
  bool idle_ = true;
};

}  // namespace

int Serve(const ServerOptions& options, const RequestHandler& handler, const StreamRouter& router,
          const std::function<void(uint16_t)>& ready, const std::function<void()>& every_second) {
  // sendfile(2), unlike Asio's own writes, has no MSG_NOSIGNAL: a client that disconnects while a file
  // is sent must cost that connection, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  asio::io_context ioc(static_cast<int>(threads));
  std::atomic<bool> stopping{false};
  tcp::acceptor acceptor(ioc);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.bind, ec);
  if (ec) {
    std::cerr << "xacct: invalid --bind address " << options.bind << "\n";
    return 2;
  }
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "xacct: cannot listen on " << options.bind << ":" << options.port << ": " << ec.message() << "\n";
    return 2;
  }
  Registry registry;
  std::function<void()> accept = [&] {
    acceptor.async_accept(asio::make_strand(ioc), [&](beast::error_code aec, tcp::socket socket) {
      if (aec) return;  // the acceptor was closed
      auto session = std::make_shared<Session>(std::move(socket), handler, router, options, stopping);
      {
        std::lock_guard lock(registry.mu);
        std::erase_if(registry.sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
        registry.sessions.push_back(session);
      }
      session->Start();
      accept();
    });
  };
  accept();

  asio::steady_timer ticker(ioc);
  std::function<void()> tick = [&] {
    ticker.expires_after(std::chrono::seconds(1));
    ticker.async_wait([&](beast::error_code tec) {
      if (tec || stopping) return;
      every_second();
      tick();
    });
  };
  tick();

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    // Stop accepting; connections finish the request in flight and close, then run() returns.
    stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    ticker.cancel();
    std::lock_guard lock(registry.mu);
    for (auto& w : registry.sessions) {
      if (auto session = w.lock()) session->CloseIfIdle();
    }
  });

  ready(acceptor.local_endpoint().port());
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}

}  // namespace xacct::server
