// The HTTP server against raw sockets: limits enforced while bytes stream in (chunked,
// Content-Length, headers, target), no request decompression, keep-alive and pipelining,
// deferred answers and streams that hold no thread, clients that leave, and stop().
#include "http/server.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "http/responder.h"
#include "testing/raw_connection.h"

namespace weft::http {
namespace {

using namespace std::chrono_literals;

using RawClient = weft::testing::RawConnection;

int status_of(const std::string& response) { return weft::testing::http_status_of(response); }

// A server on 127.0.0.1:<free port> running on its own thread, with a few test routes.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    server_ = std::make_unique<Server>(
        options, [this](Request& head) { return route(head); },
        [](Response& res, int status, const std::string& code, const std::string& message) {
          res.status = status;
          res.set_content("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}", "application/json");
        });
    auto port = server_->bind();
    if (!port.ok()) throw std::runtime_error(port.error().message);
    port_ = *port;
    thread_ = std::thread([this] { server_->serve(); });
  }
  ~TestServer() { stop(); }
  void stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }
  int port() const { return port_; }
  Server& server() { return *server_; }

  std::atomic<int> handled{0};
  std::atomic<int> inline_tries{0};
  std::atomic<int> closes_seen{0};
  std::mutex mutex;
  std::vector<std::shared_ptr<Responder>> parked;  // deferred answers waiting

 private:
  Dispatch route(Request& head) {
    if (head.path == "/echo" && head.method == "POST") {
      return {1024, [this](Request& req, Response& res) {
                ++handled;
                res.set_content("got " + std::to_string(req.body.size()) + ":" + req.body, "text/plain");
              }, nullptr, nullptr};
    }
    if (head.path == "/hello") {
      return {0, [this](Request& req, Response& res) {
                ++handled;
                res.set_content("hello " + req.get_param_value("name"), "text/plain");
              }, nullptr, nullptr};
    }
    if (head.path == "/later") {  // answered 100 ms later from another thread
      return {0, [this](Request&, Response& res) {
                auto r = res.defer();
                std::thread([r] {
                  std::this_thread::sleep_for(100ms);
                  Response out;
                  out.set_content("later", "text/plain");
                  r->send(std::move(out));
                }).detach();
              }, nullptr, nullptr};
    }
    if (head.path == "/park") {  // answered when the test says so
      return {0, [this](Request&, Response& res) {
                auto r = res.defer();
                r->on_close([this] { ++closes_seen; });
                std::lock_guard lock(mutex);
                parked.push_back(r);
              }, nullptr, nullptr};
    }
    if (head.path == "/stream") {
      return {0, [this](Request&, Response& res) {
                auto r = res.defer();
                r->on_close([this] { ++closes_seen; });
                r->start_stream(200, {{"Content-Type", "text/event-stream"}});
                {
                  // Parked before the first event goes out: a client that has read it may
                  // look for the responder at once.
                  std::lock_guard lock(mutex);
                  parked.push_back(r);
                }
                r->write("event: a\n\n");
              }, nullptr, nullptr};
    }
    if (head.path == "/inline") {  // answered on the network thread unless ?pool=1
      Dispatch d;
      d.max_body = 1024;
      d.handler = [this](Request&, Response& res) {
        ++handled;
        res.set_content("pool " + res.body, "text/plain");  // the inline attempt's body is gone
      };
      d.try_inline = [this](Request& req, Response& res) {
        ++inline_tries;
        if (req.get_param_value("throw") == "1") throw std::runtime_error("inline boom");
        if (req.get_param_value("pool") == "1") {
          res.set_content("scribbled", "text/plain");
          return false;
        }
        if (req.get_param_value("defer") == "1") {
          auto r = res.defer();
          std::thread([r] {
            std::this_thread::sleep_for(50ms);
            Response out;
            out.set_content("inline later", "text/plain");
            r->send(std::move(out));
          }).detach();
          return true;
        }
        res.set_content("inline " + req.body, "text/plain");
        return true;
      };
      return d;
    }
    if (head.path == "/made") {  // answered from another thread, built on the network thread
      return {0, [this](Request& req, Response& res) {
                ++handled;
                auto r = res.defer();
                const bool fail = req.get_param_value("throw") == "1";
                std::thread([r, fail] {
                  r->send_made([fail]() -> Response {
                    if (fail) throw std::runtime_error("made boom");
                    Response out;
                    out.set_content("made", "text/plain");
                    return out;
                  });
                  r->send_made([] {  // only the first answer counts
                    Response ignored;
                    ignored.status = 418;
                    return ignored;
                  });
                }).detach();
              }, nullptr, nullptr};
    }
    if (head.path == "/defer-then-throw") {  // promises an answer, throws, and answers anyway later
      return {0, [](Request&, Response& res) {
                auto r = res.defer();
                std::thread([r] {
                  std::this_thread::sleep_for(150ms);
                  Response late;
                  late.set_content("stale answer", "text/plain");
                  r->send(std::move(late));
                }).detach();
                throw std::runtime_error("after defer");
              }, nullptr, nullptr};
    }
    if (head.path == "/throw") {
      return {0, [](Request&, Response&) { throw std::runtime_error("boom"); }, nullptr, nullptr};
    }
    return {};
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(HttpServer, AnswersAndKeepsTheConnectionForPipelinedRequests) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send("GET /hello?name=a%20b HTTP/1.1\r\nHost: x\r\n\r\nGET /hello?name=c HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string got = c.read_until("hello c");
  EXPECT_EQ(status_of(got), 200);
  EXPECT_NE(got.find("hello a b"), std::string::npos) << got;
  EXPECT_NE(got.find("hello c"), std::string::npos) << got;
  EXPECT_EQ(s.handled.load(), 2);
  c.clear();
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
  EXPECT_NE(c.read_until("got 3:abc").find("got 3:abc"), std::string::npos);
}

TEST(HttpServer, UnknownRouteIs404AndAThrowingHandlerIs500) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_of(c.read_until("}}")), 404);
  c.clear();
  ASSERT_TRUE(c.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string got = c.read_until("}}");
  EXPECT_EQ(status_of(got), 500);
  EXPECT_NE(got.find("internal_error"), std::string::npos);
  EXPECT_EQ(got.find("boom"), std::string::npos) << "exception text must not leak";
}

