#include "api/host_check.h"

#include <arpa/inet.h>

namespace weft::api {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Splits "host:port" / "[v6]:port" into host and port ("" when absent). False if malformed.
bool split_authority(const std::string& authority, std::string& host, std::string& port) {
  if (authority.empty()) return false;
  if (authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return false;
    host = authority.substr(1, close - 1);
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return false;
    port = rest.empty() ? "" : rest.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    host = colon == std::string::npos ? authority : authority.substr(0, colon);
    port = colon == std::string::npos ? "" : authority.substr(colon + 1);
    if (host.find(':') != std::string::npos) return false;
  }
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return !host.empty() && port.size() <= 5;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string origin_authority(const std::string& origin) {
  const std::string o = lower(origin);
  std::string scheme, rest;
  if (o.rfind("https://", 0) == 0) {
    scheme = "https";
    rest = o.substr(8);
  } else if (o.rfind("http://", 0) == 0) {
    scheme = "http";
    rest = o.substr(7);
  } else {
    return "";
  }
  rest = rest.substr(0, rest.find('/'));
  std::string host, port;
  if (!split_authority(rest, host, port)) return "";
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port.clear();
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port.empty() ? shown : shown + ":" + port;
}

HostCheck::HostCheck(const std::vector<std::string>& public_origins) {
  for (const auto& origin : public_origins) {
    const std::string a = origin_authority(origin);
    if (!a.empty()) authorities_.push_back(a);
  }
}

bool HostCheck::allowed(const std::string& host_header) const {
  if (host_header.empty()) return true;  // HTTP/1.0 without Host: no browser sends that
  if (host_header.size() > 300) return false;
  std::string host, port;
  const std::string h = lower(host_header);
  if (!split_authority(h, host, port)) return false;
  if (host == "localhost" || is_ip_literal(host)) return true;
  for (const auto& a : authorities_) {
    if (a == h) return true;
    // "example.com:443" when the origin is https://example.com (and :80 for http).
    if (!port.empty() && a == host && (port == "443" || port == "80")) return true;
  }
  return false;
}

}  // namespace weft::api
