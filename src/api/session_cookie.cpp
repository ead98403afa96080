#include "api/session_cookie.h"

namespace weft::api {

std::string session_token(const httplib::Request& req) {
  const std::string header = req.get_header_value("Cookie");
  const std::string key = std::string(kSessionCookie) + "=";
  std::size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    if (header.compare(pos, key.size(), key) == 0) return header.substr(pos + key.size(), end - pos - key.size());
    pos = end;
  }
  return "";
}

std::string session_cookie(const std::string& token, TimeMs max_age_ms) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
         std::to_string(max_age_ms / 1000);
}

std::string cleared_session_cookie() {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
}

}  // namespace weft::api
