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

  // The row's hash first (a few bytes): the cached copy of exactly those bytes, if this node has
  // one, else the bytes from the database, checked and cached. A key deleted, or deleted and
  // put again with other bytes, by any node is never answered from an old copy.
  Result<std::string> get(std::string_view key) override {
    if (!is_valid_key(key)) return Error::make("invalid_argument", "invalid blob key");
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    std::string sha;
    {
      pg::Query q = lease->query("SELECT sha256 FROM weft_blobs WHERE key = $1");
      q.bind(key);
      WEFT_TRY_ASSIGN(bool row, q.step());
      if (!row) return Error::not_found("blob");
      sha = q.text(0);
    }
    const std::string cache_key = cache_key_of(sha);
    if (auto cached = cache_->get(cache_key); cached.ok() && sha256_hex(*cached) == sha) return cached;
    pg::Query q = lease->query("SELECT content FROM weft_blobs WHERE key = $1 AND sha256 = $2");
    q.bind(key, sha);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) return Error::not_found("blob");  // deleted or replaced since the first look
    const std::vector<std::uint8_t> content = q.blob(0);
    std::string bytes(content.begin(), content.end());
    if (sha256_hex(bytes) != sha) {
      return Error::internal("blob " + std::string(key) + " does not match its SHA-256 in the database");
    }
    // Verified: kept for the next read. A copy that failed its check is replaced.
    (void)cache_->remove(cache_key);
    if (Status kept = cache_->put(cache_key, bytes); !kept.ok() && kept.error().code != "conflict") {
      log().warn("blob {}: not cached locally: {}", key, kept.error().message);
    }
    return bytes;
  }

  Status remove(std::string_view key) override {
    if (!is_valid_key(key)) return Error::make("invalid_argument", "invalid blob key");
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    pg::Query q = lease->query("DELETE FROM weft_blobs WHERE key = $1 RETURNING sha256");
    q.bind(key);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) return Error::not_found("blob");
    // This node's copy (other nodes never answer from theirs again: get checks the row first).
    // Another key with the same bytes reads it from the database once more.
    (void)cache_->remove(cache_key_of(q.text(0)));
    return {};
  }

  Result<std::vector<std::string>> list(std::string_view prefix) override {
    WEFT_TRY_ASSIGN(auto lease, pool_->acquire());
    // starts_with: no LIKE pattern to escape.
    pg::Query q = lease->query("SELECT key FROM weft_blobs WHERE starts_with(key, $1) ORDER BY key");
    q.bind(prefix);
    return q.collect([](const pg::Query& row) { return row.text(0); });
  }

 private:
  // Cached copies are named by their content: "sha256/<hex>".
  static std::string cache_key_of(const std::string& sha) { return "sha256/" + sha; }

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
