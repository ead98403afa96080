#include "testing/local_http_server.h"

#include <strings.h>

#include <chrono>
#include <stdexcept>

namespace weft::testing {

std::string RecordedRequest::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  }
  return "";
}

LocalHttpServer::LocalHttpServer() {
  // Requests that reach a registered handler are recorded before it runs (see on()); the
  // logger records the rest (404s) after the response.
  server_.set_logger([this](const httplib::Request& req, const httplib::Response&) {
    if (recorded_by_handler()) {
      recorded_by_handler() = false;
      return;
    }
    record(req);
  });
}

bool& LocalHttpServer::recorded_by_handler() {
  thread_local bool recorded = false;
  return recorded;
}

void LocalHttpServer::record(const httplib::Request& req) {
  {
    RecordedRequest r;
    r.method = req.method;
    r.path = req.path;
    auto q = req.target.find('?');
    if (q != std::string::npos) r.query = req.target.substr(q + 1);
    r.headers.insert(req.headers.begin(), req.headers.end());
    r.body = req.body;
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(r));
  }
}

LocalHttpServer::~LocalHttpServer() { stop(); }

void LocalHttpServer::on(const std::string& method, const std::string& pattern, Handler user_handler) {
  auto handler = [this, user_handler](const httplib::Request& req, httplib::Response& res) {
    record(req);
    recorded_by_handler() = true;
    user_handler(req, res);
  };
  if (method == "GET") server_.Get(pattern, handler);
  else if (method == "POST") server_.Post(pattern, handler);
  else if (method == "PUT") server_.Put(pattern, handler);
  else if (method == "DELETE") server_.Delete(pattern, handler);
  else if (method == "PATCH") server_.Patch(pattern, handler);
  else throw std::invalid_argument("unsupported method " + method);
}

void LocalHttpServer::start() {
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("could not bind 127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void LocalHttpServer::stop() {
  if (thread_.joinable()) {
    server_.stop();
    thread_.join();
  }
}

std::string LocalHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordedRequest> LocalHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t LocalHttpServer::count(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& r : requests_) n += (r.path == path) ? 1 : 0;
  return n;
}

}  // namespace weft::testing
