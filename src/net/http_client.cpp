#include "net/http_client.h"

#include <sys/socket.h>

#include "net/curl_library.h"
#include <strings.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>

#include "net/address_policy.h"

namespace weft::net {

namespace {

constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                      "DELETE", "HEAD", "OPTIONS"};
// How long one wait for socket activity may last, so cancellation is seen promptly.
constexpr int kPollSliceMs = 50;

// Owns one CURL easy handle. Not copyable: exactly one owner frees it.
class EasyHandle {
 public:
  EasyHandle() : handle_(curl().easy_init()) {}
  ~EasyHandle() {
    if (handle_ != nullptr) curl().easy_cleanup(handle_);
  }
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;

  CURL* get() const { return handle_; }

 private:
  CURL* handle_;
};

// Owns a CURLM multi handle driving exactly one easy handle, so the transfer can be waited on
// in short slices (cancellation) instead of libcurl's one-second idle progress interval.
class MultiTransfer {
 public:
  MultiTransfer(CURL* easy) : multi_(curl().multi_init()), easy_(easy) {
    if (multi_ != nullptr) added_ = curl().multi_add_handle(multi_, easy_) == CURLM_OK;
  }
  ~MultiTransfer() {
    if (added_) curl().multi_remove_handle(multi_, easy_);
    if (multi_ != nullptr) curl().multi_cleanup(multi_);
  }
  MultiTransfer(const MultiTransfer&) = delete;
  MultiTransfer& operator=(const MultiTransfer&) = delete;

  bool ready() const { return added_; }

  // Runs the transfer to completion; `stop` is polled between slices. Returns the easy
  // handle's result, or CURLE_ABORTED_BY_CALLBACK when `stop` said so.
  template <typename Stop>
  CURLcode run(Stop stop) {
    for (;;) {
      int running = 0;
      if (curl().multi_perform(multi_, &running) != CURLM_OK) return CURLE_FAILED_INIT;
      int queued = 0;
      while (CURLMsg* msg = curl().multi_info_read(multi_, &queued)) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy_) return msg->data.result;
      }
      if (running == 0) return CURLE_OK;
      if (stop()) return CURLE_ABORTED_BY_CALLBACK;
      if (curl().multi_poll(multi_, nullptr, 0, kPollSliceMs, nullptr) != CURLM_OK) {
        return CURLE_FAILED_INIT;
      }
    }
  }

 private:
  CURLM* multi_;
  CURL* easy_;
  bool added_ = false;
};

