// Issue 8, the front door, black-box against the real `weft serve`: bodies that escape the size
// limit (finding 3: chunked, gzip, and a thousand open event streams that must not pin
// threads), DNS rebinding and the one-time set-up token (finding 5), and the session cookie
// (finding 8). Every attack ends with a clear JSON error and a live server.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

#include "api_harness.h"
#include "testing/raw_connection.h"

namespace weft::apitest {
namespace {

using namespace std::chrono_literals;

using Raw = testing::RawConnection;

int status_of(const std::string& response) { return testing::http_status_of(response); }

// VmHWM (peak resident set) of `pid`, in KiB.
long peak_rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

long threads_of(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
  }
  return -1;
}

std::string host_of(const WeftServer& s) { return "127.0.0.1:" + std::to_string(s.port()); }

void expect_alive(WeftServer& s) {
  Reply health = s.request("GET", "/api/health");
  EXPECT_EQ(health.status, 200) << health.text;
}

TEST(Finding3UnboundedBodies, A200MiBChunkedLoginIsCutOffAtTheLimitAndMemoryStaysFlat) {
  WeftServer s;
  expect_alive(s);
  const long idle = peak_rss_kib(s.pid());
  ASSERT_GT(idle, 0);
  Raw c(s.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send("POST /api/auth/login HTTP/1.1\r\nHost: " + host_of(s) +
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";  // 64 KiB each
  std::size_t sent = 0;
  while (sent < 200u * 1024 * 1024 && c.send(chunk)) {
    sent += 0x10000;
    if (c.read_until("}}", 0ms).find("}}") != std::string::npos) break;
  }
  const std::string& got = c.read_until("}}");
  EXPECT_EQ(status_of(got), 413) << got.substr(0, 300);
  EXPECT_NE(got.find("payload_too_large"), std::string::npos);
  EXPECT_LT(sent, 100u * 1024 * 1024) << "the server kept reading a body far over the login limit";
  expect_alive(s);
  const long peak = peak_rss_kib(s.pid());
  EXPECT_LT(peak - idle, 100 * 1024) << "peak RSS grew from " << idle << " KiB to " << peak << " KiB";
}

TEST(Finding3UnboundedBodies, AGzipBombIsRefusedNotInflated) {
  // 300 MB of zeros, gzipped to about 300 KB.
  std::string bomb;
  {
    FILE* p = popen("head -c 314572800 /dev/zero | gzip -9 -c", "r");
    ASSERT_NE(p, nullptr);
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) bomb.append(buf, n);
    pclose(p);
  }
  ASSERT_GT(bomb.size(), 100000u);
  ASSERT_LT(bomb.size(), 1024u * 1024);
  WeftServer s;
  expect_alive(s);
  const long idle = peak_rss_kib(s.pid());
  for (const std::string path : {"/api/auth/login", "/api/workflows/validate"}) {
    SCOPED_TRACE(path);
    Raw c(s.port());
    ASSERT_TRUE(c.send("POST " + path + " HTTP/1.1\r\nHost: " + host_of(s) +
                       "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
                       std::to_string(bomb.size()) + "\r\n\r\n"));
    c.send(bomb);  // the server may stop reading at any point
    const std::string& got = c.read_until("}}");
    EXPECT_EQ(status_of(got), 415) << got.substr(0, 300);
    EXPECT_NE(got.find("unsupported_media_type"), std::string::npos);
  }
  expect_alive(s);
  EXPECT_LT(peak_rss_kib(s.pid()) - idle, 100 * 1024);
}

TEST(Finding3UnboundedBodies, AThousandOpenEventStreamsHoldNoThreadAndTheApiStillAnswers) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 4096 && lim.rlim_max >= 4096) {
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 8192);
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  // No workers: the run stays queued, so every stream stays open.
  WeftServer s({{"WEFT_MAX_STREAMS_PER_USER", "2000"}, {"WEFT_HTTP_THREADS", "8"}}, "", {"--no-worker"});
  ASSERT_EQ(s.setup().status, 201);
  const std::string cookie = s.login("owner@example.com");
  Reply token = s.request("POST", "/api/auth/tokens", As::session(cookie), json{{"name", "streams"}});
  ASSERT_EQ(token.status, 201) << token.text;
  const std::string bearer = token.body["token"];
  Reply wf = s.request("POST", "/api/workflows", As::bearer(bearer),
                       json{{"name", "waits"},
                            {"trigger", {{"type", "manual"}}},
                            {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}}});
  ASSERT_EQ(wf.status, 201) << wf.text;
  Reply run = s.request("POST", "/api/workflows/" + wf.body["id"].get<std::string>() + "/runs", As::bearer(bearer),
                        json::object());
  ASSERT_EQ(run.status, 202) << run.text;
  const std::string request = "GET /api/runs/" + run.body["runId"].get<std::string>() + "/events HTTP/1.1\r\nHost: " +
                              host_of(s) + "\r\nAuthorization: Bearer " + bearer + "\r\n\r\n";
  std::vector<std::unique_ptr<Raw>> streams;
  for (int i = 0; i < 1000; ++i) {
    auto c = std::make_unique<Raw>(s.port());
    ASSERT_TRUE(c->connected()) << i;
    ASSERT_TRUE(c->send(request)) << i;
    streams.push_back(std::move(c));
  }
  int open = 0;
  for (auto& c : streams) {
    const std::string& got = c->read_until("text/event-stream");
    open += status_of(got) == 200 && got.find("text/event-stream") != std::string::npos;
  }
  EXPECT_EQ(open, 1000);
  // The API answers while all of them are open, and the server has not grown a thread each.
  const auto started = std::chrono::steady_clock::now();
  expect_alive(s);
  EXPECT_EQ(s.request("GET", "/api/auth/me", As::bearer(bearer)).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_LT(threads_of(s.pid()), 100) << "threads of the server with 1,000 streams open";
}

