#include "blob/postgres/pg_blob_store.h"

#include "blob/fs/fs_blob_store.h"
#include "core/digest.h"
#include "core/log.h"
#include "pg/connection.h"
#include "pg/pool.h"

namespace weft::blob {

namespace {

class PgBlobStore final : public BlobStore {
 public:
  PgBlobStore(std::unique_ptr<pg::Pool> pool, std::unique_ptr<BlobStore> cache)
      : pool_(std::move(pool)), cache_(std::move(cache)) {}

  Status put(std::string_view key, std::string_view bytes) override {
    if (!is_valid_key(key)) return Error::make("invalid_argument", "invalid blob key");
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    pg::Query q = lease->query("INSERT INTO weft_blobs (key, sha256, size, content) VALUES ($1, $2, $3, $4)");
    const std::vector<std::uint8_t> content(bytes.begin(), bytes.end());
    q.bind(key, sha256_hex(bytes), static_cast<std::int64_t>(bytes.size()), content);
    Status inserted = q.run();
    if (!inserted.ok() && inserted.error().code == "conflict") {
      return Error::make("conflict", "a blob with this key exists");
    }
    return inserted;
  }

  Result<std::string> get(std::string_view key) override {
    if (!is_valid_key(key)) return Error::make("invalid_argument", "invalid blob key");
    if (auto cached = cache_->get(key); cached.ok()) return cached;
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    pg::Query q = lease->query("SELECT sha256, content FROM weft_blobs WHERE key = $1");
    q.bind(key);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) return Error::not_found("blob");
    const std::vector<std::uint8_t> content = q.blob(1);
    std::string bytes(content.begin(), content.end());
    if (sha256_hex(bytes) != q.text(0)) {
      return Error::internal("blob " + std::string(key) + " does not match its SHA-256 in the database");
    }
    // Verified: kept for the next read (another thread may have cached it meanwhile).
    if (Status kept = cache_->put(key, bytes); !kept.ok() && kept.error().code != "conflict") {
      log().warn("blob {}: not cached locally: {}", key, kept.error().message);
    }
    return bytes;
  }

  Status remove(std::string_view key) override {
    if (!is_valid_key(key)) return Error::make("invalid_argument", "invalid blob key");
    (void)cache_->remove(key);  // a node's copy; other nodes keep theirs until they restart
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    pg::Query q = lease->query("DELETE FROM weft_blobs WHERE key = $1");
    q.bind(key);
    return q.run_one("blob");
  }

  Result<std::vector<std::string>> list(std::string_view prefix) override {
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    // starts_with: no LIKE pattern to escape.
    pg::Query q = lease->query("SELECT key FROM weft_blobs WHERE starts_with(key, $1) ORDER BY key");
    q.bind(prefix);
    return q.collect([](const pg::Query& row) { return row.text(0); });
  }

 private:
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<BlobStore> cache_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_pg_blob_store(const std::string& database_url, const std::string& cache_dir) {
  WEFT_TRY_ASSIGN(auto cache, open_fs_blob_store(cache_dir));
  pg::Pool::Options options;
  options.size = 4;
  WEFT_TRY_ASSIGN(auto pool, pg::Pool::open(database_url, options));
  {
    WEFT_TRY_ASSIGN(auto lease, pool->acquire());
    // Content-addressed rows (the hash is checked on every read from the database). A table of
    // its own, not a store migration: the blob module owns it.
    WEFT_TRY(lease->exec("CREATE TABLE IF NOT EXISTS weft_blobs ("
                         "  key     TEXT PRIMARY KEY,"
                         "  sha256  TEXT NOT NULL,"
                         "  size    BIGINT NOT NULL,"
                         "  content BYTEA NOT NULL)"));
  }
  return std::unique_ptr<BlobStore>(new PgBlobStore(std::move(pool), std::move(cache)));
}

}  // namespace weft::blob
