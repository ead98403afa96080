// fuzz/http_request_fuzzer.cpp — libFuzzer target: raw bytes from a client, as the API server
// reads them. Beast's request parser with http::Server's limits (read through a stream that
// hands the bytes over in small pieces, so every split point of a head or chunk is tried, and
// with one buffer kept across pipelined requests), the server's head checks (prepare_head), the
// API's Host check and route table, the route's body limit, then what every handler does first:
// the session cookie, the Origin's authority and the JSON body (read_object, only_fields,
// required_string). Refusals are written as the server writes them. No socket, no handler.
//
// Input: byte 0 = how many bytes each read returns (1..64) and whether the request came over
// HTTPS; the rest is the connection's bytes.
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "api/host_check.h"
#include "api/http_json.h"
#include "api/route_table.h"
#include "api/routes.h"
#include "api/session_cookie.h"
#include "http/beast_request.h"
#include "http/message.h"
#include "http/request_head.h"

namespace {

using namespace weft;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "http_request_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

// A SyncReadStream over the fuzz input that returns at most `piece` bytes per read, then EOF.
class PieceStream {
 public:
  PieceStream(std::string_view bytes, std::size_t piece) : bytes_(bytes), piece_(piece) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    ec = {};
    if (bytes_.empty()) {
      ec = net::error::eof;
      return 0;
    }
    const std::size_t n = net::buffer_copy(buffers, net::buffer(bytes_.data(), std::min(piece_, bytes_.size())));
    bytes_.remove_prefix(n);
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t piece_;
};

// What the API server is configured with (defaults of http::ServerOptions, two public origins).
struct World {
  http::ServerOptions options;
  api::HostCheck hosts{{"https://weft.example.com", "http://10.0.0.5:8080"}};
  api::RouteTable routes{api::all_routes()};
};

World& world() {
  static World w;
  return w;
}

// WEFT_FUZZ_DEBUG=1: print each answer and each request that reaches a handler.
const bool kDebug = std::getenv("WEFT_FUZZ_DEBUG") != nullptr;

// Serialises the answer the way Session::write does (status line, headers, sized body).
void write_answer(const http::Response& res, int version) {
  bhttp::response<bhttp::string_body> out;
  out.version(static_cast<unsigned>(version));
  out.result(static_cast<unsigned>(res.status));
  out.reason(std::string(http::reason_phrase(res.status)));
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  out.body() = res.body;
  out.prepare_payload();
  std::ostringstream sink;
  sink << out;
  if (kDebug) std::fprintf(stderr, "answer %d %s\n", res.status, res.body.substr(0, 300).c_str());
  // Every error body is the API's JSON shape.
  auto parsed = parse_json(res.body);
  if (!parsed.ok() || !parsed->contains("error")) fail("error body is not {\"error\":…}", res.body);
}

void refuse(int status, const std::string& code, const std::string& message, int version) {
  http::Response res;
  api::send_error(res, status, code, message);
  if (res.status != status) fail("send_error changed the status", std::to_string(res.status));
  write_answer(res, version);
}

// What handlers do with a request before their own logic.
void read_like_a_handler(const http::Request& req, bool secure, bool takes_body) {
  if (kDebug) {
    std::fprintf(stderr, "handler %s %s (%zu params, %zu body bytes, session '%s')\n", req.method.c_str(), req.path.c_str(),
                 req.params.size(), req.body.size(), api::session_token(req, secure).c_str());
  }
  const std::string cookie = api::session_token(req, secure);
  if (cookie.find(';') != std::string::npos) fail("session token holds a ';'", cookie);
  (void)api::session_token(req, !secure);
  (void)api::origin_authority(req.get_header_value("Origin"));
  (void)req.get_param_value("limit");
  if (!takes_body) return;

  auto body = api::read_object(req);
  http::Response res;
  if (!body.ok()) {
    api::send_error(res, body.error());
    return write_answer(res, req.version);
  }
  if (!body->is_object()) fail("read_object returned a non-object", body->dump(-1, ' ', false, json::error_handler_t::replace));
  if (auto known = api::only_fields(*body, {"email", "password", "orgName", "setupToken", "name"}); !known.ok()) {
    api::send_error(res, known.error());
    write_answer(res, req.version);
  }
  for (const char* field : {"email", "password", "name"}) {
    auto value = api::required_string(*body, field, 320);
    if (value.ok() && (value->empty() || value->size() > 320)) fail("required_string out of bounds", field);
    if (!value.ok()) api::send_error(res, value.error());
  }
}

// One request off the connection. False when the server would close the connection after it.
bool one_request(PieceStream& stream, beast::flat_buffer& buffer, bool secure) {
  World& w = world();
  http::RequestParser parser;
  http::limit_head(parser, w.options);
  beast::error_code ec;
  bhttp::read_header(stream, buffer, parser, ec);
  if (ec) {
    if (ec == bhttp::error::header_limit) refuse(431, "header_too_large", "request line and headers too large", 11);
    else if (ec != bhttp::error::end_of_stream && ec != net::error::eof && buffer.size() != 0) {
      refuse(400, "bad_request", "malformed HTTP request: " + ec.message(), 11);
    }
    return false;
  }
  const bool keep_alive = parser.get().keep_alive();
  http::Request req = http::request_from_head(parser.get(), "127.0.0.1");
  if (auto refusal = http::prepare_head(req, w.options)) {
    refuse(refusal->status, refusal->code, refusal->message, req.version);
    return false;
  }
  if (req.path.size() > req.target.size()) fail("decoded path longer than the target", req.target);
  const auto body_expected = [&parser] {
    return !parser.is_done() && (parser.chunked() || parser.content_length().value_or(0) > 0);
  };

  // ApiServer::route: Host, then the route table.
  if (req.header_count("Host") > 1 || !w.hosts.allowed(req.get_header_value("Host"))) {
    refuse(421, "misdirected_request", "this server does not answer for that Host", req.version);
    return keep_alive && !body_expected();
  }
  auto found = w.routes.find(req.method, req.path);
  if (!found.route) {
    refuse(found.path_known ? 405 : 404, found.path_known ? "method_not_allowed" : "not_found",
           found.path_known ? "this route does not accept " + req.method : "no such route", req.version);
    return keep_alive && !body_expected();
  }
  if (found.captures.empty() || found.captures[0] != req.path) fail("captures[0] is not the path", req.path);
  for (std::size_t i = 1; i < found.captures.size(); ++i) {
    const auto& id = found.captures[i];
    const bool id_like = !id.empty() && id.size() <= 128 &&
                         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
    if (!id_like) fail("captured id is not an id", id);
  }
  req.matches = std::move(found.captures);

  if (auto refusal = http::limit_body(parser, found.route->max_body)) {
    refuse(refusal->status, refusal->code, refusal->message, req.version);
    return false;
  }
  if (body_expected()) {
    std::string expect = req.get_header_value("Expect", "100-continue");
    for (auto& c : expect) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (expect != "100-continue") {
      refuse(417, "expectation_failed", "only Expect: 100-continue is understood", req.version);
      return false;
    }
    bhttp::read(stream, buffer, parser, ec);
    if (ec) {
      if (ec == bhttp::error::body_limit) refuse(413, "payload_too_large", "request body over the limit", req.version);
      else if (ec != bhttp::error::partial_message && ec != net::error::eof) {
        refuse(400, "bad_request", "malformed request body: " + ec.message(), req.version);
      }
      return false;
    }
  }
  if (parser.is_done()) req.body = std::move(parser.get().body());
  if (req.body.size() > found.route->max_body) fail("body over the route's limit", std::to_string(req.body.size()));
  read_like_a_handler(req, secure, found.route->max_body > 0);
  return keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + (data[0] & 0x3f);
  const bool secure = (data[0] & 0x40) != 0;
  PieceStream stream(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), piece);
  beast::flat_buffer buffer;  // kept across pipelined requests, as a connection keeps it
  for (int i = 0; i < 16 && one_request(stream, buffer, secure); ++i) {
  }
  return 0;
}
