#include "api_harness.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pg/connection.h"
#include "store/postgres/pg_test_schema.h"

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <thread>

namespace weft::apitest {

std::string Reply::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  }
  return "";
}

bool Reply::is_json_error() const {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return false;
  const json& e = body["error"];
  return e.contains("code") && e["code"].is_string() && !e["code"].get<std::string>().empty() &&
         e.contains("message") && e["message"].is_string() && !e["message"].get<std::string>().empty();
}

bool on_postgres() {
  const char* backend = std::getenv("WEFT_API_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

std::string database_url_for(const std::string& data_dir) {
  if (!on_postgres()) return "";
  const std::string server = store::postgres::test_server_url();
  if (server.empty()) throw std::runtime_error("the PostgreSQL run needs WEFT_TEST_POSTGRES_URL (scripts/with_postgres.sh)");
  auto url = store::postgres::schema_url(server, store::postgres::schema_name_for(data_dir));
  if (!url.ok()) throw std::runtime_error("cannot make a test schema: " + url.error().message);
  return *url;
}

WeftServer::WeftServer(std::map<std::string, std::string> env) : WeftServer(std::move(env), "") {}

WeftServer::WeftServer(std::map<std::string, std::string> env, const std::string& data_dir,
                       const std::vector<std::string>& serve_args) {
  data_dir_ = data_dir.empty() ? dir_.file("data") : data_dir;
  env.emplace("WEFT_MASTER_KEY", std::string(64, 'e'));
  env.emplace("WEFT_PASSWORD_HASH_COST", "min");
  env.emplace("WEFT_POLL_MS", "50");
  env.emplace("WEFT_LOG_LEVEL", "info");
  env.emplace("WEFT_SETUP_TOKEN", kSetupToken);
  // A test may name the database (a second node on the first one's); else this run's choice.
  if (auto named = env.find("WEFT_DATABASE_URL"); named != env.end()) {
    database_url_ = named->second;
  } else {
    database_url_ = database_url_for(data_dir_);
    if (!database_url_.empty()) env.emplace("WEFT_DATABASE_URL", database_url_);
  }
  std::vector<std::string> argv{WEFT_BINARY, "--data-dir", data_dir_, "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), serve_args.begin(), serve_args.end());
  process_ = std::make_unique<testing::ChildProcess>(argv, env, dir_.path());
  static const std::regex ready(R"(listening on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string log = process_->stderr_text();
    if (std::regex_search(log, m, ready)) {
      port_ = std::stoi(m[1]);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("weft serve did not become ready:\n" + process_->stderr_text());
}

WeftServer::~WeftServer() {
  if (process_) stop();
}

testing::ProcessResult WeftServer::stop() {
  if (!process_) return {};
  process_->signal(SIGTERM);
  auto result = process_->wait();
  process_.reset();
  return result;
}

std::vector<std::string> WeftServer::sql(const std::string& statement) const {
  std::vector<std::string> rows;
  if (!database_url_.empty()) {
    auto db = pg::Connection::open(database_url_);
    if (!db.ok()) throw std::runtime_error("cannot open the test schema: " + db.error().message);
    PGresult* result = PQexec((*db)->handle(), statement.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      const std::string why = PQresultErrorMessage(result);
      PQclear(result);
      throw std::runtime_error("SQL failed (" + why + "): " + statement);
    }
    for (int r = 0; r < PQntuples(result); ++r) {
      std::string row;
      for (int c = 0; c < PQnfields(result); ++c) {
        if (c > 0) row += '|';
        row += PQgetvalue(result, r, c);
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path().c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_path());
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, statement.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("SQL failed (" + why + "): " + statement);
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      if (c > 0) row += '|';
      if (const auto* text = sqlite3_column_text(stmt, c)) {
        row.append(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  const std::string why = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) throw std::runtime_error("SQL failed (" + why + "): " + statement);
  return rows;
}

std::string WeftServer::sql_text(const std::string& statement) const {
  const std::vector<std::string> rows = sql(statement);
  if (rows.empty()) return "";
  return rows.front().substr(0, rows.front().find('|'));
}

std::string WeftServer::log_text() const { return process_ ? process_->stderr_text() : ""; }

Reply WeftServer::request_raw(const std::string& method, const std::string& path, const As& as,
                              const std::string& raw, const std::string& content_type) {
  httplib::Headers headers;
  if (!as.cookie.empty()) headers.emplace("Cookie", "weft_session=" + as.cookie);
  if (!as.token.empty()) headers.emplace("Authorization", "Bearer " + as.token);
  if (!as.origin.empty()) headers.emplace("Origin", as.origin);
  else if (as.same_origin && method != "GET") headers.emplace("Origin", base_url());
  return request_with_headers(method, path, headers, raw, content_type);
}

Reply WeftServer::request_with_headers(const std::string& method, const std::string& path,
                                       const httplib::Headers& headers, const std::string& raw,
                                       const std::string& content_type) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  httplib::Result res(nullptr, httplib::Error::Unknown);
  if (method == "GET") res = client.Get(path, headers);
  else if (method == "POST") res = client.Post(path, headers, raw, content_type);
  else if (method == "PUT") res = client.Put(path, headers, raw, content_type);
  else if (method == "DELETE") res = client.Delete(path, headers, raw, content_type);
  else throw std::invalid_argument("method " + method);
  Reply reply;
  if (!res) {
    reply.status = -1;
    reply.text = "transport error " + httplib::to_string(res.error());
    return reply;
  }
  reply.status = res->status;
  reply.text = res->body;
  reply.headers = res->headers;
  auto parsed = parse_json(res->body);
  reply.body = parsed.ok() ? std::move(parsed).take() : json(res->body);
  return reply;
}

Reply WeftServer::request(const std::string& method, const std::string& path, const As& as,
                          const std::optional<json>& body) {
  return request_raw(method, path, as, body ? body->dump() : "", body ? "application/json" : "");
}

Reply WeftServer::setup(const std::string& email, const std::string& password, const std::string& org) {
  return request("POST", "/api/setup", As::anonymous(), json{{"email", email}, {"password", password}, {"orgName", org}, {"setupToken", kSetupToken}});
}

std::string WeftServer::login(const std::string& email, const std::string& password) {
  Reply r = request("POST", "/api/auth/login", As::anonymous(), json{{"email", email}, {"password", password}});
  if (r.status != 200) return "";
  const std::string cookie = r.header("Set-Cookie");
  const std::string key = "weft_session=";
  auto start = cookie.find(key);
  if (start == std::string::npos) return "";
  start += key.size();
  return cookie.substr(start, cookie.find(';', start) - start);
}

}  // namespace weft::apitest
