// The one translation unit that includes Boost.Beast (heavy headers stay out of the rest).
//
// A connection's life (all of it on the connection's strand):
//
//   read_head ──▶ route ──▶ [100 Continue] ──▶ read_body ──▶ handler pool ──▶ write ──▶ read_head
//       │           │ no route / refused ─────────────────────────────────────▶ write (close if a
//       │           │                                                           body was left unread)
//       │           └── handler deferred ──▶ watch (a read that only notices the client leaving)
//       │                                     ├─ send()          ──▶ write ──▶ read_head
//       │                                     └─ start_stream()  ──▶ head, chunks…, last chunk ──▶ close
//       └── EOF, timeout, limit crossed ──▶ error answer (when something can still be said) ──▶ close
#include "http/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "http/beast_request.h"
#include "http/handler_threads.h"
#include "http/responder.h"

namespace weft::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kMaxWatchBuffer = 64 * 1024;  // pipelined bytes kept while an answer waits
constexpr std::size_t kLingerBytes = 8 * 1024 * 1024;  // dropped after a refusal before closing
constexpr auto kLingerTime = std::chrono::seconds(2);

std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

class Session;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(ServerOptions o, Router r, ErrorWriter e)
      : options(std::move(o)), router(std::move(r)), errors(std::move(e)), acceptor(ioc),
        handlers(static_cast<std::size_t>(std::max(1, options.handler_threads))) {}

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void add(const std::shared_ptr<Session>& s);
  void remove(Session* s);
  void close_all();
  std::string loggable(const std::string& path) const {
    return options.loggable_path ? options.loggable_path(path) : path;
  }

  ServerOptions options;
  Router router;
  ErrorWriter errors;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  HandlerThreads handlers;  // started as requests need them
  std::atomic<std::size_t> queued{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<int> writes_in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<bool> serving{false};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::mutex stop_mutex;
  bool stopped = false;
};

// One TCP connection. Every member is touched only on the strand, except `closed_`,
// `queued_bytes_` (atomics) and the on_close callbacks (under `callbacks_mutex_`).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Server::Impl> server, tcp::socket socket)
      : server_(std::move(server)), stream_(std::move(socket)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void start() { net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_head(); }); }

  // From any thread.
  void close_from_outside() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

  // Deferred answers (the Responder forwards here; any thread).
  // `slot` names the answer they are for (the responder's): one for another request, or one
  // already given, is dropped.
  void deferred_send(std::uint64_t slot, Response response);
  void deferred_send_made(std::uint64_t slot, std::function<Response()> make);
  void deferred_start_stream(std::uint64_t slot, int status, Headers headers);
  // A new answer slot for the request being handled (SessionResponder).
  std::uint64_t next_answer_slot() { return ++answer_slot_; }
  bool deferred_write(std::string chunk);
  void deferred_end();
  bool is_closed() const { return closed_.load(); }
  void add_close_callback(std::function<void()> cb) {
    {
      std::lock_guard lock(callbacks_mutex_);
      if (!closed_.load()) {
        close_callbacks_.push_back(std::move(cb));
        return;
      }
    }
    cb();
  }

 private:
  enum class State { reading, handling, deferred, writing, streaming, lingering, closed };

  void read_head();
  void on_head(beast::error_code ec);
  void read_body();
  void on_body(beast::error_code ec);
  void run_handler();
  void handled(Response res);
  void answer_deferred(Response response);
  // True while the request whose answer slot is `slot` still waits for its answer (being
  // handled, or deferred): not once it was answered otherwise, nor for a later request.
  bool awaits_answer(std::uint64_t slot) const {
    return slot == answer_slot_ && (state_ == State::handling || state_ == State::deferred);
  }
  void refuse(int status, const std::string& code, const std::string& message);
  void write(Response res, bool keep_alive);
  void on_written(beast::error_code ec, bool keep_alive);
  void linger();
  void drain();
  void watch();
  void on_watch(beast::error_code ec, std::size_t n);
  void flush_stream();
  void close();
  void log_access(int status) const;
  bool body_expected() const {
    return parser_ && !parser_->is_done() && (parser_->chunked() || parser_->content_length().value_or(0) > 0);
  }

  std::shared_ptr<Server::Impl> server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::shared_ptr<Request> request_;
  Dispatch dispatch_;
  std::string remote_;
  std::chrono::steady_clock::time_point started_;
  State state_ = State::reading;
  bool request_keep_alive_ = false;
  std::size_t lingered_bytes_ = 0;

  std::uint64_t answer_slot_ = 0;  // the newest responder's (strand only)
  // Deferred: the answer waits here while a watch read is being cancelled.
  bool watch_pending_ = false;
  std::optional<Response> pending_answer_;
  // Streaming.
  std::shared_ptr<bhttp::response<bhttp::empty_body>> stream_head_;
  std::shared_ptr<bhttp::response_serializer<bhttp::empty_body>> stream_serializer_;
  bool stream_head_written_ = false;
  bool stream_writing_ = false;
  bool stream_ending_ = false;
  std::deque<std::string> chunks_;
  std::atomic<std::size_t> queued_bytes_{0};

  std::atomic<bool> closed_{false};
  std::mutex callbacks_mutex_;
  std::vector<std::function<void()>> close_callbacks_;
};

