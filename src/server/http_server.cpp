#include "server/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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
      : stream_(std::move(socket)), handler_(handler), router_(router), options_(options), stopping_(stopping) {}

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
    if (stopping_ && idle_) return Close();
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->idle_ = false;
      self->OnHeader(ec);
    });
  }

  // The head is in: route it, then read the body whole (query, JSON) or stream it to a sink (S3).
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
    try {
      sink_ = router_(request_);
    } catch (const std::exception& e) {
      return Respond(Internal(e));
    }
    if (!sink_ && parser_->content_length() && *parser_->content_length() > options_.body_limit) {
      return Fail(http::error::body_limit);  // refused before a byte of it is read
    }
    ReadBody();
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
          return self->Respond(Internal(e));
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

  static HttpResponse Internal(const std::exception& e) {
    HttpResponse r;
    r.status = 500;
    r.body = ErrorXml("InternalFailure", std::string("xacct internal error: ") + e.what());
    r.headers.emplace_back("Content-Type", "application/xml");
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

  void Write(HttpResponse r, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    res->set(http::field::server, "xacct");
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive) return self->Close();
      self->Read();
    });
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
  bool keep_alive_ = false;
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
