#include "bundles/libarchive_library.h"

namespace weft::bundles {

const LibArchive& libarchive() {
  static const LibArchive functions = [] {
    static const SharedLibrary library(kLibArchiveSoname, "libarchive13");
    LibArchive loaded;
    loaded.resolve(library);
    return loaded;
  }();
  return functions;
}

}  // namespace weft::bundles
