// blob/blob_store.h — owns the blob store interface: opaque byte strings under slash-separated
// keys ("org_…/00_organization/integration-bundles/acme/1.0.0/bundle.tar.gz"). Backends: fs/
// (files under the data dir, the default) and, later, postgres/. Nothing outside a backend
// may assume a blob is a local file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace weft::blob {

// Keys are 1–512 bytes of segments [A-Za-z0-9._-]+ joined by "/", no segment "." or "..".
inline constexpr std::size_t kMaxKeyBytes = 512;
bool is_valid_key(std::string_view key);

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores `bytes` under a NEW key, atomically: readers see all of it or nothing, and a failure
  // leaves nothing behind. Errors: invalid_argument (bad key), conflict (the key exists),
  // internal (I/O).
  virtual Status put(std::string_view key, std::string_view bytes) = 0;
  // The bytes under `key`. Errors: not_found, invalid_argument, internal.
  virtual Result<std::string> get(std::string_view key) = 0;
  // Deletes `key`. Errors: not_found, invalid_argument, internal.
  virtual Status remove(std::string_view key) = 0;
  // Every key starting with `prefix` ("" = all), sorted. For tests and maintenance.
  virtual Result<std::vector<std::string>> list(std::string_view prefix) = 0;
};

}  // namespace weft::blob