namespace {

class SessionResponder final : public Responder {
 public:
  SessionResponder(std::weak_ptr<Session> s, std::uint64_t slot) : session_(std::move(s)), slot_(slot) {}
  void send(Response response) override {
    if (answered_.exchange(true)) return;
    if (auto s = session_.lock()) s->deferred_send(slot_, std::move(response));
  }
  void send_made(std::function<Response()> make) override {
    if (answered_.exchange(true)) return;
    if (auto s = session_.lock()) s->deferred_send_made(slot_, std::move(make));
  }
  void start_stream(int status, Headers headers) override {
    if (answered_.exchange(true)) return;
    if (auto s = session_.lock()) s->deferred_start_stream(slot_, status, std::move(headers));
  }
  bool write(std::string chunk) override {
    auto s = session_.lock();
    return s && s->deferred_write(std::move(chunk));
  }
  void end() override {
    if (auto s = session_.lock()) s->deferred_end();
  }
  bool closed() const override {
    auto s = session_.lock();
    return !s || s->is_closed();
  }
  void on_close(std::function<void()> callback) override {
    if (auto s = session_.lock()) s->add_close_callback(std::move(callback));
    else callback();
  }

 private:
  std::weak_ptr<Session> session_;
  std::uint64_t slot_;  // Session::answer_slot_ when it was made
  std::atomic<bool> answered_{false};
};

}  // namespace

// ---- reading a request ------------------------------------------------------------------

void Session::read_head() {
  if (server_->stopping.load()) return close();
  state_ = State::reading;
  parser_.emplace();
  limit_head(*parser_, server_->options);  // the body is limited once routed
  request_.reset();
  stream_.expires_after(server_->options.idle_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
}

void Session::on_head(beast::error_code ec) {
  started_ = std::chrono::steady_clock::now();
  if (ec) {
    if (ec == bhttp::error::header_limit) {
      return refuse(431, "header_too_large",
                    "request line and headers over " + std::to_string(server_->options.max_header_bytes) + " bytes");
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof || buffer_.size() == 0) {
      return close();
    }
    return refuse(400, "bad_request", "malformed HTTP request: " + ec.message());
  }
  const auto& head = parser_->get();
  request_keep_alive_ = head.keep_alive();
  auto req = std::make_shared<Request>(request_from_head(head, remote_));
  request_ = req;
  if (auto refusal = prepare_head(*req, server_->options)) return refuse(refusal->status, refusal->code, refusal->message);

  dispatch_ = server_->router(*req);
  if (!dispatch_.handler) {
    Response res;
    if (dispatch_.reject) dispatch_.reject(res);
    else server_->errors(res, 404, "not_found", "no such route");
    return write(std::move(res), request_keep_alive_ && !body_expected());
  }
  if (auto refusal = limit_body(*parser_, dispatch_.max_body)) return refuse(refusal->status, refusal->code, refusal->message);
  if (!body_expected()) return run_handler();
  auto expect = req->headers.find("Expect");
  if (expect != req->headers.end()) {
    if (lowercase(expect->second) != "100-continue") return refuse(417, "expectation_failed", "only Expect: 100-continue is understood");
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(server_->options.write_timeout);
    net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->read_body();
    });
    return;
  }
  read_body();
}

void Session::read_body() {
  stream_.expires_after(server_->options.read_timeout);
  bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_body(ec);
  });
}

void Session::on_body(beast::error_code ec) {
  if (ec) {
    if (ec == bhttp::error::body_limit) {
      return refuse(413, "payload_too_large",
                    "request body over " + std::to_string(dispatch_.max_body) + " bytes for this route");
    }
    // A timed-out tcp_stream has closed its socket: nothing can be answered.
    if (ec == beast::error::timeout || ec == bhttp::error::partial_message || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return close();
    }
    return refuse(400, "bad_request", "malformed request body: " + ec.message());
  }
  run_handler();
}

// ---- running the handler ---------------------------------------------------------------