TEST(Finding5DnsRebinding, AForeignHostIsMisdirectedEvenWithAMatchingOrigin) {
  WeftServer s;
  const std::string rebound = "attacker.example:" + std::to_string(s.port());
  const std::string body =
      json{{"email", "evil@example.com"}, {"password", "correct horse battery"}, {"orgName", "Evil"}, {"setupToken", kSetupToken}}
          .dump();
  Reply r = s.request_with_headers("POST", "/api/setup", {{"Host", rebound}, {"Origin", "http://" + rebound}}, body,
                                   "application/json");
  EXPECT_EQ(r.status, 421) << r.text;
  EXPECT_EQ(r.error_code(), "misdirected_request");
  Reply get = s.request_with_headers("GET", "/api/health", {{"Host", "localhost.attacker.example"}});
  EXPECT_EQ(get.status, 421) << get.text;
  // Nothing was created: the real owner can still set up, from the real address.
  EXPECT_EQ(s.setup().status, 201);
  EXPECT_EQ(s.login("evil@example.com"), "");
}

TEST(Finding5DnsRebinding, ConfiguredPublicOriginsAreAnswered) {
  WeftServer s(std::map<std::string, std::string>{{"WEFT_ALLOWED_ORIGINS", "https://weft.example.com"}});
  EXPECT_EQ(s.request_with_headers("GET", "/api/health", {{"Host", "weft.example.com"}}).status, 200);
  EXPECT_EQ(s.request_with_headers("GET", "/api/health", {{"Host", "localhost:" + std::to_string(s.port())}}).status, 200);
  EXPECT_EQ(s.request_with_headers("GET", "/api/health", {{"Host", "other.example.com"}}).status, 421);
}

TEST(Finding5SetupToken, TheFirstSetupNeedsTheOneTimeToken) {
  WeftServer s;
  const json base = {{"email", "owner@example.com"}, {"password", "correct horse battery"}, {"orgName", "Acme"}};
  Reply none = s.request("POST", "/api/setup", As::anonymous(), base);
  EXPECT_EQ(none.status, 403) << none.text;
  EXPECT_EQ(none.error_code(), "setup_token_invalid");
  json wrong = base;
  wrong["setupToken"] = "guess";
  EXPECT_EQ(s.request("POST", "/api/setup", As::anonymous(), wrong).status, 403);
  EXPECT_EQ(s.login("owner@example.com"), "");
  json right = base;
  right["setupToken"] = kSetupToken;
  EXPECT_EQ(s.request("POST", "/api/setup", As::anonymous(), right).status, 201);
  EXPECT_EQ(s.request("POST", "/api/setup", As::anonymous(), right).status, 409);
  EXPECT_NE(s.login("owner@example.com"), "");
}

