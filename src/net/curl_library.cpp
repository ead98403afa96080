#include "net/curl_library.h"

namespace weft::net {

const CurlLibrary& curl() {
  static const CurlLibrary functions = [] {
    static const SharedLibrary library(kCurlSoname, "libcurl4");
    CurlLibrary loaded;
    loaded.resolve(library);
    loaded.global_init(CURL_GLOBAL_DEFAULT);
    return loaded;
  }();
  return functions;
}

}  // namespace weft::net
