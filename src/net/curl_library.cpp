#include "net/curl_library.h"

#include <cstdlib>

namespace weft::net {

const CurlLibrary& curl() {
  static const CurlLibrary functions = [] {
    const char* chosen = std::getenv(kCurlLibraryEnv);
    static const SharedLibrary library(chosen != nullptr && *chosen != '\0' ? chosen : kCurlSoname, "libcurl4");
    CurlLibrary loaded;
    loaded.resolve(library);
    loaded.global_init(CURL_GLOBAL_DEFAULT);
    return loaded;
  }();
  return functions;
}

Status curl_available() {
  try {
    (void)curl();
    return {};
  } catch (const SharedLibraryMissing& e) {
    return Error::make("http_client_unavailable", e.what());
  }
}

}  // namespace weft::net