TEST(Finding5SetupToken, WithoutAChosenTokenARandomOneIsPrintedOnce) {
  WeftServer s(std::map<std::string, std::string>{{"WEFT_SETUP_TOKEN", ""}});
  std::smatch m;
  const std::string log = s.log_text();
  static const std::regex printed("set-up token ([0-9a-f]{32})");
  ASSERT_TRUE(std::regex_search(log, m, printed)) << log;
  const json body = {{"email", "owner@example.com"}, {"password", "correct horse battery"}, {"orgName", "Acme"},
                     {"setupToken", m[1].str()}};
  EXPECT_EQ(s.request("POST", "/api/setup", As::anonymous(), body).status, 201);
  // Restarted with a user in place, the server prints no token.
  const std::string data = s.data_dir();
  s.stop();
  WeftServer again({{"WEFT_SETUP_TOKEN", ""}}, data);
  EXPECT_EQ(again.log_text().find("set-up token"), std::string::npos) << again.log_text();
}

TEST(Finding8SessionCookie, TwoSessionCookiesAreNoSession) {
  WeftServer s;
  ASSERT_EQ(s.setup().status, 201);
  const std::string cookie = s.login("owner@example.com");
  ASSERT_NE(cookie, "");
  EXPECT_EQ(s.request_with_headers("GET", "/api/auth/me", {{"Cookie", "weft_session=" + cookie}}).status, 200);
  EXPECT_EQ(s.request_with_headers("GET", "/api/auth/me", {{"Cookie", "weft_session=planted; weft_session=" + cookie}}).status,
            401);
  EXPECT_EQ(s.request_with_headers("GET", "/api/auth/me", {{"Cookie", "weft_session=" + cookie + "; weft_session=planted"}})
                .status,
            401);
}

TEST(Finding8SessionCookie, OverHttpsTheCookieIsHostPrefixedAndSecure) {
  WeftServer s(std::map<std::string, std::string>{{"WEFT_TRUST_PROXY", "1"}});
  ASSERT_EQ(s.setup().status, 201);
  const std::string body = json{{"email", "owner@example.com"}, {"password", "correct horse battery"}}.dump();
  Reply login = s.request_with_headers("POST", "/api/auth/login", {{"X-Forwarded-Proto", "https"}}, body, "application/json");
  ASSERT_EQ(login.status, 200) << login.text;
  const std::string set = login.header("Set-Cookie");
  EXPECT_EQ(set.rfind("__Host-weft_session=", 0), 0u) << set;
  EXPECT_NE(set.find("; Secure"), std::string::npos) << set;
  const std::string token = set.substr(20, set.find(';') - 20);
  EXPECT_EQ(s.request_with_headers("GET", "/api/auth/me",
                                   {{"X-Forwarded-Proto", "https"}, {"Cookie", "__Host-weft_session=" + token}})
                .status,
            200);
  // Over HTTPS the unprefixed name (which a subdomain could have planted) is not read.
  EXPECT_EQ(s.request_with_headers("GET", "/api/auth/me", {{"X-Forwarded-Proto", "https"}, {"Cookie", "weft_session=" + token}})
                .status,
            401);
  // Without a trusted proxy saying so, plain HTTP keeps the plain cookie.
  Reply plain = s.request("POST", "/api/auth/login", As::anonymous(), json::parse(body));
  EXPECT_EQ(plain.header("Set-Cookie").rfind("weft_session=", 0), 0u);
  EXPECT_EQ(plain.header("Set-Cookie").find("Secure"), std::string::npos);
}

}  // namespace
}  // namespace weft::apitest
