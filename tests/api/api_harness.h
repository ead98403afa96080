// tests/api/api_harness.h — black-box API testing: starts the real `weft serve` on a free
// 127.0.0.1 port with a temp data dir, and talks HTTP to it like a browser or script would
// (session cookies, bearer tokens, Origin headers). Stops the server at the end of the test.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {

struct Reply {
  int status = 0;
  json body;            // parsed JSON, or the raw text as a string
  std::string text;
  httplib::Headers headers;

  std::string header(const std::string& name) const;
  std::string error_code() const { return body.is_object() && body.contains("error") ? body["error"].value("code", "") : ""; }
  // True when the body is {"error":{"code":"…","message":"…",…}} with non-empty strings.
  bool is_json_error() const;
};

// How a request authenticates.
struct As {
  std::string cookie;  // weft_session value
  std::string token;   // bearer token
  bool same_origin = true;  // send Origin matching the server (browsers do on POST)
  std::string origin;       // explicit Origin (overrides same_origin)

  static As anonymous() { return {}; }
  static As session(std::string c) { return As{std::move(c), "", true, ""}; }
  static As bearer(std::string t) { return As{"", std::move(t), false, ""}; }
};

// The set-up token every test server is started with (WEFT_SETUP_TOKEN).
inline constexpr const char* kSetupToken = "test-setup-token-0123456789";

// True when this run of the suite is the PostgreSQL one (ctest sets WEFT_API_TEST_BACKEND=postgres
// for the tests prefixed postgres/): every server then keeps its state in a schema of its own on
// the test server (scripts/with_postgres.sh), named after its data dir.
bool on_postgres();

// The database a process on `data_dir` uses in this run of the suite: "" (its SQLite file) or,
// on the PostgreSQL run, the url of a schema of its own named after `data_dir`.
std::string database_url_for(const std::string& data_dir);

// For a test that reads the server's SQLite file itself: not on the PostgreSQL run.
#define WEFT_SQLITE_FILE_ONLY()                                                       \
  do {                                                                                \
    if (::weft::apitest::on_postgres()) GTEST_SKIP() << "reads the SQLite file itself"; \
  } while (0)

class WeftServer {
 public:
  // Starts `weft serve --listen 127.0.0.1:0` and waits until it is ready. Extra env may point
  // integrations at local servers (WEFT_SLACK_API_BASE…).
  explicit WeftServer(std::map<std::string, std::string> env = {});
  // The same, on an existing data dir (to restart a server on the same state), with extra
  // `serve` arguments (e.g. --no-worker).
  WeftServer(std::map<std::string, std::string> env, const std::string& data_dir,
             const std::vector<std::string>& serve_args = {});
  ~WeftServer();

  int port() const { return port_; }
  // The server process (for /proc/<pid>/status readings); -1 once stopped.
  int pid() const { return process_ ? process_->pid() : -1; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }

  Reply request(const std::string& method, const std::string& path, const As& as = As::anonymous(),
                const std::optional<json>& body = std::nullopt);
  // Sends `raw` as the body with `content_type`.
  Reply request_raw(const std::string& method, const std::string& path, const As& as,
                    const std::string& raw, const std::string& content_type);
  // Sends exactly `headers` (no Cookie, Authorization or Origin added) and `raw` as the body
  // with `content_type` ("" sends no Content-Type). For forged and hostile requests.
  Reply request_with_headers(const std::string& method, const std::string& path, const httplib::Headers& headers,
                             const std::string& raw = "", const std::string& content_type = "");
  // Path of the server's SQLite database (for tests that must simulate time passing).
  std::string db_path() const { return data_dir_ + "/weft.db"; }
  // Runs `sql` on the server's database directly (its SQLite file, or its PostgreSQL schema):
  // every row, its columns joined by '|' (NULL as ""). Plain SQL both backends read alike; for
  // what a black-box test cannot do otherwise (make a session expire, count stored rows).
  // Throws when the statement fails.
  std::vector<std::string> sql(const std::string& statement) const;
  // The first column of sql()'s first row ("" without one).
  std::string sql_text(const std::string& statement) const;
  // WEFT_DATABASE_URL of the server ("" on SQLite: the file in its data dir). A CLI command a
  // test runs on the same state needs it too.
  const std::string& database_url() const { return database_url_; }
  // `env` plus what another process needs to share this server's database (its url, on
  // PostgreSQL): for a `weft worker` or CLI command a test starts beside the server.
  std::map<std::string, std::string> sibling_env(std::map<std::string, std::string> env) const {
    if (!database_url_.empty()) env.emplace("WEFT_DATABASE_URL", database_url_);
    return env;
  }

  // POST /api/setup with the default admin and kSetupToken; returns the reply.
  Reply setup(const std::string& email = "owner@example.com", const std::string& password = "correct horse battery",
              const std::string& org = "Acme");
  // Logs in; returns the session cookie value ("" on failure).
  std::string login(const std::string& email, const std::string& password = "correct horse battery");

  // Sends SIGTERM and waits; returns the exit status.
  testing::ProcessResult stop();
  std::string log_text() const;

 private:
  testing::TempDir dir_;
  std::string data_dir_;
  std::string database_url_;
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = 0;
};

}  // namespace weft::apitest