// Owns a curl_slist of request headers.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() {
    if (list_ != nullptr) curl().slist_free_all(list_);
  }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  bool append(const std::string& line) {
    curl_slist* next = curl().slist_append(list_, line.c_str());
    if (next == nullptr) return false;
    list_ = next;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// Owns a parsed CURLU, used to check the URL and name its host before any I/O.
class ParsedUrl {
 public:
  ParsedUrl() : url_(curl().url()) {}
  ~ParsedUrl() {
    if (url_ != nullptr) curl().url_cleanup(url_);
  }
  ParsedUrl(const ParsedUrl&) = delete;
  ParsedUrl& operator=(const ParsedUrl&) = delete;

  bool parse(const std::string& text) {
    return url_ != nullptr &&
           curl().url_set(url_, CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK;
  }
  std::string part(CURLUPart which) const {
    char* out = nullptr;
    if (curl().url_get(url_, which, &out, 0) != CURLUE_OK || out == nullptr) return "";
    std::string value(out);
    curl().free(out);
    return value;
  }

 private:
  CURLU* url_;
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_redirect(int status) { return status >= 300 && status < 400; }

// Per-transfer state the libcurl callbacks write into.
struct Transfer {
  HttpResponse response;
  int status = 0;  // of the response whose headers are being received
  std::int64_t max_bytes = 0;
  const CancelToken* cancel = nullptr;
  bool head = false;  // a HEAD response's Content-Length describes a body that never comes
  bool too_large = false;
  bool cancelled = false;
  bool allow_private = true;
  std::string refused_address;  // set when a non-public address was refused
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (static_cast<std::int64_t>(t->response.body.size() + n) > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes libcurl fail with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
    // A new status line: an earlier response (redirect, 100 Continue) is over.
    t->response.headers.clear();
    t->response.body.clear();
    t->status = 0;
    const auto space = line.find(' ');
    if (space != std::string_view::npos && space + 4 <= line.size()) {
      std::from_chars(line.data() + space + 1, line.data() + space + 4, t->status);
    }
    return n;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // Obsolete line folding: continues the previous header's value.
    if (!t->response.headers.empty()) {
      t->response.headers.back().second += " ";
      t->response.headers.back().second += trim(line);
    }
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // the blank line ending the headers
  std::string name = lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  if (name == "content-length" && !t->head && !is_redirect(t->status)) {
    std::int64_t length = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec == std::errc() && length > t->max_bytes) {
      t->too_large = true;
      return 0;  // refuse before downloading anything
    }
  }
  t->response.headers.emplace_back(std::move(name), std::move(value));
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->cancel != nullptr && t->cancel->cancelled()) {
    t->cancelled = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

// Opens the socket for an address libcurl resolved, unless policy refuses that address.
curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->allow_private && !is_public_address(&address->addr)) {
    t->refused_address = address_text(&address->addr);
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

bool is_tls_error(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

Error map_error(CURLcode code, const Transfer& t, const HttpRequest& request,
                const std::string& host) {
  const std::string where = request.method + " to " + host;
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Error::make("response_too_large",
                       "response from " + host + " is larger than " +
                           std::to_string(request.max_response_bytes) + " bytes",
                       {{"host", host}, {"limitBytes", request.max_response_bytes}});
  }
  if (!t.refused_address.empty()) {
    return Error::make("egress_denied",
                       "connecting to " + host + " (" + t.refused_address +
                           ") is not allowed: it is not a public address",
                       {{"host", host}, {"address", t.refused_address}});
  }
  if (t.cancelled || code == CURLE_ABORTED_BY_CALLBACK) {
    return Error::make("cancelled", where + " was cancelled", {{"host", host}});
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error::make("dns_failure", "could not resolve host " + host, {{"host", host}});
    case CURLE_COULDNT_CONNECT:
      return Error::make("connect_failed", "could not connect to " + host, {{"host", host}});
    case CURLE_OPERATION_TIMEDOUT:
      return Error::make("timeout",
                         where + " timed out after " + std::to_string(request.timeout_ms) + " ms",
                         {{"host", host}, {"timeoutMs", request.timeout_ms}});
    case CURLE_TOO_MANY_REDIRECTS:
      return Error::make(
          "too_many_redirects",
          where + " exceeded " + std::to_string(request.max_redirects) + " redirects",
          {{"host", host}, {"maxRedirects", request.max_redirects}});
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error::make("unsupported_protocol",
                         "only http and https are allowed (request to " + host + ")",
                         {{"host", host}});
    case CURLE_URL_MALFORMAT:
      return Error::make("invalid_url", "malformed URL for host " + host, {{"host", host}});
    default:
      break;
  }
  if (is_tls_error(code)) {
    return Error::make("tls_error",
                       "TLS failure talking to " + host + ": " + curl().easy_strerror(code),
                       {{"host", host}});
  }
  return Error::make("http_transport_error", where + " failed: " + curl().easy_strerror(code),
                     {{"host", host}});
}

// Sets every option on `easy`; false if libcurl refused one (which only a broken build does).
bool configure(CURL* easy, const HttpRequest& request, Transfer& transfer, HeaderList& headers) {
  bool ok = true;
  auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
  set(curl().easy_setopt(easy, CURLOPT_URL, request.url.c_str()));
  set(curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl().easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
  set(curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L));
  set(curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms)));
  set(curl().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, request.max_redirects > 0 ? 1L : 0L));
  set(curl().easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects)));
  set(curl().easy_setopt(easy, CURLOPT_USERAGENT, "weft/0.1"));
  set(curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body));
  set(curl().easy_setopt(easy, CURLOPT_WRITEDATA, &transfer));
  set(curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header));
  set(curl().easy_setopt(easy, CURLOPT_HEADERDATA, &transfer));
  set(curl().easy_setopt(easy, CURLOPT_NOPROGRESS, 0L));
  set(curl().easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress));
  set(curl().easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer));
  set(curl().easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket));
  // Through a proxy only the proxy's address would be checked: egress under the address rule
  // never uses one (not even from http_proxy/https_proxy in the environment).
  if (!request.allow_private_addresses) set(curl().easy_setopt(easy, CURLOPT_PROXY, ""));
  set(curl().easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &transfer));

  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (strcasecmp(name.c_str(), "content-type") == 0) has_content_type = true;
    // "Name;" is libcurl's spelling of a header sent with an empty value.
    ok = ok && headers.append(value.empty() ? name + ";" : name + ": " + value);
  }
  // libcurl would add these on its own: no guessed form content type, no 100-continue stall.
  if (!has_content_type) ok = ok && headers.append("Content-Type:");
  ok = ok && headers.append("Expect:");
  set(curl().easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get()));

  if (request.method == "HEAD") {
    set(curl().easy_setopt(easy, CURLOPT_NOBODY, 1L));
  } else if (request.method == "GET" && request.body.empty()) {
    set(curl().easy_setopt(easy, CURLOPT_HTTPGET, 1L));
  } else {
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      set(curl().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size())));
      set(curl().easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data()));
    }
    // A plain POST lets libcurl apply the standard redirect rules (303 → GET); other methods
    // are sent as named and, per the HTTP spec, not rewritten.
    if (request.method != "POST") set(curl().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    else set(curl().easy_setopt(easy, CURLOPT_POST, 1L));
  }
  return ok;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return "";
}