TEST(HttpServer, ContentLengthOverTheRouteLimitIsRefusedBeforeTheBody) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  const std::string got = c.read_until("}}");
  EXPECT_EQ(status_of(got), 413) << got;
  EXPECT_NE(got.find("payload_too_large"), std::string::npos);
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(s.handled.load(), 0);
}

TEST(HttpServer, ChunkedBodyIsCutOffAsSoonAsItCrossesTheLimit) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "100\r\n" + std::string(256, 'a') + "\r\n";
  std::size_t sent = 0;
  // 200 MiB would be sent if the server kept reading; it must answer after about 1 KiB.
  while (sent < 200u * 1024 * 1024) {
    if (!c.send(chunk)) break;
    sent += 256;
    if (sent % (64 * 1024) == 0 && c.read_until("}}", 1ms).find("}}") != std::string::npos) break;
  }
  const std::string got = c.read_until("}}");
  EXPECT_EQ(status_of(got), 413) << got;
  EXPECT_LT(sent, 64u * 1024 * 1024) << "the server kept reading a body over its limit";
  EXPECT_EQ(s.handled.load(), 0);
}

TEST(HttpServer, CompressedBodiesAreRefusedNotInflated) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"));
  const std::string got = c.read_until("}}");
  EXPECT_EQ(status_of(got), 415) << got;
  EXPECT_EQ(s.handled.load(), 0);
}

TEST(HttpServer, HeaderAndTargetLimits) {
  ServerOptions o;
  o.max_header_bytes = 4096;
  o.max_target_bytes = 1024;
  TestServer s(o);
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until("}}")), 431);
  }
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send("GET /hello?" + std::string(2000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until("}}")), 414);
  }
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until("}}")), 400) << "HTTP/1.1 without Host";
  }
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send("GARBAGE\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until("}}")), 400);
  }
}

