// The upper limit for xacct's S3 GET and PUT throughput: a trivial static file server on the same stack
// (Boost.Beast over Asio, one io_context run by one thread per core, a strand per keep-alive connection).
// GET /name sends D/name with sendfile(2), as xacct sends file-backed responses; PUT /name writes the body
// to D/name as it arrives (fsync'd before the answer with --fsync). No authentication, no metadata.
//
//   static_file_server --port P --dir D [--threads N] [--fsync]
//
// Prints "listening on PORT" once connections are accepted (--port 0 picks a free port).
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Options {
  uint16_t port = 0;
  std::string dir = ".";
  unsigned threads = 0;
  bool fsync = false;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Options& options) : stream_(std::move(socket)), options_(options) {
    buffer_.reserve(64 * 1024);  // else Beast reads a body 512 bytes at a time
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    if (fd_ >= 0) ::close(fd_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Read() {
    parser_.emplace();
    parser_->body_limit(boost::none);
    stream_.expires_after(std::chrono::seconds(120));
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->OnHeader();
    });
  }

 private:
  // A flat namespace: the target's path, without its query, names a file directly in the directory.
  std::optional<std::string> PathOf(beast::string_view target) const {
    const std::string name(target.substr(0, target.find('?')));
    if (name.size() < 2 || name[0] != '/' || name.find('/', 1) != std::string::npos || name == "/." || name == "/..") {
      return std::nullopt;
    }
    return options_.dir + name;
  }

  void OnHeader() {
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    const auto path = PathOf(req.target());
    if (!path) return Respond(http::status::bad_request, !parser_->is_done());
    if (req.method() == http::verb::get) return Get(*path);
    if (req.method() != http::verb::put) return Respond(http::status::method_not_allowed, !parser_->is_done());
    fd_ = ::open(path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Respond(http::status::internal_server_error, !parser_->is_done());
    const auto expect = req.find(http::field::expect);
    if (!parser_->is_done() && expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
      return http::async_write(stream_, continue_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return EndPut();
    auto& body = parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    http::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return self->Close();
      const size_t got = self->chunk_.size() - self->parser_->get().body().size;
      for (size_t done = 0; done < got;) {
        const ssize_t n = ::write(self->fd_, self->chunk_.data() + done, got - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return self->Respond(http::status::internal_server_error, true);
        done += static_cast<size_t>(n);
      }
      self->ReadBody();
    });
  }

  void EndPut() {
    const bool ok = !options_.fsync || ::fsync(fd_) == 0;
    ::close(fd_);
    fd_ = -1;
    Respond(ok ? http::status::ok : http::status::internal_server_error, false);
  }

  void Get(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) return Respond(http::status::not_found, !parser_->is_done());
    offset_ = 0;
    remaining_ = static_cast<uint64_t>(st.st_size);
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::ok, 11);
    res->set(http::field::content_type, "application/octet-stream");
    res->content_length(remaining_);
    res->keep_alive(keep_alive_);
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->SendFile();
    });
  }

  void SendFile() {
    auto& socket = stream_.socket();
    beast::error_code ec;
    if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
    while (!ec && remaining_ > 0) {
      const ssize_t sent = ::sendfile(socket.native_handle(), fd_, &offset_, std::min<uint64_t>(remaining_, 1 << 30));
      if (sent > 0) {
        remaining_ -= static_cast<uint64_t>(sent);
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return socket.async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code wec) {
          if (wec) return self->Close();
          self->SendFile();
        });
      } else {
        return Close();
      }
    }
    ::close(fd_);
    fd_ = -1;
    if (ec || !keep_alive_) return Close();
    Read();
  }

  // `unread_body`: the request's body was not read whole, so the connection cannot be reused.
  void Respond(http::status status, bool unread_body) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    const bool keep_alive = keep_alive_ && !unread_body;
    auto res = std::make_shared<http::response<http::empty_body>>(status, 11);
    res->content_length(0);
    res->keep_alive(keep_alive);
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
      if (ec || !keep_alive) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  const Options& options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  std::array<char, 256 * 1024> chunk_{};
  http::response<http::empty_body> continue_{http::status::continue_, 11};
  int fd_ = -1;
  off_t offset_ = 0;
  uint64_t remaining_ = 0;
  bool keep_alive_ = false;
};

void Accept(tcp::acceptor& acceptor, asio::io_context& ioc, const Options& options) {
  acceptor.async_accept(asio::make_strand(ioc), [&](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<Session>(std::move(socket), options)->Read();
    Accept(acceptor, ioc, options);
  });
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fsync") {
      options.fsync = true;
    } else if (arg == "--port" && i + 1 < argc) {
      options.port = static_cast<uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--dir" && i + 1 < argc) {
      options.dir = argv[++i];
    } else if (arg == "--threads" && i + 1 < argc) {
      options.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: static_file_server --port P --dir D [--threads N] [--fsync]\n";
      return 2;
    }
  }
  std::signal(SIGPIPE, SIG_IGN);  // sendfile(2) to a client that has gone
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  asio::io_context ioc(static_cast<int>(threads));
  tcp::acceptor acceptor(ioc);
  beast::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "static_file_server: cannot listen on port " << options.port << ": " << ec.message() << "\n";
    return 2;
  }
  Accept(acceptor, ioc, options);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::cout << "listening on " << acceptor.local_endpoint().port() << std::endl;
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
