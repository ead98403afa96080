// pg/connection.h — owns the libpq handles: Connection (one PGconn*, its prepared
// statements), Query (one execution of a Sql text with $1..$n parameters and its rows) and
// Transaction. SQL text comes only from string literals (Sql); values only through parameters.
// Knows nothing of pooling or reconnecting (pg/pool.h), nor of any table: the modules on
// PostgreSQL (store/postgres, blob/postgres) bring their SQL.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "core/json.h"
#include "core/result.h"
#include "core/sql.h"

struct pg_conn;
struct pg_result;

namespace weft::pg {

// The code of an error that means "the database cannot be reached now" (a lost connection, a
// server shutting down or starting, no connection free in time): HTTP 503, safe to retry.
inline constexpr const char* kUnavailable = "database_unavailable";

// PostgreSQL's text cannot hold U+0000: every text this backend stores has U+0001 written as
// U+0001 '1' and U+0000 as U+0001 '0' (a text without either is stored as it is), and is read
// back with unescape_text. Equality and uniqueness are kept; only the order of texts holding
// those two characters differs from SQLite's.
std::string escape_text(std::string_view text);
std::string unescape_text(std::string_view stored);

// True for a transaction that lost a deadlock or a serialization check: it may simply run again.
bool is_retryable(const Error& error);

struct ResultDeleter {
  void operator()(pg_result* result) const;
};
using ResultPtr = std::unique_ptr<pg_result, ResultDeleter>;

class Connection;

// One execution: bind $1..$n, then step through the rows (the first step() executes). Every
// row arrives at once (libpq's default), so a Query holds no server-side state.
class Query {
 public:
  Query(Connection& connection, Sql sql) : connection_(&connection), sql_(sql) {}
  Query(Query&&) noexcept = default;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binds args to $1, $2, … in order. A std::optional or json null binds NULL; a json value its
  // dump(); a byte vector binary bytea; ids and statuses their text; integers their decimal text;
  // bool "true"/"false". Texts are stored with U+0000 (which PostgreSQL's text cannot hold) and
  // U+0001 escaped (escape_text), and text() reads them back as they were written.
  template <typename... Args>
  Query& bind(const Args&... args) {
    (bind_one(args), ...);
    return *this;
  }

  // Executes on the first call; true while a row is available.
  Result<bool> step();
  template <typename Read>
  Result<std::vector<std::invoke_result_t<Read&, const Query&>>> collect(Read read) {
    std::vector<std::invoke_result_t<Read&, const Query&>> out;
    while (true) {
      WEFT_TRY_ASSIGN(bool row, step());
      if (!row) break;
      out.push_back(read(*this));
    }
    return out;
  }
  // Executes, ignoring any rows.
  Status run();
  // run() for a write that must touch a row: a foreign-key failure or no row changed become
  // not_found(what).
  Status run_one(const std::string& what);
  // Rows the executed INSERT/UPDATE/DELETE changed (or SELECT returned).
  int changes() const;

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::string text(int column) const;
  std::vector<std::uint8_t> blob(int column) const;  // a bytea column
  Result<json> json_value(int column) const;        // a TEXT column of JSON; NULL → json null

 private:
  template <typename T>
  struct is_optional : std::false_type {};
  template <typename T>
  struct is_optional<std::optional<T>> : std::true_type {};
  template <typename T>
  struct is_id : std::false_type {};
  template <typename Tag>
  struct is_id<Id<Tag>> : std::true_type {};

  template <typename T>
  void bind_one(const T& value) {
    if constexpr (std::is_same_v<T, json>) {
      if (value.is_null()) {
        bind_null();
      } else {
        bind_text(value.dump(-1, ' ', false, json::error_handler_t::replace));  // as store::json_text
      }
    } else if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
      bind_null();
    } else if constexpr (is_optional<T>::value) {
      if (value.has_value()) {
        bind_one(*value);
      } else {
        bind_null();
      }
    } else if constexpr (is_id<T>::value) {
      bind_text(value.str());
    } else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
      bind_bytes(value);
    } else if constexpr (std::is_same_v<T, bool>) {
      bind_text(value ? "true" : "false");
    } else if constexpr (std::is_integral_v<T>) {
      bind_text(std::to_string(static_cast<std::int64_t>(value)));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      bind_text(std::string_view(value));
    } else {
      // An enum of the caller's module with its to_string (found by argument-dependent lookup).
      static_assert(requires { std::string_view(to_string(value)); }, "unsupported bind type");
      bind_text(to_string(value));
    }
  }
  void bind_null();
  void bind_text(std::string_view value);
  void bind_bytes(std::span<const std::uint8_t> value);
  Status execute();
  const char* value_at(int column) const;

  Connection* connection_;
  Sql sql_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> binary_;
  ResultPtr result_;
  int row_ = -1;
  int rows_ = 0;
};

// One connection; owns its PGconn*. Used by one thread at a time (the pool hands it out).
class Connection {
 public:
  // Connects to `url` (a postgresql:// URI or libpq key=value string). Errors, never naming the
  // password: "database_auth_failed" (wrong user or password), "database_unreachable"
  // (connection refused, unknown host, timeout), "invalid_database_url".
  static Result<std::unique_ptr<Connection>> open(const std::string& url);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  Query query(Sql sql) { return Query(*this, sql); }
  // Runs parameterless literal statements (one or several, ;-separated) to completion.
  Status exec(Sql sql);
  // exec() of a script compiled into the binary (a migration): not a literal at this call.
  Status exec_script(const char* script, const char* name);
  // False once the connection is lost (the pool then drops it).
  bool usable() const;
  // usable() after reading whatever the server sent while the connection was idle: a server
  // that restarted or ended the session meanwhile is noticed here, before a request uses it.
  bool alive();
  pg_conn* handle() const { return conn_; }

 private:
  friend class Query;
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  // The statement's prepared name on this connection, preparing it at first use.
  Result<const std::string*> prepared(Sql sql);
  Error error_of(const pg_result* result, const char* sql) const;

  pg_conn* conn_;
  std::unordered_map<const char*, std::string> prepared_;
};

// BEGIN … COMMIT on a connection; rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status commit();
  // The connection the transaction runs on; only while it is open (before commit()).
  Connection& db() const {
    WEFT_ASSERT(connection_ != nullptr);
    return *connection_;
  }

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
};

}  // namespace weft::pg
