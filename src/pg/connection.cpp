#include "pg/connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <utility>

#include "core/log.h"

namespace weft::pg {

void ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

namespace {

// SQLSTATE classes and codes this backend tells apart.
bool is_connection_state(std::string_view state) {
  // 08: connection exception; 57P01..57P03: admin shutdown, crash shutdown, cannot connect now.
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

// The password libpq would use for `url`, so that no message quoting the URL can show it.
std::string password_in(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  PQfreemem(parse_error);
  std::string password;
  if (options == nullptr) return password;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::strcmp(option->keyword, "password") == 0 && option->val != nullptr) password = option->val;
  }
  PQconninfoFree(options);
  return password;
}

std::string without(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "********");
  }
  return text;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string escape_text(std::string_view text) {
  if (text.find_first_of(std::string_view("\0\1", 2)) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '\0' || c == '\1') {
      out += '\1';
      out += c == '\0' ? '0' : '1';
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_text(std::string_view stored) {
  if (stored.find('\1') == std::string_view::npos) return std::string(stored);
  std::string out;
  out.reserve(stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i] == '\1' && i + 1 < stored.size()) {
      out += stored[++i] == '0' ? '\0' : '\1';
    } else {
      out += stored[i];
    }
  }
  return out;
}

bool is_retryable(const Error& error) {
  if (!error.details.is_object()) return false;
  auto state = error.details.find("sqlstate");
  return state != error.details.end() && state->is_string() &&
         (*state == "40001" || *state == "40P01");
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string reason = parse_error != nullptr ? trimmed(parse_error) : "it cannot be parsed";
    PQfreemem(parse_error);
    return Error::make("invalid_database_url",
                       "the PostgreSQL url is not valid: " + without(reason, password_in(url)));
  }
  PQconninfoFree(parsed);

  // A server that does not answer (packets dropped) fails the connect after 5 s, not the
  // kernel's TCP timeout: a url's own connect_timeout (it comes later) wins.
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Error::make(kUnavailable, "out of memory connecting to PostgreSQL");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = without(trimmed(PQerrorMessage(conn)), password_in(url));
    PQfinish(conn);
    const bool auth = reason.find("password authentication failed") != std::string::npos ||
                      reason.find("authentication failed") != std::string::npos ||
                      reason.find("no password supplied") != std::string::npos ||
                      (reason.find("role") != std::string::npos && reason.find("does not exist") != std::string::npos);
    if (auth) {
      return Error::make("database_auth_failed",
                         "PostgreSQL refused the credentials of the database url: " + reason);
    }
    return Error::make("database_unreachable", "cannot connect to PostgreSQL: " + reason);
  }
  // Server notices (a session terminated by a shutdown, …) go to the log, not to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char* message) { log().debug("PostgreSQL: {}", trimmed(message)); }, nullptr);
  // Every statement this backend sends sees the same conventions whatever the server's defaults.
  PGresult* set = PQexec(conn, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; "
                               "SET client_min_messages = warning");
  const bool set_ok = PQresultStatus(set) == PGRES_COMMAND_OK;
  PQclear(set);
  if (!set_ok) {
    std::string reason = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Error::make("database_unreachable", "cannot configure the PostgreSQL session: " + reason);
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::usable() const { return PQstatus(conn_) == CONNECTION_OK; }

bool Connection::alive() {
  if (!usable()) return false;
  // Non-blocking: reads a pending termination notice (or end of stream) if there is one.
  if (PQconsumeInput(conn_) == 0) return false;
  return usable();
}

Error Connection::error_of(const pg_result* result, const char* sql) const {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view code = state != nullptr ? state : "";
  if (code == "23505") return Error::make("conflict", "a record with the same key already exists");
  if (code == "23503") return Error::make("not_found", "a record this one refers to does not exist");
  std::string reason = trimmed(result != nullptr && *PQresultErrorMessage(result) != '\0'
                                   ? PQresultErrorMessage(result)
                                   : PQerrorMessage(conn_));
  if (is_connection_state(code) || !usable()) {
    // The reason names the server; it goes to the log, not to whoever asked.
    log().warn("PostgreSQL connection lost: {}", reason);
    return Error::make(kUnavailable, "the database is unavailable; retry shortly");
  }
  std::string message = "postgres error ";
  message += code.empty() ? "?" : std::string(code);
  message += " (" + reason + ")";
  if (sql != nullptr && *sql != '\0') message += std::string(" in: ") + sql;
  Error error = Error::internal(std::move(message));
  error.details = {{"sqlstate", std::string(code)}};
  return error;
}

Result<const std::string*> Connection::prepared(Sql sql) {
  auto found = prepared_.find(sql.text());
  if (found != prepared_.end()) return &found->second;
  std::string name = "w" + std::to_string(prepared_.size() + 1);
  ResultPtr result(PQprepare(conn_, name.c_str(), sql.text(), 0, nullptr));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return error_of(result.get(), sql.text());
  auto [at, inserted] = prepared_.emplace(sql.text(), std::move(name));
  return &at->second;
}

Status Connection::exec(Sql sql) { return exec_script(sql.text(), ""); }

Status Connection::exec_script(const char* script, const char* name) {
  ResultPtr result(PQexec(conn_, script));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  Error error = error_of(result.get(), *name != '\0' ? name : script);
  return error;
}

// --- Query ---

void Query::bind_null() {
  values_.emplace_back();
  nulls_.push_back(true);
  binary_.push_back(0);
}

void Query::bind_text(std::string_view value) {
  values_.push_back(escape_text(value));
  nulls_.push_back(false);
  binary_.push_back(0);
}

void Query::bind_bytes(std::span<const std::uint8_t> value) {
  values_.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
  nulls_.push_back(false);
  binary_.push_back(1);
}

Status Query::execute() {
  WEFT_TRY_ASSIGN(const std::string* name, connection_->prepared(sql_));
  const int count = static_cast<int>(values_.size());
  std::vector<const char*> pointers(values_.size());
  std::vector<int> lengths(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    pointers[i] = nulls_[i] ? nullptr : values_[i].data();
    lengths[i] = static_cast<int>(values_[i].size());
  }
  result_.reset(PQexecPrepared(connection_->conn_, name->c_str(), count, pointers.data(), lengths.data(),
                               binary_.data(), 0));
  const ExecStatusType status = PQresultStatus(result_.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = connection_->error_of(result_.get(), sql_.text());
    result_.reset();
    return error;
  }
  rows_ = status == PGRES_TUPLES_OK ? PQntuples(result_.get()) : 0;
  row_ = -1;
  return {};
}

Result<bool> Query::step() {
  if (!result_) WEFT_TRY(execute());
  if (row_ + 1 >= rows_) {
    row_ = rows_;
    return false;
  }
  ++row_;
  return true;
}

Status Query::run() {
  if (!result_) WEFT_TRY(execute());
  row_ = rows_;
  return {};
}

Status Query::run_one(const std::string& what) {
  Status ran = run();
  if (!ran.ok()) {
    if (ran.error().code == "not_found") return Error::not_found(what);
    return ran;
  }
  if (changes() == 0) return Error::not_found(what);
  return {};
}

int Query::changes() const {
  if (!result_) return 0;
  const char* tuples = PQcmdTuples(result_.get());
  int count = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), count);
  return count;
}

