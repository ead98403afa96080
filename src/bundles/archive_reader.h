// bundles/archive_reader.h — owns reading a bundle's files safely: a .bundle.tar.gz held in
// memory (libarchive, gzip + tar only) or an unpacked bundle folder, under the extraction rules
// of issue 9 (DESIGN.md §3 "Bundle"). It never writes to the file system and never follows a
// link; it knows nothing of the manifest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bundles/bundle_files.h"
#include "core/result.h"

namespace weft::bundles {

// Problem.code of each extraction rule (details of a bundle_invalid error). Stable: the CLI,
// the API and tests compare them.
// Entry types (only regular files and directories are allowed):
inline constexpr char kProblemSymlink[] = "symlink";
inline constexpr char kProblemHardlink[] = "hardlink";
inline constexpr char kProblemDevice[] = "device_file";       // character or block device
inline constexpr char kProblemFifo[] = "fifo";
inline constexpr char kProblemSocket[] = "socket";
inline constexpr char kProblemSparse[] = "sparse_file";       // holes would be zeros we never counted as data
inline constexpr char kProblemUnsupportedType[] = "unsupported_type";
// Names:
inline constexpr char kProblemAbsolutePath[] = "absolute_path";
inline constexpr char kProblemPathTraversal[] = "path_traversal";   // a ".." segment
inline constexpr char kProblemNameNul[] = "name_nul";
inline constexpr char kProblemNameBackslash[] = "name_backslash";
inline constexpr char kProblemNameControl[] = "name_control";       // bytes 0x01–0x1f, 0x7f
inline constexpr char kProblemNameEncoding[] = "name_encoding";     // not valid UTF-8
inline constexpr char kProblemNameEmpty[] = "name_empty";           // "", ".", "./" for a file
inline constexpr char kProblemNameTooLong[] = "name_too_long";      // > kMaxPathBytes or kMaxPathSegments
inline constexpr char kProblemDuplicate[] = "duplicate_entry";      // same normalised path twice
inline constexpr char kProblemPathConflict[] = "path_conflict";     // "a" a file and "a/b" also present
inline constexpr char kProblemExtension[] = "file_extension";       // not .js .js.map .json .svg .png .jpg
// The stream (these stop reading):
inline constexpr char kProblemTooLarge[] = "extracted_too_large";
inline constexpr char kProblemTooManyEntries[] = "too_many_entries";
inline constexpr char kProblemNotGzip[] = "not_gzip";
inline constexpr char kProblemCorrupt[] = "archive_corrupt";        // truncated, bad checksum, bad gzip
inline constexpr char kProblemEmpty[] = "archive_empty";            // no file at all
// The folder reader only:
inline constexpr char kProblemUnreadable[] = "unreadable";

inline constexpr std::size_t kMaxPathBytes = 256;
inline constexpr std::size_t kMaxPathSegments = 32;

struct ArchiveLimits {
  std::size_t max_entries = 10'000;                  // entries of any type
  std::uint64_t max_extracted_bytes = 100ull << 20;  // sum of decompressed entry sizes
};

// What a read consumed (for tests and logs: a gzip bomb must stop early).
struct ArchiveReadStats {
  std::size_t entries = 0;            // entries seen, of any type
  std::uint64_t extracted_bytes = 0;  // entry bytes decompressed and counted
  std::uint64_t input_bytes = 0;      // compressed bytes libarchive consumed
};

// Reads a .bundle.tar.gz held in memory (one gzip layer over a ustar/pax/GNU tar, nothing
// else) into BundleFiles, never touching the file system. Entry bytes are counted as they are
// decompressed (never trusting a header's size), so reading stops just past the limit.
// Error: bundle_invalid listing every problem found — per-entry problems are all collected; a
// stream-level one (size, count, corrupt, not gzip) stops reading. Problem.path is the entry
// name as written, printable (see printable_name). `stats` (OUT, optional) says what was read.
// Thread-safe (no shared state).
//
// Names are libarchive's archive_entry_pathname: the archive's own bytes (no charset option is
// set, and ustar names are never converted; pax "path=" values are UTF-8 by the format), which
// must be valid UTF-8. libarchive hands names over as C strings, so a NUL ends a name: ustar
// fields are NUL-terminated by the format, and a pax "path=" value is cut at its NUL. The bytes
// after it are seen by no one (not us, not whoever reads the BundleFiles), so the name checked is
// exactly the name stored; kProblemNameNul is refused where a NUL can reach a check.
Result<BundleFiles> read_bundle_archive(std::string_view archive, const ArchiveLimits& limits = {},
                                        ArchiveReadStats* stats = nullptr);

// Reads an unpacked bundle folder under the same name, type, extension, count and size rules
// (Problem.path relative to `folder`). A symlink anywhere inside is refused, never followed
// (lstat, O_NOFOLLOW; the folder itself may be reached through links). Error: bundle_invalid,
// or not_found when `folder` does not exist or is not a directory.
Result<BundleFiles> read_bundle_directory(const std::string& folder, const ArchiveLimits& limits = {});

// `name` for printing in a Problem: control characters, backslashes and bytes that are not
// UTF-8 as \xNN (a backslash as \x5c), cut at kMaxPathBytes with "…".
std::string printable_name(std::string_view name);

}  // namespace weft::bundles
