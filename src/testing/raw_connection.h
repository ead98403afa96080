// testing/raw_connection.h — owns a blocking TCP connection to 127.0.0.1:<port> for tests that
// must send HTTP bytes no client library would (chunked floods, odd heads, half requests) and
// read whatever comes back. Test-only code.
#pragma once

#include <chrono>
#include <string>

namespace weft::testing {

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // Sends every byte; false once the peer stopped accepting them (closed, reset).
  bool send(const std::string& bytes);
  // Reads until `until` appears in everything received so far, the peer closes, or `timeout`
  // passes; returns everything received so far.
  const std::string& read_until(const std::string& until,
                                std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // True if the peer closes the connection within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  const std::string& received() const { return received_; }
  void clear() { received_.clear(); }
  void close();

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool peer_closed_ = false;
  std::string received_;
};

// The status code of an HTTP answer that starts `response`, or -1.
int http_status_of(const std::string& response);

}  // namespace weft::testing
