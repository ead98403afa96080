// blob/postgres/pg_blob_store.h — owns the PostgreSQL blob backend (scale-out: every node sees
// every blob): one row per key in weft_blobs with the bytes and their SHA-256, and in front of it
// a local cache folder (an fs blob store, files named by their SHA-256) that a node fills on
// first read, with only bytes whose hash matched. Every read asks the row's hash first, so no
// node answers a deleted or replaced key from its copy. The blobs table lives beside the store's tables (same database and schema) and
// is created here if absent; nothing else of the store is touched.
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"

namespace weft::blob {

// Opens the blob table at `database_url` (a postgresql:// url), creating it if absent, with a
// local cache under `cache_dir` (created 0700). Thread-safe. Errors as pg::Connection::open.
Result<std::unique_ptr<BlobStore>> open_pg_blob_store(const std::string& database_url, const std::string& cache_dir);

}  // namespace weft::blob