Result<HttpResponse> perform(const HttpRequest& request) {
  WEFT_TRY(curl_available());

  ParsedUrl url;
  if (!url.parse(request.url)) {
    // The text may hold a secret in its query: say only that it is malformed.
    return Error::make("invalid_url", "the URL is malformed (it must look like https://host/path)");
  }
  const std::string scheme = lower(url.part(CURLUPART_SCHEME));
  const std::string host = url.part(CURLUPART_HOST);
  if (scheme != "http" && scheme != "https") {
    return Error::make("unsupported_protocol",
                       "only http and https are allowed, not '" + scheme + "' (host " + host + ")",
                       {{"host", host}, {"scheme", scheme}});
  }
  if (host.empty()) return Error::make("invalid_url", "the URL has no host");
  if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
    return Error::make("invalid_request",
                       "unsupported HTTP method '" + request.method +
                           "' (use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)");
  }
  for (const auto& [name, value] : request.headers) {
    const bool bad_name =
        name.empty() || std::any_of(name.begin(), name.end(), [](unsigned char c) {
          return c <= ' ' || c == ':' || c >= 0x7f;
        });
    const bool bad_value = value.find_first_of("\r\n", 0) != std::string::npos ||
                           value.find('\0') != std::string::npos;
    if (bad_name || bad_value) {
      return Error::make("invalid_request",
                         "header '" + (bad_name ? std::string("(invalid name)") : name) +
                             "' has a forbidden character (line breaks are not allowed)");
    }
  }

  Transfer transfer;
  transfer.max_bytes = request.max_response_bytes;
  transfer.cancel = request.cancel;
  transfer.head = request.method == "HEAD";
  transfer.allow_private = request.allow_private_addresses;
  if (request.cancel != nullptr && request.cancel->cancelled()) {
    return map_error(CURLE_ABORTED_BY_CALLBACK, transfer, request, host);
  }
  if (request.timeout_ms <= 0) {
    return Error::make("timeout", request.method + " to " + host + " had no time left to run",
                       {{"host", host}, {"timeoutMs", request.timeout_ms}});
  }

  EasyHandle easy;
  HeaderList headers;
  if (easy.get() == nullptr || !configure(easy.get(), request, transfer, headers)) {
    return Error::make("http_transport_error", "could not set up the HTTP client");
  }
  MultiTransfer multi(easy.get());
  if (!multi.ready()) {
    return Error::make("http_transport_error", "could not set up the HTTP client");
  }

  const CURLcode code = multi.run([&] {
    if (request.cancel != nullptr && request.cancel->cancelled()) transfer.cancelled = true;
    return transfer.cancelled;
  });
  if (code != CURLE_OK || transfer.too_large || transfer.cancelled || !transfer.refused_address.empty()) {
    return map_error(code, transfer, request, host);
  }

  long status = 0;
  curl().easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl().easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &effective);
  transfer.response.status = static_cast<int>(status);
  transfer.response.effective_url = effective != nullptr ? effective : request.url;
  return std::move(transfer.response);
}

}  // namespace weft::net
