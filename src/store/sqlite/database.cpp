#include "store/sqlite/database.h"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite/wal_frame_vfs.h"

namespace weft::store::sqlite {

Error sqlite_error(sqlite3* db, int rc, const char* sql) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error::make("conflict", "a record with the same key already exists");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error::make("not_found", "a record this one refers to does not exist");
    default:
      break;
  }
  std::string message = "sqlite error ";
  message += std::to_string(extended);
  message += " (";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += ")";
  if (sql != nullptr && *sql != '\0') {
    message += " in: ";
    message += sql;
  }
  Error error = Error::internal(std::move(message));
  error.details = {{"sqlite_code", extended}};
  return error;
}

// --- Statement ---

Result<Statement> Statement::prepare(sqlite3* db, Sql sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.text(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc, sql.text());
  }
  return Statement(db, stmt, sql.text());
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(other.sql_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = other.sql_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

// --- Query ---

Query::Query(Query&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), bind_error_(other.bind_error_) {}

Query::~Query() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_->get());
    sqlite3_clear_bindings(statement_->get());
  }
}

void Query::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Query::bind_null(int index) { note_bind(sqlite3_bind_null(statement_->get(), index)); }

void Query::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(statement_->get(), index, value));
}

void Query::bind_text(int index, std::string_view value) {
  note_bind(sqlite3_bind_text64(statement_->get(), index, value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Query::bind_blob(int index, std::span<const std::uint8_t> value) {
  // A zero-length blob needs a non-null pointer, or SQLite stores NULL.
  static const std::uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  note_bind(sqlite3_bind_blob64(statement_->get(), index, data, value.size(), SQLITE_TRANSIENT));
}

void Query::bind_json(int index, const json& value) {
  if (value.is_null()) {
    bind_null(index);
    return;
  }
  bind_text(index, json_text(value));
}

Result<bool> Query::step() {
  sqlite3_stmt* stmt = statement_->get();
  if (bind_error_ != 0) return sqlite_error(statement_->db(), bind_error_, statement_->sql());
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(statement_->db(), rc, statement_->sql());
}

Status Query::run() {
  while (true) {
    WEFT_TRY_ASSIGN(bool row, step());
    if (!row) return {};
  }
}

int Query::changes() const { return sqlite3_changes(statement_->db()); }

Status Query::run_one(const std::string& what) {
  Status written = run();
  if (!written.ok()) {
    if (written.error().code == "not_found") return Error::not_found(what);
    return written;
  }
  if (changes() == 0) return Error::not_found(what);
  return {};
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(statement_->get(), column) == SQLITE_NULL;
}

std::int64_t Query::int64(int column) const {
  return sqlite3_column_int64(statement_->get(), column);
}

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string Query::text(int column) const {
  const auto* data = sqlite3_column_text(statement_->get(), column);
  const int size = sqlite3_column_bytes(statement_->get(), column);
  if (data == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> Query::blob(int column) const {
  const auto* data =
      static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_->get(), column));
  const int size = sqlite3_column_bytes(statement_->get(), column);
  if (data == nullptr) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

Result<json> Query::json_value(int column) const {
  if (is_null(column)) return json(nullptr);
  const auto* data = sqlite3_column_text(statement_->get(), column);
  const int size = sqlite3_column_bytes(statement_->get(), column);
  // Depth-limited like any JSON from outside: a document written by an older version (or by
  // hand) must not be able to crash the process that reads it back.
  auto value = parse_json(std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)));
  if (!value.ok()) {
    return Error::internal(std::string("corrupt JSON in column ") +
                           sqlite3_column_name(statement_->get(), column) + " (" + value.error().message +
                           ") of: " + statement_->sql());
  }
  return std::move(value).take();
}

// --- Database ---

Result<std::unique_ptr<Database>> Database::open(const std::string& path, Access access,
                                               Durability durability) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the pool guarantees one thread per connection at a time.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // wal_frame_vfs: each WAL frame in one write call (null: the default VFS).
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, wal_frame_vfs());
  if (rc != SQLITE_OK) {
    std::string reason = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return Error::make("database_open_failed",
                       "cannot open SQLite database at " + path + ": " + reason);
  }
  std::unique_ptr<Database> db(new Database(raw));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  // The first statements touch the file: a corrupt or foreign file fails here, and that is
  // the user's to fix, so the reason is reported publicly.
  Status configured = db->configure(access, durability);
  if (!configured.ok()) {
    return Error::make("database_open_failed", "cannot open SQLite database at " + path + ": " +
                                                   sqlite3_errmsg(raw));
  }
  return db;
}

Status Database::configure(Access access, Durability durability) {
  if (access == Access::read_write) {
    // journal_mode answers with a row; Query::run() steps past it.
    WEFT_TRY(exec("PRAGMA journal_mode=WAL"));
    // Once checkpointed, a WAL file grown by a burst is truncated back to this size (64 MiB).
    WEFT_TRY(exec("PRAGMA journal_size_limit=67108864"));
  }
  // WAL + NORMAL: a commit has reached the OS (survives the process dying, not a power cut);
  // FULL: the WAL is fsynced at every commit (survives a power cut).
  if (durability == Durability::full) {
    WEFT_TRY(exec("PRAGMA synchronous=FULL"));
  } else {
    WEFT_TRY(exec("PRAGMA synchronous=NORMAL"));
  }
  WEFT_TRY(exec("PRAGMA foreign_keys=ON"));
  if (access == Access::query_only) WEFT_TRY(exec("PRAGMA query_only=ON"));
  return {};
}

Database::~Database() {
  cache_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

Result<Query> Database::query(Sql sql) {
  auto it = cache_.find(sql.text());
  if (it == cache_.end()) {
    WEFT_TRY_ASSIGN(Statement statement, Statement::prepare(db_, sql));
    it = cache_.emplace(sql.text(), std::move(statement)).first;
  }
  return Query(it->second);
}

Status Database::exec(Sql sql) {
  WEFT_TRY_ASSIGN(Query query, this->query(sql));
  return query.run();
}

// --- Transaction ---

Result<Transaction> Transaction::begin(Database& db) {
  WEFT_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  WEFT_ASSERT(db_ != nullptr);
  Database* db = std::exchange(db_, nullptr);
  Status status = db->exec("COMMIT");
  if (!status.ok()) (void)db->exec("ROLLBACK");
  return status;
}

}  // namespace weft::store::sqlite
