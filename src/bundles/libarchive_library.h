// bundles/libarchive_library.h — owns libarchive's functions, loaded the first time a bundle
// archive is read, so a server that never receives an upload never maps libarchive (nor the XML
// and ICU libraries it pulls in). Only bundles/archive_reader.cpp calls libarchive, through this.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include "core/shared_library.h"

namespace weft::bundles {

#define WEFT_LIBARCHIVE_FUNCTIONS(X)                                                                    \
  X(archive_, read_new) X(archive_, read_free) X(archive_, error_string) X(archive_, read_support_filter_gzip) \
  X(archive_, read_support_format_tar) X(archive_, read_support_format_gnutar) X(archive_, read_open_memory)  \
  X(archive_, read_next_header) X(archive_, read_data) X(archive_, filter_count) X(archive_, filter_code)     \
  X(archive_, filter_bytes) X(archive_, entry_filetype) X(archive_, entry_hardlink) X(archive_, entry_pathname) \
  X(archive_, entry_sparse_count)

struct LibArchive {
  WEFT_LIBARCHIVE_FUNCTIONS(WEFT_LIBRARY_MEMBER)
  void resolve(const SharedLibrary& library) { WEFT_LIBARCHIVE_FUNCTIONS(WEFT_LIBRARY_RESOLVE) }
};

inline constexpr char kLibArchiveSoname[] = "libarchive.so.13";
inline constexpr char kLibArchiveEnv[] = "WEFT_LIBARCHIVE";  // another libarchive to load, when set

// libarchive, loaded once (thread-safe: $WEFT_LIBARCHIVE when set, else libarchive.so.13);
// throws SharedLibraryMissing. read_bundle_archive calls it first and answers the error.
const LibArchive& libarchive();

}  // namespace weft::bundles