TEST(HttpServer, ExpectContinueIsAnsweredBeforeTheBody) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_NE(c.read_until("100 Continue").find("HTTP/1.1 100 Continue"), std::string::npos);
  ASSERT_TRUE(c.send("hi"));
  EXPECT_NE(c.read_until("got 2:hi").find("got 2:hi"), std::string::npos);
}

TEST(HttpServer, IdleAndSlowClientsAreTimedOut) {
  ServerOptions o;
  o.idle_timeout = 200ms;
  o.read_timeout = 200ms;
  TestServer s(o);
  RawClient idle(s.port());
  EXPECT_TRUE(idle.closed_by_peer(3000ms));
  RawClient slow(s.port());
  ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"));
  // Beast closes a timed-out socket: no answer can be written, the connection just ends.
  EXPECT_TRUE(slow.closed_by_peer(3000ms));
  EXPECT_EQ(s.handled.load(), 0);
}

TEST(HttpServer, DeferredAnswerComesFromAnotherThreadAndKeepsTheConnection) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("later").find("\r\n\r\nlater"), std::string::npos);
  c.clear();
  ASSERT_TRUE(c.send("GET /hello?name=again HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("hello again").find("hello again"), std::string::npos);
}

// Dispatch::try_inline answers on the network thread, or declines and the pool handler runs
// with a fresh response; a deferred inline answer keeps the connection, a throw is a 500.
TEST(HttpServer, AnInlineHandlerAnswersOrHandsTheRequestToThePool) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("POST /inline HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"));
  EXPECT_NE(c.read_until("inline hi").find("\r\n\r\ninline hi"), std::string::npos);
  EXPECT_EQ(s.handled.load(), 0);
  c.clear();
  ASSERT_TRUE(c.send("GET /inline?pool=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string pooled = c.read_until("pool ");
  EXPECT_NE(pooled.find("\r\n\r\npool "), std::string::npos) << pooled;
  EXPECT_EQ(pooled.find("scribbled"), std::string::npos) << pooled;
  EXPECT_EQ(s.handled.load(), 1);
  c.clear();
  ASSERT_TRUE(c.send("GET /inline?defer=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("inline later").find("\r\n\r\ninline later"), std::string::npos);
  c.clear();
  ASSERT_TRUE(c.send("GET /inline?throw=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string thrown = c.read_until("}}");
  EXPECT_EQ(status_of(thrown), 500);
  EXPECT_EQ(thrown.find("boom"), std::string::npos) << "exception text must not leak";
  c.clear();
  ASSERT_TRUE(c.send("GET /hello?name=after HTTP/1.1\r\nHost: x\r\n\r\n"));  // same connection
  EXPECT_NE(c.read_until("hello after").find("hello after"), std::string::npos);
  EXPECT_EQ(s.inline_tries.load(), 4);
  EXPECT_EQ(s.handled.load(), 2);
}

TEST(HttpServer, ADeferredAnswerCanBeBuiltOnTheNetworkThread) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /made HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("made").find("\r\n\r\nmade"), std::string::npos);
  c.clear();
  ASSERT_TRUE(c.send("GET /made?throw=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string thrown = c.read_until("}}");
  EXPECT_EQ(status_of(thrown), 500);
  EXPECT_EQ(thrown.find("boom"), std::string::npos) << thrown;
  c.clear();
  ASSERT_TRUE(c.send("GET /hello?name=after HTTP/1.1\r\nHost: x\r\n\r\n"));  // one answer each
  const std::string after = c.read_until("hello after");
  EXPECT_EQ(status_of(after), 200) << after;
  EXPECT_NE(after.find("hello after"), std::string::npos) << after;
  EXPECT_EQ(after.find(" 418 "), std::string::npos) << after;
}

// An answer given after the request was answered otherwise (its handler threw) is dropped: it
// never reaches the connection, neither unasked nor as the answer to the next request.
TEST(HttpServer, ALateAnswerToARequestAlreadyAnsweredIsDropped) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /defer-then-throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_of(c.read_until("}}")), 500);
  c.clear();
  // The next request is waiting for its own deferred answer when the stale one comes.
  ASSERT_TRUE(c.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string got = c.read_until("later");
  EXPECT_NE(got.find("\r\n\r\nlater"), std::string::npos) << got;
  EXPECT_EQ(got.find("stale"), std::string::npos) << got;
  c.clear();
  ASSERT_TRUE(c.send("GET /defer-then-throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_of(c.read_until("}}")), 500);
  c.clear();
  std::this_thread::sleep_for(400ms);  // the stale answer has been given meanwhile
  EXPECT_EQ(c.read_until("stale", 100ms).find("stale"), std::string::npos) << c.received();
  ASSERT_TRUE(c.send("GET /hello?name=next HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string next = c.read_until("hello next");
  EXPECT_EQ(status_of(next), 200) << next;
  EXPECT_EQ(next.find("stale"), std::string::npos) << next;
}

TEST(HttpServer, StreamsChunksUntilEnded) {
  TestServer s;
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("event: a").find("event: a"), std::string::npos);
  std::shared_ptr<Responder> r;
  {
    std::lock_guard lock(s.mutex);
    ASSERT_EQ(s.parked.size(), 1u);
    r = s.parked[0];
  }
  EXPECT_TRUE(r->write("event: b\n\n"));
  EXPECT_NE(c.read_until("event: b").find("event: b"), std::string::npos);
  r->end();
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_NE(c.received().find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(c.received().find("\r\n0\r\n\r\n"), std::string::npos) << "last chunk";
}

TEST(HttpServer, AClientThatLeavesAWaitIsNoticedWithoutAWrite) {
  TestServer s;
  {
    RawClient c(s.port());
    ASSERT_TRUE(c.send("GET /park HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::lock_guard lock(s.mutex);
      if (!s.parked.empty()) break;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (s.closes_seen.load() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(s.closes_seen.load(), 1);
  std::lock_guard lock(s.mutex);
  ASSERT_EQ(s.parked.size(), 1u);
  EXPECT_TRUE(s.parked[0]->closed());
  EXPECT_FALSE(s.parked[0]->write("x"));
}

TEST(HttpServer, AThousandWaitingClientsHoldNoThreadAndTheServerStillAnswers) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 4096 && lim.rlim_max >= 4096) {
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 8192);
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  ServerOptions o;
  o.handler_threads = 4;  // far fewer than the waiting clients
  TestServer s(o);
  std::vector<std::unique_ptr<RawClient>> waiting;
  for (int i = 0; i < 1000; ++i) {
    auto c = std::make_unique<RawClient>(s.port());
    ASSERT_TRUE(c->connected()) << i;
    ASSERT_TRUE(c->send(i % 2 ? "GET /park HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
    waiting.push_back(std::move(c));
  }
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::lock_guard lock(s.mutex);
    if (s.parked.size() == 1000) break;
  }
  {
    std::lock_guard lock(s.mutex);
    ASSERT_EQ(s.parked.size(), 1000u);
  }
  RawClient c(s.port());
  ASSERT_TRUE(c.send("GET /hello?name=still HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.read_until("hello still").find("hello still"), std::string::npos);
  // Every parked answer can still be given.
  {
    std::lock_guard lock(s.mutex);
    for (auto& r : s.parked) {
      Response res;
      res.set_content("done", "text/plain");
      r->send(std::move(res));
      r->end();
    }
  }
  std::size_t answered = 0;
  for (auto& w : waiting) {
    const std::string got = w->read_until("done", 5000ms);
    answered += got.find("done") != std::string::npos || got.find("event: a") != std::string::npos;
  }
  EXPECT_EQ(answered, 1000u);
}

TEST(HttpServer, StopClosesStreamsAndWaitsAndReturns) {
  auto s = std::make_unique<TestServer>();
  RawClient a(s->port()), b(s->port()), idle(s->port());
  ASSERT_TRUE(a.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(b.send("GET /park HTTP/1.1\r\nHost: x\r\n\r\n"));
  a.read_until("event: a");
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::lock_guard lock(s->mutex);
    if (s->parked.size() == 2) break;
  }
  const auto started = std::chrono::steady_clock::now();
  s->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_TRUE(a.closed_by_peer());
  EXPECT_TRUE(b.closed_by_peer());
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_EQ(s->closes_seen.load(), 2);
}

}  // namespace
}  // namespace weft::http
