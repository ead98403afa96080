#include "net/http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "testing/local_http_server.h"

namespace weft::net {
namespace {

using namespace std::chrono_literals;
using weft::testing::LocalHttpServer;

// LocalHttpServer::start returns before the listen loop runs, and a stop() issued before it
// runs is lost; wait until it serves.
void wait_until_serving(LocalHttpServer& server) {
  for (int i = 0; i < 500 && !server.server().is_running(); ++i) std::this_thread::sleep_for(2ms);
}

// The server records a request only after answering it, so a client can see the answer first.
std::vector<weft::testing::RecordedRequest> wait_for_requests(const LocalHttpServer& server,
                                                              std::size_t n) {
  for (int i = 0; i < 500 && server.requests().size() < n; ++i) std::this_thread::sleep_for(2ms);
  return server.requests();
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.on("GET", "/echo", [](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json out = {{"method", req.method},
                            {"test", req.get_header_value("X-Test")},
                            {"q", req.get_param_value("q")}};
      res.set_header("X-Reply", "yes");
      res.set_content(out.dump(), "application/json");
    });
    server_.on("POST", "/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("got:" + req.body, "text/plain");
    });
    server_.on("PUT", "/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + ":" + req.body, "text/plain");
    });
    server_.on("DELETE", "/echo",
               [](const httplib::Request& req, httplib::Response& res) { res.status = 204; });
    server_.on("GET", R"(/r(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      const int n = std::stoi(req.matches[1]);
      if (n >= 3) {
        res.set_header("X-Final", "1");
        res.set_content("done", "text/plain");
        return;
      }
      res.set_header("X-Hop", std::to_string(n));
      res.set_redirect("/r" + std::to_string(n + 1));
    });
    server_.on("GET", "/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2000, 'x'), "text/plain");
    });
    server_.on("GET", "/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        const std::string chunk(500, 'y');
        if (offset >= 5000) {
          sink.done();
          return true;
        }
        return sink.write(chunk.data(), chunk.size());
      });
    });
    server_.on("GET", "/slow", [this](const httplib::Request&, httplib::Response& res) {
      release_.wait_for(5s);
      res.set_content("late", "text/plain");
    });
    server_.start();
    wait_until_serving(server_);
  }

  void TearDown() override {
    release_.cancel();  // lets any slow handler return so the server stops at once
    server_.stop();
  }

  HttpRequest get(const std::string& path) {
    HttpRequest r;
    r.url = server_.url(path);
    r.timeout_ms = 5000;
    return r;
  }

  CancelToken release_;
  LocalHttpServer server_;
};

TEST_F(HttpClientTest, GetSendsHeadersAndCollectsLowercasedResponseHeaders) {
  auto req = get("/echo?q=hello%20world");
  req.headers = {{"X-Test", "abc"}};
  auto res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["test"], "abc");
  EXPECT_EQ(body["q"], "hello world");
  EXPECT_EQ(res->header("X-REPLY"), "yes");
  EXPECT_EQ(res->header("content-type"), "application/json");
  EXPECT_EQ(res->header("x-missing"), "");
  for (const auto& [name, value] : res->headers) {
    for (char c : name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << name;
  }
}

TEST_F(HttpClientTest, PostSendsBodyAndContentTypeWithoutExpect) {
  auto req = get("/echo");
  req.method = "POST";
  req.headers = {{"Content-Type", "application/json"}};
  req.body = R"({"a":1})" + std::string(4000, ' ');  // big enough that curl would add Expect
  auto res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "got:" + req.body);
  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].header("content-type"), "application/json");
  EXPECT_EQ(recorded[0].header("expect"), "");
}

TEST_F(HttpClientTest, PostWithoutContentTypeSendsNoGuessedFormType) {
  auto req = get("/echo");
  req.method = "POST";
  req.body = "plain";
  auto res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  auto recorded = wait_for_requests(server_, 1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].header("content-type"), "");
  EXPECT_EQ(recorded[0].body, "plain");
}

TEST_F(HttpClientTest, PutDeleteAndHeadUseTheirMethods) {
  auto put = get("/echo");
  put.method = "PUT";
  put.body = "v";
  auto res = perform(put);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "PUT:v");

  auto del = get("/echo");
  del.method = "DELETE";
  res = perform(del);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 204);

  auto head = get("/echo");
  head.method = "HEAD";
  res = perform(head);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  EXPECT_EQ(res->header("x-reply"), "yes");
  auto recorded = wait_for_requests(server_, 3);
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[0].method, "PUT");
  EXPECT_EQ(recorded[1].method, "DELETE");
  EXPECT_EQ(recorded[2].method, "HEAD");
}

