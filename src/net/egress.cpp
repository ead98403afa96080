#include "net/egress.h"

#include "net/curl_library.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <utility>

namespace weft::net {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl().url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl().url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return "";
  std::string value(out);
  curl().free(out);
  return value;
}

struct Target {
  std::string scheme, host, port;
};

Result<Target> target_of(const std::string& url) {
  WEFT_TRY(curl_available());
  UrlHandle u(curl().url());
  if (!u || curl().url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return Error::make("invalid_url", "the URL is malformed (it must look like https://host/path)");
  }
  Target t{lower(url_part(u.get(), CURLUPART_SCHEME)), lower(url_part(u.get(), CURLUPART_HOST)),
           url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT)};
  if (t.scheme != "http" && t.scheme != "https") {
    return Error::make("egress_denied", "only http and https requests are allowed, not '" + t.scheme + "'",
                       {{"scheme", t.scheme}});
  }
  if (t.host.empty()) return Error::make("invalid_url", "the URL has no host");
  return t;
}

// Splits "host[:port]" ("[v6]:port" for IPv6 literals, kept in brackets as libcurl does).
std::pair<std::string, std::string> split_pattern(const std::string& pattern) {
  const std::string p = lower(pattern);
  const auto bracket = p.rfind(']');
  const auto colon = p.rfind(':');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) return {p, ""};
  if (bracket == std::string::npos && p.find(':') != colon) return {p, ""};  // bare IPv6: no port
  return {p.substr(0, colon), p.substr(colon + 1)};
}

bool host_matches(const std::string& pattern, const Target& t) {
  const auto [host, port] = split_pattern(pattern);
  if (port.empty() ? (t.port != "80" && t.port != "443") : port != t.port) return false;
  if (host.rfind("*.", 0) == 0) {
    const std::string suffix = host.substr(1);  // ".example.com"
    return t.host.size() > suffix.size() &&
           t.host.compare(t.host.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return host == t.host;
}

bool allowed(const EgressPolicy& policy, const Target& t) {
  for (const auto& pattern : policy.allowed_hosts) {
    if (pattern == "*" || host_matches(pattern, t)) return true;
  }
  return false;
}

// Resolves a Location header against the URL it came from.
Result<std::string> resolve_location(const std::string& base, const std::string& location) {
  WEFT_TRY(curl_available());
  UrlHandle u(curl().url());
  if (!u || curl().url_set(u.get(), CURLUPART_URL, base.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
      curl().url_set(u.get(), CURLUPART_URL, location.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return Error::make("egress_denied", "a redirect pointed to a malformed location");
  }
  return url_part(u.get(), CURLUPART_URL);
}

void drop_header(Headers& headers, const char* name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return lower(h.first) == name; }),
                headers.end());
}

}  // namespace

std::string loggable_host(const std::string& url) {
  auto t = target_of(url);
  return t.ok() ? t->host + ":" + t->port : "";
}

Status check_egress(const std::string& url, const EgressPolicy& policy) {
  WEFT_TRY_ASSIGN(Target t, target_of(url));
  const std::string where = t.host + (t.port == "80" || t.port == "443" ? "" : ":" + t.port);
  if (!allowed(policy, t)) {
    return Error::make("egress_denied", "requests to " + where + " are not allowed (" + policy.denied_because + ")",
                       {{"host", t.host}});
  }
  if (policy.https_only && t.scheme != "https") {
    return Error::make("egress_denied",
                       "requests to " + where + " must use https (" + policy.denied_because + ")",
                       {{"host", t.host}, {"scheme", t.scheme}});
  }
  return {};
}

Result<HttpResponse> perform_with_policy(HttpRequest request, const EgressPolicy& policy) {
  request.max_redirects = 0;
  request.allow_private_addresses = policy.allow_private_addresses;
  for (int hop = 0;; ++hop) {
    WEFT_TRY(check_egress(request.url, policy));
    WEFT_TRY_ASSIGN(HttpResponse response, perform(request));
    const std::string location = response.header("location");
    if (response.status < 300 || response.status >= 400 || response.status == 304 || location.empty()) {
      return response;
    }
    if (hop >= policy.max_redirects) {
      return Error::make("too_many_redirects",
                         "more than " + std::to_string(policy.max_redirects) + " redirects",
                         {{"maxRedirects", policy.max_redirects}});
    }
    WEFT_TRY_ASSIGN(std::string next, resolve_location(request.url, location));
    WEFT_TRY_ASSIGN(Target from, target_of(request.url));
    auto to = target_of(next);
    if (!to.ok()) return to.error();
    if (to->host != from.host || to->port != from.port || to->scheme != from.scheme) {
      drop_header(request.headers, "authorization");
      drop_header(request.headers, "cookie");
    }
    // 303 always, and 301/302 after a POST, become a GET without a body (what browsers do).
    if (response.status == 303 || ((response.status == 301 || response.status == 302) && request.method == "POST")) {
      request.method = "GET";
      request.body.clear();
      drop_header(request.headers, "content-type");
    }
    request.url = std::move(next);
  }
}

}  // namespace weft::net
