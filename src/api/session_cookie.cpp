#include "api/session_cookie.h"

namespace weft::api {

std::string session_token(const http::Request& req, bool secure) {
  const std::string key = std::string(secure ? kSecureSessionCookie : kSessionCookie) + "=";
  std::string found;
  int count = 0;
  auto range = req.headers.equal_range("Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string& header = it->second;
    std::size_t pos = 0;
    while (pos < header.size()) {
      while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
      std::size_t end = header.find(';', pos);
      if (end == std::string::npos) end = header.size();
      if (header.compare(pos, key.size(), key) == 0) {
        ++count;
        found = header.substr(pos + key.size(), end - pos - key.size());
        while (!found.empty() && found.back() == ' ') found.pop_back();
      }
      pos = end;
    }
  }
  return count == 1 ? found : "";
}

std::string session_cookie(const std::string& token, TimeMs max_age_ms, bool secure) {
  return std::string(secure ? kSecureSessionCookie : kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "") + "; Max-Age=" +
         std::to_string(max_age_ms / 1000);
}

std::string cleared_session_cookie(bool secure) {
  return std::string(secure ? kSecureSessionCookie : kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "") + "; Max-Age=0";
}

}  // namespace weft::api