void Session::run_handler() {
  stream_.expires_never();
  if (parser_->is_done()) request_->body = std::move(parser_->get().body());
  auto& server = *server_;
  if (dispatch_.try_inline) {
    state_ = State::handling;
    auto responder = std::make_shared<SessionResponder>(weak_from_this(), next_answer_slot());
    Response res;
    res.deferred_slot_ = responder;
    bool answered = true;
    try {
      answered = dispatch_.try_inline(*request_, res);
    } catch (const std::exception& e) {
      log().error("http inline handler for {} {} threw: {}", request_->method, server.loggable(request_->path),
                  e.what());
      res = Response{};
      server.errors(res, 500, "internal_error", "an internal error occurred");
    } catch (...) {
      log().error("http inline handler for {} {} threw a non-exception", request_->method,
                  server.loggable(request_->path));
      res = Response{};
      server.errors(res, 500, "internal_error", "an internal error occurred");
    }
    if (answered) return handled(std::move(res));
  }
  if (server.queued.fetch_add(1) >= server.options.max_queued_handlers) {
    server.queued.fetch_sub(1);
    Response res;
    server.errors(res, 503, "server_busy", "the server is busy; retry shortly");
    res.set_header("Retry-After", "1");
    return write(std::move(res), false);
  }
  state_ = State::handling;
  auto responder = std::make_shared<SessionResponder>(weak_from_this(), next_answer_slot());
  server.handlers.post([self = shared_from_this(), req = request_, handler = dispatch_.handler, responder] {
    Response res;
    res.deferred_slot_ = responder;
    try {
      handler(*req, res);
    } catch (const std::exception& e) {
      log().error("http handler for {} {} threw: {}", req->method, self->server_->loggable(req->path), e.what());
      res = Response{};
      self->server_->errors(res, 500, "internal_error", "an internal error occurred");
    } catch (...) {
      log().error("http handler for {} {} threw a non-exception", req->method, self->server_->loggable(req->path));
      res = Response{};
      self->server_->errors(res, 500, "internal_error", "an internal error occurred");
    }
    self->server_->queued.fetch_sub(1);
    net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->handled(std::move(res)); });
  });
}

// On the strand, once the handler has returned: writes its answer, or waits for a deferred one.
void Session::handled(Response res) {
  if (state_ == State::closed) return;
  if (!res.deferred_) return write(std::move(res), request_keep_alive_);
  // The answer may already have been given from another thread (queued on this strand before
  // us): then it is waiting in pending_answer_ or the stream has started.
  if (state_ == State::handling) {
    state_ = State::deferred;
    if (pending_answer_) {
      auto answer = std::move(*pending_answer_);
      pending_answer_.reset();
      return write(std::move(answer), request_keep_alive_);
    }
    watch();
  }
}

void Session::refuse(int status, const std::string& code, const std::string& message) {
  Response res;
  server_->errors(res, status, code, message);
  write(std::move(res), false);  // what is left of the request cannot be trusted: close after
}

// ---- writing the answer ------------------------------------------------------------------

void Session::write(Response res, bool keep_alive) {
  if (state_ == State::closed) return;
  state_ = State::writing;
  auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
  out->version(request_ ? request_->version : 11);
  out->result(static_cast<unsigned>(res.status));
  out->reason(std::string(reason_phrase(res.status)));
  for (const auto& [name, value] : res.headers) out->insert(name, value);
  out->body() = std::move(res.body);
  out->keep_alive(keep_alive && !server_->stopping.load());
  out->prepare_payload();
  const bool keep = out->keep_alive();
  log_access(res.status);
  stream_.expires_after(server_->options.write_timeout);
  server_->writes_in_flight.fetch_add(1);
  bhttp::async_write(stream_, *out, [self = shared_from_this(), out, keep](beast::error_code ec, std::size_t) {
    self->server_->writes_in_flight.fetch_sub(1);
    self->on_written(ec, keep);
  });
}

void Session::on_written(beast::error_code ec, bool keep_alive) {
  if (ec) return close();
  if (!keep_alive) return linger();
  read_head();
}

// Closing while the client is still sending (a refused body) would reset the connection and
// make the client lose the answer: say we are done, then read and drop what still arrives, for
// a bounded time and number of bytes, before closing.
void Session::linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  state_ = State::lingering;
  stream_.expires_after(kLingerTime);
  drain();
}

void Session::drain() {
  if (state_ != State::lingering) return;
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->lingered_bytes_ += n;
    if (ec || self->lingered_bytes_ > kLingerBytes) return self->close();
    self->drain();
  });
}

// ---- deferred answers --------------------------------------------------------------------

