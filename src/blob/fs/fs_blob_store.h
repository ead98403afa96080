// blob/fs/fs_blob_store.h — owns the file-system blob backend: each blob is one file under a
// root folder (0700), written to a private temp file, fsynced and renamed into place. It must
// not follow symlinks out of the root, and leaves no temp file behind on any failure.
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"

namespace weft::blob {

// Opens (creating 0700 if needed) the store rooted at `root`, removing temp files a crash left
// behind. Thread-safe.
Result<std::unique_ptr<BlobStore>> open_fs_blob_store(const std::string& root);

}  // namespace weft::blob
