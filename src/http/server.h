// http/server.h — owns the HTTP/1.1 front door (Boost.Beast on Asio, in server.cpp only):
// asynchronous keep-alive connections, request-line/header/body limits enforced while the bytes
// stream in (any transfer encoding; bodies are never decompressed), idle/read/write timeouts,
// deferred and streamed answers that hold no thread, and a bounded pool for blocking handlers.
// It knows no routes, authentication or JSON: a Router decides what each request runs.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace weft::http {

// What the router chose for a request, decided from its head (no body yet).
struct Dispatch {
  // Largest body accepted; a longer one is answered 413 as soon as the limit is crossed.
  std::size_t max_body = 0;
  // Runs on the handler pool with the complete request. Null: answer `status` without a body
  // read (no route: 404, wrong method: 405, …) using `reject`.
  std::function<void(Request&, Response&)> handler;
  // Used when handler is null: fills the answer (e.g. a JSON error).
  std::function<void(Response&)> reject;
  // Optional: runs first, on the network thread, with the complete request; it must not block.
  // True: it answered (filled the response or deferred it) and `handler` does not run. False:
  // `handler` runs on the pool as if this had never run, so it must have changed nothing but
  // the response it was given (which is dropped). Saves the hand-off to a pool thread for the
  // requests that can be answered from memory.
  std::function<bool(Request&, Response&)> try_inline;
};

// Called on a network thread with the request head (method, target, path, params, headers,
// remote address); it may fill `head.matches`. It must not block.
using Router = std::function<Dispatch(Request& head)>;

// Answers a request the server refused before any handler ran (bad request line, header too
// large, body too large, timeout while reading, server busy): fills `res` for `status`, with
// `code` and `message` in words. Lets the API give every such answer its JSON error shape.
using ErrorWriter = std::function<void(Response& res, int status, const std::string& code, const std::string& message)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;        // 0 = any free port
  int io_threads = 0;     // network threads (all connections, asynchronously); 0: one per two cores
  int handler_threads = 32;  // blocking handlers at once (store, argon2)
  std::size_t max_queued_handlers = 4096;  // beyond this: 503 server_busy
  std::size_t max_connections = 20000;     // beyond this new connections are closed at once
  std::size_t max_header_bytes = 32 * 1024;  // request line + all header fields
  std::size_t max_target_bytes = 8 * 1024;   // request target (path + query): 414 beyond
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive connection waiting for a request
  std::chrono::milliseconds read_timeout{30000};  // from a request's first byte to its last
  std::chrono::milliseconds write_timeout{30000};  // each write of an answer
  std::size_t max_stream_buffer = 1024 * 1024;     // bytes a slow stream reader may lag behind
  // Rewrites a path before it is logged (e.g. cuts secrets out). Null: logged as is.
  std::function<std::string(const std::string&)> loggable_path;
  bool access_log = true;
};

class Server {
 public:
  // `router` and `errors` must stay callable until the server is destroyed.
  Server(ServerOptions options, Router router, ErrorWriter errors);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port; returns the bound port. Errors: listen_failed.
  Result<int> bind();
  // Runs the network threads and the handler pool; returns after stop(). Call after bind().
  void serve();
  // Stops accepting, lets in-flight handlers finish and answer, closes every connection
  // (streams included) and makes serve() return. Thread-safe; idempotent.
  void stop();

  // Runs `fn` on the handler pool after `delay` (timers of deferred answers). Thread-safe;
  // dropped after stop().
  void run_after(std::chrono::milliseconds delay, std::function<void()> fn);

  // Connections open right now (for tests and metrics).
  std::size_t open_connections() const;

  struct Impl;  // server.cpp only

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace weft::http
