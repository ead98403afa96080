// api/host_check.h — owns which Host headers the API answers (DNS-rebinding defence): an IP
// literal or `localhost` (a rebinding page always sends its own domain name), or the host of a
// configured public origin. Pure functions; no I/O.
#pragma once

#include <string>
#include <vector>

namespace weft::api {

class HostCheck {
 public:
  // `public_origins`: "https://weft.example.com", "http://10.0.0.5:8080", … (scheme://host[:port]).
  explicit HostCheck(const std::vector<std::string>& public_origins);
  // True if a request carrying `host` (the Host header, "" when absent) may be answered.
  bool allowed(const std::string& host) const;

 private:
  std::vector<std::string> authorities_;  // lowercase host[:port], default ports removed
};

// "HTTPS://Example.com:443/x" → "example.com"; "http://a:8080" → "a:8080". "" if malformed.
std::string origin_authority(const std::string& origin);

}  // namespace weft::api