const char* Query::value_at(int column) const {
  WEFT_ASSERT(result_ && row_ >= 0 && row_ < rows_);
  return PQgetvalue(result_.get(), row_, column);
}

bool Query::is_null(int column) const {
  WEFT_ASSERT(result_ && row_ >= 0 && row_ < rows_);
  return PQgetisnull(result_.get(), row_, column) != 0;
}

std::int64_t Query::int64(int column) const {
  const char* text = value_at(column);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string Query::text(int column) const {
  return unescape_text(
      std::string_view(value_at(column), static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))));
}

std::vector<std::uint8_t> Query::blob(int column) const {
  // bytea in text form: "\x" then two hex digits a byte.
  const char* text = value_at(column);
  const std::size_t size = static_cast<std::size_t>(PQgetlength(result_.get(), row_, column));
  std::vector<std::uint8_t> out;
  if (size < 2 || text[0] != '\\' || text[1] != 'x') return out;
  out.reserve((size - 2) / 2);
  for (std::size_t i = 2; i + 1 < size; i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) break;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

Result<json> Query::json_value(int column) const {
  if (is_null(column)) return json(nullptr);
  // Depth-limited like any JSON from outside: a stored document must not crash its reader.
  auto value = parse_json(std::string_view(value_at(column),
                                           static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))));
  if (!value.ok()) {
    return Error::internal(std::string("corrupt JSON in column ") + PQfname(result_.get(), column) + " (" +
                           value.error().message + ") of: " + sql_.text());
  }
  return std::move(value).take();
}

// --- Transaction ---

Result<Transaction> Transaction::begin(Connection& connection) {
  WEFT_TRY(connection.exec("BEGIN"));
  return Transaction(connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr && connection_->usable()) (void)connection_->exec("ROLLBACK");
}

Status Transaction::commit() {
  WEFT_ASSERT(connection_ != nullptr);
  Connection* connection = std::exchange(connection_, nullptr);
  Status committed = connection->exec("COMMIT");
  if (!committed.ok() && connection->usable()) (void)connection->exec("ROLLBACK");
  return committed;
}

}  // namespace weft::pg
