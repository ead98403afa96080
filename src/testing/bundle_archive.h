// testing/bundle_archive.h — owns building bundle archives in test code (valid and hostile), so
// no test needs a binary fixture: libarchive's writer for what it can express, hand-built tar
// and gzip bytes for what it refuses to write. Test-only: never linked into the weft binary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::testing {

enum class EntryType { file, directory, symlink, hardlink, char_device, block_device, fifo, socket };

struct ArchiveEntry {
  std::string path;         // written as is (libarchive's writer may still refuse odd bytes)
  std::string content;      // file data (files only)
  EntryType type = EntryType::file;
  std::string link_target;  // symlink / hardlink target
};

enum class TarFormat { pax_restricted, ustar, gnutar };

// An uncompressed tar of `entries`, in that order, made by libarchive's writer. Throws
// std::runtime_error if the writer refuses an entry.
std::string build_tar(const std::vector<ArchiveEntry>& entries, TarFormat format = TarFormat::pax_restricted);
// build_tar, gzip-compressed by libarchive's gzip filter: a .bundle.tar.gz.
std::string build_tar_gz(const std::vector<ArchiveEntry>& entries, TarFormat format = TarFormat::pax_restricted);

// `data` as one gzip member (libarchive's gzip filter over the raw format).
std::string gzip(std::string_view data);

// A .tar.gz holding `files` regular files named `<prefix><i>.js`, each of `file_size` zero
// bytes, compressed in 1 MiB chunks: a gzip bomb of files * file_size bytes that never holds
// more than one chunk uncompressed in memory (1 GiB of zeros is about 1 MiB compressed).
std::string gzip_bomb(std::uint64_t file_size, std::size_t files = 1, std::string_view prefix = "dist/bomb");

// --- Raw bytes, for what libarchive's writer refuses to produce ---

// One 512-byte ustar header with any bytes in `name` (at most 100, NUL, backslash, control
// characters included), typeflag ('0' file, '1' hard link, '2' symlink, '5' directory, 'x' pax
// extended header…), the declared size, a correct checksum.
std::string ustar_header(std::string_view name, char typeflag, std::uint64_t size, std::string_view linkname = {});
// ustar_header for a file plus its content padded to 512 bytes.
std::string ustar_file(std::string_view name, std::string_view content);
// A pax extended header ('x') carrying the record "path=<path>" (any bytes), for the entry after it.
std::string pax_path_header(std::string_view path);
// The end-of-archive marker: two zero blocks.
std::string tar_end();

// `s` without its last `cut` bytes (a truncated stream).
std::string truncated(std::string_view s, std::size_t cut);
// Bytes that start like a zip file ("PK\3\4…"), not a gzip stream.
std::string zip_like_stream();

// A minimal valid bundle: manifest.json (vendor "acme", one tool "acme.ping"),
// dist/index.js (defineVendor), meta/sbom.cdx.json (CycloneDX 1.6, as sdk/lib/sbom.mjs writes
// it) and assets/icon.svg, with directory entries for dist/, meta/ and assets/.
std::vector<ArchiveEntry> valid_bundle_entries();

}  // namespace weft::testing
