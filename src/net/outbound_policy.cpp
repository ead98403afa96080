#include "net/outbound_policy.h"

#include "net/curl_library.h"

#include <algorithm>
#include <cctype>
#include <memory>

namespace weft::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl().url_cleanup(u); }
};

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl().url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return "";
  std::string value(out);
  curl().free(out);
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  return value;
}

}  // namespace

EgressPolicy OutboundPolicy::without_credential() const {
  EgressPolicy policy;
  policy.allowed_hosts = {"*"};
  policy.allow_private_addresses = allow_private_addresses;
  policy.max_redirects = max_redirects;
  return policy;
}

Result<EgressPolicy> OutboundPolicy::with_credential(const CredentialBinding& binding) const {
  WEFT_TRY(curl_available());
  std::unique_ptr<CURLU, UrlDeleter> u(curl().url());
  const Error misconfigured = Error::make(
      "invalid_configuration",
      binding.setting + " must be an http(s) URL such as https://api.example.com: the " + binding.provider +
          " credential is sent only there",
      {{"setting", binding.setting}});
  if (!u || curl().url_set(u.get(), CURLUPART_URL, binding.api_base.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return misconfigured;
  }
  const std::string scheme = url_part(u.get(), CURLUPART_SCHEME);
  const std::string host = url_part(u.get(), CURLUPART_HOST);
  const std::string port = url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if ((scheme != "http" && scheme != "https") || host.empty() || port.empty()) return misconfigured;

  EgressPolicy policy;
  policy.allowed_hosts = {host + ":" + port};  // the port is explicit: no other default port
  policy.https_only = scheme == "https";
  policy.allow_private_addresses = allow_private_addresses;
  policy.max_redirects = max_redirects;
  policy.denied_because = "the " + binding.provider + " credential is sent only to " + scheme + "://" + host +
                          ((scheme == "https" && port == "443") || (scheme == "http" && port == "80") ? "" : ":" + port) +
                          ", set by " + binding.setting;
  return policy;
}

}  // namespace weft::net