// While an answer waits, one read stays posted so that a client who leaves is noticed (and a
// waiting producer told). Bytes that arrive meanwhile (a pipelined request) are kept.
void Session::watch() {
  if (state_ != State::deferred && state_ != State::streaming) return;
  if (watch_pending_ || buffer_.size() >= kMaxWatchBuffer) return;
  watch_pending_ = true;
  stream_.socket().async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_watch(ec, n);
  });
}

void Session::on_watch(beast::error_code ec, std::size_t n) {
  watch_pending_ = false;
  if (!ec) {
    buffer_.commit(n);
  } else if (ec != net::error::operation_aborted) {
    return close();  // the client went away
  }
  if (state_ == State::deferred && pending_answer_) {
    auto answer = std::move(*pending_answer_);
    pending_answer_.reset();
    return write(std::move(answer), request_keep_alive_);
  }
  if (state_ == State::streaming && stream_ending_ && !stream_writing_ && chunks_.empty()) return close();
  if (!ec) watch();
}

void Session::deferred_send(std::uint64_t slot, Response response) {
  net::post(stream_.get_executor(), [self = shared_from_this(), slot, response = std::move(response)]() mutable {
    if (!self->awaits_answer(slot)) return;
    self->answer_deferred(std::move(response));
  });
}

void Session::deferred_send_made(std::uint64_t slot, std::function<Response()> make) {
  net::post(stream_.get_executor(), [self = shared_from_this(), slot, make = std::move(make)]() mutable {
    if (!self->awaits_answer(slot)) return;
    Response response;
    try {
      response = make();
    } catch (const std::exception& e) {
      log().error("http deferred answer for {} {} threw: {}", self->request_->method,
                  self->server_->loggable(self->request_->path), e.what());
      response = Response{};
      self->server_->errors(response, 500, "internal_error", "an internal error occurred");
    }
    self->answer_deferred(std::move(response));
  });
}

// On the strand: the deferred answer goes out now, or as soon as the handler or a watch is done.
void Session::answer_deferred(Response response) {
  if (state_ == State::closed) return;
  pending_answer_ = std::move(response);
  if (state_ == State::handling) return;  // the handler's epilogue writes it
  if (watch_pending_) {
    beast::error_code ignored;
    stream_.socket().cancel(ignored);  // on_watch writes it
    return;
  }
  auto answer = std::move(*pending_answer_);
  pending_answer_.reset();
  write(std::move(answer), request_keep_alive_);
}

void Session::deferred_start_stream(std::uint64_t slot, int status, Headers headers) {
  net::post(stream_.get_executor(), [self = shared_from_this(), slot, status, headers = std::move(headers)]() mutable {
    if (!self->awaits_answer(slot)) return;
    self->state_ = State::streaming;
    auto head = std::make_shared<bhttp::response<bhttp::empty_body>>();
    head->version(self->request_ ? self->request_->version : 11);
    head->result(static_cast<unsigned>(status));
    head->reason(std::string(reason_phrase(status)));
    for (const auto& [name, value] : headers) head->insert(name, value);
    head->chunked(true);
    head->keep_alive(false);  // a stream ends the connection
    self->stream_head_ = head;
    self->stream_serializer_ = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
    self->log_access(status);
    self->stream_writing_ = true;
    self->stream_.expires_after(self->server_->options.write_timeout);
    bhttp::async_write_header(self->stream_, *self->stream_serializer_, [self](beast::error_code ec, std::size_t) {
      self->stream_writing_ = false;
      if (ec || self->state_ == State::closed) return self->close();
      self->stream_.expires_never();
      self->stream_head_written_ = true;
      self->watch();
      self->flush_stream();
    });
  });
}

bool Session::deferred_write(std::string chunk) {
  if (closed_.load()) return false;
  if (chunk.empty()) return true;
  const std::size_t size = chunk.size();
  if (queued_bytes_.fetch_add(size) + size > server_->options.max_stream_buffer) {
    queued_bytes_.fetch_sub(size);
    close_from_outside();  // a reader this slow is dropped rather than buffered without end
    return false;
  }
  net::post(stream_.get_executor(), [self = shared_from_this(), chunk = std::move(chunk)]() mutable {
    if (self->state_ == State::closed) return;
    self->chunks_.push_back(std::move(chunk));
    self->flush_stream();
  });
  return true;
}

void Session::deferred_end() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->state_ != State::streaming) return;
    self->stream_ending_ = true;
    self->flush_stream();
  });
}

