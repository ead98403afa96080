// The .bundle.tar.gz reader: libarchive with only the gzip filter and the tar formats, reading
// from memory, every entry's data pulled through archive_read_data in blocks and counted.
#include "bundles/archive_reader.h"

#include <clocale>
#include <locale.h>
#include <vector>

#include "bundles/entry_rules.h"
#include "bundles/libarchive_library.h"

namespace weft::bundles {
namespace {

using detail::BundleCollector;
using detail::EntryKind;

// Owns one libarchive read handle (STYLE.md: C handles in RAII wrappers that cannot be copied).
class ArchiveReadHandle {
 public:
  ArchiveReadHandle() : a_(libarchive().read_new()) {}
  ~ArchiveReadHandle() {
    if (a_ != nullptr) libarchive().read_free(a_);
  }
  ArchiveReadHandle(const ArchiveReadHandle&) = delete;
  ArchiveReadHandle& operator=(const ArchiveReadHandle&) = delete;

  archive* get() const { return a_; }
  std::string error() const {
    const char* msg = a_ != nullptr ? libarchive().error_string(a_) : nullptr;
    return msg != nullptr ? msg : "unreadable";
  }

 private:
  archive* a_;
};

// Makes this thread's LC_CTYPE "C.UTF-8" while it lives (uselocale: per thread, never the
// process's setlocale). libarchive converts a pax "path=" value (UTF-8 by the format) to the
// current locale's charset: in the "C" locale of a server every non-ASCII name would fail to
// convert. With a UTF-8 locale the bytes pass unchanged; ustar names are never converted.
class ScopedUtf8Ctype {
 public:
  ScopedUtf8Ctype() {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (utf8 != static_cast<locale_t>(nullptr)) previous_ = uselocale(utf8);
  }
  ~ScopedUtf8Ctype() {
    if (previous_ != static_cast<locale_t>(nullptr)) uselocale(previous_);
  }
  ScopedUtf8Ctype(const ScopedUtf8Ctype&) = delete;
  ScopedUtf8Ctype& operator=(const ScopedUtf8Ctype&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

constexpr std::size_t kBlockBytes = 64 * 1024;

bool looks_like_gzip(std::string_view s) {
  return s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x1f && static_cast<unsigned char>(s[1]) == 0x8b;
}

// Refuses an entry of a type other than a regular file or a directory; true if refused.
bool refuse_type(archive_entry* entry, std::string_view raw, BundleCollector& out) {
  if (const char* target = libarchive().entry_hardlink(entry); target != nullptr) {
    out.refuse(raw, kProblemHardlink, "is a hard link; bundles may hold regular files only");
    return true;
  }
  switch (libarchive().entry_filetype(entry)) {
    case AE_IFREG:
      if (libarchive().entry_sparse_count(entry) > 0) {
        out.refuse(raw, kProblemSparse, "is a sparse file; bundles may hold regular files only");
        return true;
      }
      return false;
    case AE_IFDIR: return false;
    case AE_IFLNK: out.refuse(raw, kProblemSymlink, "is a symbolic link; bundles may hold regular files only"); return true;
    case AE_IFCHR:
    case AE_IFBLK: out.refuse(raw, kProblemDevice, "is a device file; bundles may hold regular files only"); return true;
    case AE_IFIFO: out.refuse(raw, kProblemFifo, "is a FIFO; bundles may hold regular files only"); return true;
    case AE_IFSOCK: out.refuse(raw, kProblemSocket, "is a socket; bundles may hold regular files only"); return true;
    default: out.refuse(raw, kProblemUnsupportedType, "is not a regular file or a folder"); return true;
  }
}

// Reads the whole stream into `out`; returns when it ends or a stream-level problem stops it.
void read_entries(ArchiveReadHandle& handle, BundleCollector& out) {
  archive* a = handle.get();
  std::vector<char> block(kBlockBytes);
  for (bool first = true;; first = false) {
    archive_entry* entry = nullptr;
    const int rc = libarchive().read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) return;
    // Exactly one gzip layer over the tar: libarchive would also read a plain tar (its
    // pass-through "none" filter is always there) and peel gzip inside gzip.
    if (first && (libarchive().filter_count(a) != 2 || libarchive().filter_code(a, 0) != ARCHIVE_FILTER_GZIP)) {
      out.refuse("", kProblemNotGzip, "is not a gzip-compressed tar (one gzip layer over a tar)");
      return;
    }
    if (rc < ARCHIVE_WARN) {  // damaged header, truncated stream, bad gzip: nothing after it is trusted
      out.refuse("", kProblemCorrupt, "the archive is truncated or corrupt: " + handle.error());
      return;
    }
    const char* name = libarchive().entry_pathname(entry);
    const std::string_view raw = name != nullptr ? std::string_view(name) : std::string_view();
    if (!out.count_entry(raw)) return;

    // A warning is about this entry (the stream is still in step): a pax path that is not UTF-8
    // (libarchive's message is the only way to tell), a malformed pax record… Refused, read on.
    bool refused = false;
    if (rc == ARCHIVE_WARN) {
      const std::string why = handle.error();
      if (why.find("can't be converted") != std::string::npos) {
        out.refuse(raw, kProblemNameEncoding, "name is not valid UTF-8");
      } else {
        out.refuse(raw, kProblemCorrupt, "a damaged entry header: " + why);
      }
      refused = true;
    }
    refused = refuse_type(entry, raw, out) || refused;
    const bool is_file = libarchive().entry_filetype(entry) == AE_IFREG;
    std::optional<std::string> path;
    if (!refused) path = detail::check_name(raw, is_file ? EntryKind::file : EntryKind::directory, out.problems());

    // Every entry's data is decompressed here and counted (never trusting its header's size),
    // whatever its type: skipping it would decompress it uncounted.
    std::string content;
    for (;;) {
      const la_ssize_t n = libarchive().read_data(a, block.data(), block.size());
      if (n == 0) break;
      if (n < 0) {
        out.refuse(raw, kProblemCorrupt, "the archive is truncated or corrupt: " + handle.error());
        return;
      }
      if (!out.count_bytes(static_cast<std::uint64_t>(n), raw)) return;
      if (path && is_file) content.append(block.data(), static_cast<std::size_t>(n));
    }
    if (!path) continue;
    if (is_file) {
      out.add_file(std::move(*path), raw, std::move(content));
    } else {
      out.add_directory(*path, raw);
    }
  }
}

}  // namespace

Result<BundleFiles> read_bundle_archive(std::string_view bytes, const ArchiveLimits& limits, ArchiveReadStats* stats) {
  BundleCollector out(limits);
  if (!looks_like_gzip(bytes)) {
    out.refuse("", kProblemNotGzip, "is not a gzip-compressed tar (one gzip layer over a tar)");
    if (stats != nullptr) *stats = {};
    return std::move(out).finish();
  }
  try {
    libarchive();
  } catch (const SharedLibraryMissing& e) {
    return Error::internal(e.what());
  }
  const ScopedUtf8Ctype utf8;  // before the handle: libarchive reads the charset once per handle
  ArchiveReadHandle handle;
  if (handle.get() == nullptr) return Error::internal("archive_read_new failed");
  struct archive* a = handle.get();
  // Nothing else: no other compression, no zip/cpio/iso… and no "_all".
  if (libarchive().read_support_filter_gzip(a) != ARCHIVE_OK || libarchive().read_support_format_tar(a) != ARCHIVE_OK ||
      libarchive().read_support_format_gnutar(a) != ARCHIVE_OK) {
    return Error::internal("libarchive without gzip/tar support: " + handle.error());
  }
  if (libarchive().read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    out.refuse("", kProblemCorrupt, "the archive is truncated or corrupt: " + handle.error());
  } else {
    read_entries(handle, out);
  }
  if (stats != nullptr) {
    stats->entries = out.entries();
    stats->extracted_bytes = out.bytes();
    stats->input_bytes = static_cast<std::uint64_t>(std::max<la_int64_t>(0, libarchive().filter_bytes(a, -1)));
  }
  return std::move(out).finish();
}

}  // namespace weft::bundles
