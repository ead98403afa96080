// store/sqlite/database.h — owns the SQLite C handles: Database (one connection, its pragmas and
// its prepared-statement cache), Statement (one sqlite3_stmt*) and Transaction. SQL text comes
// only from string literals (Sql); values only through bind parameters. Used only in store/sqlite/.
#pragma once

#include <cstddef>
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
#include "store/model.h"
#include "core/sql.h"

struct sqlite3;
struct sqlite3_stmt;

namespace weft::store::sqlite {

// Maps the last failure on `db` (result code `rc`, while running `sql`) to an Error:
// a UNIQUE/PRIMARY KEY violation → "conflict", a FOREIGN KEY violation → "not_found",
// anything else → an internal error (code internal_error, never shown to users).
Error sqlite_error(sqlite3* db, int rc, const char* sql);

// One prepared statement; owns its sqlite3_stmt*. Not copyable. Used by one thread at a time
// (the one holding its connection).
class Statement {
 public:
  // Prepares `sql` on `db`; the statement must not outlive `db`.
  static Result<Statement> prepare(sqlite3* db, Sql sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  sqlite3_stmt* get() const { return stmt_; }
  sqlite3* db() const { return db_; }
  const char* sql() const { return sql_; }

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt, const char* sql) : db_(db), stmt_(stmt), sql_(sql) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  const char* sql_ = "";
};

// One execution of a Statement: bind ?1..?n, step, read columns. Borrows the statement; resets
// it and clears its bindings on destruction, so the statement is ready for the next use.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(&statement) {}
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  // Binds args to ?1, ?2, … in order. A std::optional or json null binds SQL NULL; a json value
  // binds its dump() as TEXT; a byte vector binds a BLOB; ids and statuses bind TEXT.
  template <typename... Args>
  Query& bind(const Args&... args) {
    int index = 0;
    (bind_one(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> step();
  // Steps through every remaining row and maps each with `read(*this)`; the rows in order.
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
  // Steps to completion, ignoring any rows.
  Status run();
  // run() for a write that must touch a row: a foreign-key failure or zero changed rows
  // become not_found(what).
  Status run_one(const std::string& what);
  // Rows changed by the last completed INSERT/UPDATE/DELETE on this connection.
  int changes() const;

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::string text(int column) const;
  std::vector<std::uint8_t> blob(int column) const;
  // The column parsed as JSON; SQL NULL reads as json null. Corrupt text is an internal error.
  Result<json> json_value(int column) const;

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
  void bind_one(int index, const T& value) {
    if constexpr (std::is_same_v<T, json>) {
      bind_json(index, value);
    } else if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
      bind_null(index);
    } else if constexpr (is_optional<T>::value) {
      if (value.has_value()) {
        bind_one(index, *value);
      } else {
        bind_null(index);
      }
    } else if constexpr (is_id<T>::value) {
      bind_text(index, value.str());
    } else if constexpr (std::is_same_v<T, RunStatus> || std::is_same_v<T, StepStatus> ||
                         std::is_same_v<T, BundleScope> || std::is_same_v<T, BundleStatus>) {
      bind_text(index, to_string(value));
    } else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
      bind_blob(index, value);
    } else if constexpr (std::is_integral_v<T>) {
      bind_int(index, static_cast<std::int64_t>(value));
    } else {
      static_assert(std::is_convertible_v<const T&, std::string_view>, "unsupported bind type");
      bind_text(index, std::string_view(value));
    }
  }

  void bind_null(int index);
  void bind_int(int index, std::int64_t value);
  void bind_text(int index, std::string_view value);
  void bind_blob(int index, std::span<const std::uint8_t> value);
  void bind_json(int index, const json& value);
  void note_bind(int rc);

  Statement* statement_;
  int bind_error_ = 0;  // first failing sqlite3_bind_* result, reported by step()
};

// One SQLite connection; owns its sqlite3*. Not copyable. Used by one thread at a time (the
// connection pool hands it out); the statement cache lives and dies with it.
class Database {
 public:
  enum class Access { read_write, query_only };

  // Opens (creating if needed) `path` with WAL journaling, foreign keys on and a 5 s busy
  // timeout; synchronous=NORMAL for Durability::process, FULL for Durability::full. A
  // query_only connection refuses writes.
  static Result<std::unique_ptr<Database>> open(const std::string& path, Access access,
                                                Durability durability = Durability::process);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // A query on the cached prepared statement for `sql` (prepared at first use, keyed by the
  // literal's address). The Query must be destroyed before this statement is queried again.
  Result<Query> query(Sql sql);
  // Runs a statement without parameters to completion.
  Status exec(Sql sql);

  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  Status configure(Access access, Durability durability);  // the pragmas of open()
  sqlite3* db_;
  std::unordered_map<const char*, Statement> cache_;
};

// BEGIN IMMEDIATE … COMMIT on a connection; rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();
  // The connection the transaction runs on; only while it is open (before commit()).
  Database& db() const {
    WEFT_ASSERT(db_ != nullptr);
    return *db_;
  }

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;  // null once committed or rolled back
};

}  // namespace weft::store::sqlite
