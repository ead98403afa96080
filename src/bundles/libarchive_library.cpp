#include "bundles/libarchive_library.h"

#include <cstdlib>

namespace weft::bundles {

const LibArchive& libarchive() {
  static const LibArchive functions = [] {
    const char* chosen = std::getenv(kLibArchiveEnv);
    static const SharedLibrary library(chosen != nullptr && *chosen != '\0' ? chosen : kLibArchiveSoname,
                                       "libarchive13");
    LibArchive loaded;
    loaded.resolve(library);
    return loaded;
  }();
  return functions;
}

}  // namespace weft::bundles