void Session::flush_stream() {
  if (state_ != State::streaming || !stream_head_written_ || stream_writing_) return;
  if (!chunks_.empty()) {
    stream_writing_ = true;
    stream_.expires_after(server_->options.write_timeout);
    net::async_write(stream_, bhttp::make_chunk(net::buffer(chunks_.front())),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->stream_writing_ = false;
                       // Closed meanwhile (chunks dropped), even if this write got through.
                       if (ec || self->state_ == State::closed) return self->close();
                       self->stream_.expires_never();
                       self->queued_bytes_.fetch_sub(self->chunks_.front().size());
                       self->chunks_.pop_front();
                       self->flush_stream();
                     });
    return;
  }
  if (stream_ending_) {
    stream_writing_ = true;
    stream_.expires_after(server_->options.write_timeout);
    net::async_write(stream_, bhttp::make_chunk_last(), [self = shared_from_this()](beast::error_code, std::size_t) {
      self->stream_writing_ = false;
      self->close();
    });
  }
}

// ---- closing -----------------------------------------------------------------------------

void Session::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  beast::error_code ignored;
  stream_.socket().close(ignored);
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(callbacks_mutex_);
    closed_.store(true);
    callbacks.swap(close_callbacks_);
  }
  for (auto& cb : callbacks) cb();
  chunks_.clear();
  server_->remove(this);
}

void Session::log_access(int status) const {
  if (!server_->options.access_log || !request_) return;
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
  log().info("http {} {} {} {:.2f}ms", request_->method, server_->loggable(request_->path), status, us / 1000.0);
}

// ---- the server --------------------------------------------------------------------------

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || ec == net::error::operation_aborted) return;
  if (!ec) {
    if (connections.load() >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(shared_from_this(), std::move(socket));
      add(session);
      session->start();
    }
  } else if (ec == net::error::no_descriptors) {
    // Out of file descriptors: back off briefly instead of spinning on accept.
    auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
    timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->accept(); });
    return;
  }
  accept();
}

void Server::Impl::add(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mutex);
  sessions.emplace(s.get(), s);
  connections.store(sessions.size());
}

void Server::Impl::remove(Session* s) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(s);
  connections.store(sessions.size());
}

void Server::Impl::close_all() {
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& [_, weak] : sessions) {
      if (auto s = weak.lock()) all.push_back(std::move(s));
    }
  }
  for (auto& s : all) s->close_from_outside();
}

Server::Server(ServerOptions options, Router router, ErrorWriter errors)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(router), std::move(errors))) {}

Server::~Server() { stop(); }

Result<int> Server::bind() {
  auto& impl = *impl_;
  beast::error_code ec;
  const auto address = net::ip::make_address(impl.options.host, ec);
  if (ec) return Error::make("listen_failed", "cannot listen on " + impl.options.host + ": not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl.options.port));
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::make("listen_failed", "cannot listen on " + impl.options.host + ":" +
                                            std::to_string(impl.options.port) + ": " + ec.message());
  }
  return static_cast<int>(impl.acceptor.local_endpoint().port());
}

void Server::serve() {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.stop_mutex);
    if (impl.stopped) return;
    impl.work.emplace(net::make_work_guard(impl.ioc));
    impl.serving.store(true);
  }
  impl.accept();
  std::vector<std::thread> threads;
  // One network thread per two cores by default: on two, one thread parses and answers while
  // the other core runs the step loop (a second network thread there only adds lock hand-offs).
  constexpr int kMaxIoThreads = 64;
  const int io_threads = impl.options.io_threads > 0
                             ? std::min(impl.options.io_threads, kMaxIoThreads)
                             : std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
  for (int i = 1; i < io_threads; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.stop_mutex);
    if (impl.stopped) return;
    impl.stopped = true;
  }
  impl.stopping.store(true);
  net::post(impl.ioc, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
  });
  // In-flight handlers finish and their answers are written (the network threads still run).
  impl.handlers.join();
  const auto wait_until = [](auto done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  if (impl.serving.load()) {
    wait_until([&impl] { return impl.writes_in_flight.load() == 0; });
    // Idle keep-alive connections, waits and streams still open are closed now.
    impl.close_all();
    wait_until([&impl] { return impl.connections.load() == 0; });
  }
  impl.work.reset();
  impl.ioc.stop();
}

void Server::run_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto impl = impl_;
  if (impl->stopping.load()) return;
  auto timer = std::make_shared<net::steady_timer>(impl->ioc, delay);
  timer->async_wait([impl, timer, fn = std::move(fn)](beast::error_code ec) mutable {
    if (ec || impl->stopping.load()) return;
    impl->handlers.post(std::move(fn));
  });
}

std::size_t Server::open_connections() const { return impl_->connections.load(); }

}  // namespace weft::http