TEST_F(HttpClientTest, FollowsRedirectsAndKeepsOnlyFinalHeaders) {
  auto res = perform(get("/r1"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "done");
  EXPECT_EQ(res->header("x-final"), "1");
  EXPECT_EQ(res->header("x-hop"), "");
  EXPECT_EQ(res->header("location"), "");
  EXPECT_EQ(res->effective_url, server_.url("/r3"));
  EXPECT_EQ(server_.count("/r1") + server_.count("/r2") + server_.count("/r3"), 3u);
}

TEST_F(HttpClientTest, RedirectLimitExceeded) {
  auto req = get("/r1");
  req.max_redirects = 1;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "too_many_redirects");
  EXPECT_TRUE(res.error().is_public);
}

TEST_F(HttpClientTest, ZeroRedirectsReturnsTheRedirect) {
  auto req = get("/r1");
  req.max_redirects = 0;
  auto res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->header("location"), "/r2");
}

TEST_F(HttpClientTest, BodyOverLimitWithContentLength) {
  auto req = get("/big");
  req.max_response_bytes = 1000;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "response_too_large");
  EXPECT_NE(res.error().message.find("127.0.0.1"), std::string::npos);

  req.max_response_bytes = 2000;  // exactly the size is fine
  res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body.size(), 2000u);
}

TEST_F(HttpClientTest, HeadIgnoresTheAdvertisedLength) {
  auto req = get("/big");
  req.method = "HEAD";
  req.max_response_bytes = 1000;
  auto res = perform(req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->header("content-length"), "2000");
  EXPECT_EQ(res->body, "");
}

TEST_F(HttpClientTest, ChunkedBodyOverLimit) {
  auto req = get("/big-chunked");
  req.max_response_bytes = 1200;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "response_too_large");
}

TEST_F(HttpClientTest, SlowResponseTimesOutWithoutLeakingQuery) {
  auto req = get("/slow?api_key=supersecret");
  req.timeout_ms = 200;
  const auto start = std::chrono::steady_clock::now();
  auto res = perform(req);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "timeout");
  EXPECT_TRUE(res.error().is_public);
  EXPECT_LT(elapsed, 2s);
  EXPECT_NE(res.error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(res.error().message.find("supersecret"), std::string::npos);
  EXPECT_EQ(res.error().to_public_json().dump().find("supersecret"), std::string::npos);
}

TEST_F(HttpClientTest, CancelFromAnotherThreadAbortsTransfer) {
  CancelToken cancel;
  auto req = get("/slow");
  req.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(150ms);
    cancel.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto res = perform(req);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "cancelled");
  EXPECT_LT(elapsed, 4s);  // well under the handler's 5 s: the cancel cut it short
}

TEST_F(HttpClientTest, AlreadyCancelledDoesNotConnect) {
  CancelToken cancel;
  cancel.cancel();
  auto req = get("/echo");
  req.cancel = &cancel;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "cancelled");
  EXPECT_TRUE(server_.requests().empty());
}

TEST(HttpClientErrors, ConnectionRefusedOnClosedPort) {
  std::string url;
  {
    LocalHttpServer closed;
    closed.start();
    wait_until_serving(closed);
    url = closed.url("/");
  }
  HttpRequest req;
  req.url = url;
  req.timeout_ms = 5000;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "connect_failed");
}

TEST(HttpClientErrors, UnknownHostIsDnsFailure) {
  HttpRequest req;
  req.url = "http://nonexistent.invalid/";
  req.timeout_ms = 10000;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "dns_failure");
  EXPECT_NE(res.error().message.find("nonexistent.invalid"), std::string::npos);
}

TEST(HttpClientErrors, OnlyHttpAndHttpsAreAllowed) {
  HttpRequest req;
  req.url = "ftp://x";
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "unsupported_protocol");

  req.url = "file:///etc/passwd";
  res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "unsupported_protocol");

  req.url = "not a url";
  res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "invalid_url");
}

TEST(HttpClientErrors, RejectsUnknownMethodAndHeaderInjection) {
  HttpRequest req;
  req.url = "http://127.0.0.1:9/";
  req.method = "TRACE";
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "invalid_request");

  req.method = "GET";
  req.headers = {{"X-A", "v\r\nX-Injected: 1"}};
  res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "invalid_request");

  req.headers = {{"Bad Name", "v"}};
  res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "invalid_request");
}

TEST(HttpClientErrors, NoTimeLeftIsTimeout) {
  HttpRequest req;
  req.url = "http://127.0.0.1:9/";
  req.timeout_ms = 0;
  auto res = perform(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "timeout");
}

}  // namespace
}  // namespace weft::net
