#include "pg/listener.h"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "core/log.h"
#include "pg/connection.h"

namespace weft::pg {

Listener::Listener(std::string url, std::vector<std::string> channels, Handler handler)
    : url_(std::move(url)), channels_(std::move(channels)), handler_(std::move(handler)) {
  if (::pipe(wake_pipe_) != 0) wake_pipe_[0] = wake_pipe_[1] = -1;
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  stop_.store(true);
  if (wake_pipe_[1] >= 0) {
    const char byte = 1;
    (void)!::write(wake_pipe_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void Listener::run() {
  std::chrono::milliseconds backoff(100);
  while (!stop_.load()) {
    auto opened = Connection::open(url_);
    Status listened = opened.ok() ? Status{} : Status(opened.error());
    if (opened.ok()) {
      for (const std::string& channel : channels_) {
        // Channel names are this backend's own constants, never input.
        const std::string listen = "LISTEN " + channel;
        listened = (*opened)->exec_script(listen.c_str(), "LISTEN");
        if (!listened.ok()) break;
      }
    }
    if (!listened.ok()) {
      log().warn("PostgreSQL listener cannot connect (next try in {} ms): {}", backoff.count(),
                 listened.error().message);
      pollfd wake{wake_pipe_[0], POLLIN, 0};
      ::poll(&wake, 1, static_cast<int>(backoff.count()));
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
      continue;
    }
    backoff = std::chrono::milliseconds(100);
    listening_.store(true);
    // Anything may have happened unheard: before the first LISTEN, or while the connection was down.
    for (const std::string& channel : channels_) handler_(channel, "");
    Connection& connection = **opened;
    while (!stop_.load() && connection.alive()) {
      pollfd fds[2] = {{PQsocket(connection.handle()), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
      if (::poll(fds, 2, 5000) < 0) continue;
      if (PQconsumeInput(connection.handle()) == 0) break;
      while (PGnotify* note = PQnotifies(connection.handle())) {
        const std::string channel = note->relname != nullptr ? note->relname : "";
        const std::string payload = note->extra != nullptr ? note->extra : "";
        PQfreemem(note);
        handler_(channel, payload);
      }
    }
    if (!stop_.load()) log().warn("PostgreSQL listener lost its connection; reconnecting");
  }
}

}  // namespace weft::pg
