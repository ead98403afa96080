// http/responder.h — owns the handle of a deferred answer: a handler that must wait (a webhook
// caller waiting for its run, a Server-Sent Events stream) gives the connection back to the
// server and answers later through this handle, from any thread. Holds no thread while waiting.
#pragma once

#include <functional>
#include <string>

#include "http/message.h"

namespace weft::http {

class Responder {
 public:
  virtual ~Responder() = default;

  // Sends `response` as the whole answer. Thread-safe; only the first answer counts (send or
  // start_stream); later calls are ignored.
  virtual void send(Response response) = 0;
  // As send, but `make` builds the answer on the connection's network thread: a producer on a
  // busy thread (the step loop) hands that work over. A throw from `make` answers 500.
  virtual void send_made(std::function<Response()> make) = 0;

  // Starts a streamed answer (chunked transfer encoding) with `status` and `headers`; chunks
  // follow with write(), and end() finishes it. Thread-safe.
  virtual void start_stream(int status, Headers headers) = 0;
  // Queues `chunk` for the client. False once the client has gone, the stream has ended, or the
  // client reads too slowly (more than the server's stream buffer is queued): stop producing.
  virtual bool write(std::string chunk) = 0;
  // Ends a streamed answer. Thread-safe; idempotent.
  virtual void end() = 0;

  // True once the connection is closed (the client went away, a write failed, or the server
  // stops). A waiting producer polls this or registers on_close.
  virtual bool closed() const = 0;
  // Calls `callback` once when the connection closes before the answer is complete (at once if
  // it already has). The callback runs on a server thread: it must not block.
  virtual void on_close(std::function<void()> callback) = 0;
};

}  // namespace weft::http
