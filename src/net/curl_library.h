// net/curl_library.h — owns libcurl's functions, loaded the first time outbound HTTP or a URL
// parse needs them, so `weft serve` and `weft worker` start without mapping libcurl and the ~40
// libraries it pulls in (TLS, Kerberos, LDAP, SSH). Only net/ calls libcurl, through this.
#pragma once

#include <curl/curl.h>

#include "core/result.h"
#include "core/shared_library.h"

namespace weft::net {

#define WEFT_CURL_FUNCTIONS(X)                                                                         \
  X(curl_, global_init) X(curl_, free) X(curl_, easy_init) X(curl_, easy_cleanup) X(curl_, easy_setopt) \
  X(curl_, easy_getinfo) X(curl_, easy_strerror) X(curl_, multi_init) X(curl_, multi_cleanup)            \
  X(curl_, multi_add_handle) X(curl_, multi_remove_handle) X(curl_, multi_perform) X(curl_, multi_poll)  \
  X(curl_, multi_info_read) X(curl_, slist_append) X(curl_, slist_free_all) X(curl_, url)                \
  X(curl_, url_cleanup) X(curl_, url_get) X(curl_, url_set)

struct CurlLibrary {
  WEFT_CURL_FUNCTIONS(WEFT_LIBRARY_MEMBER)
  void resolve(const SharedLibrary& library) { WEFT_CURL_FUNCTIONS(WEFT_LIBRARY_RESOLVE) }
};

inline constexpr char kCurlSoname[] = "libcurl.so.4";
inline constexpr char kCurlLibraryEnv[] = "WEFT_LIBCURL";  // another libcurl to load, when set

// Ok once libcurl is loaded (the first call loads it, thread-safe: $WEFT_LIBCURL when set, else
// libcurl.so.4); http_client_unavailable naming the library and its package when it cannot be.
// Every net/ entry point checks this before anything calls curl(), so none throws.
Status curl_available();

// libcurl's functions, globally initialised; only once curl_available() has succeeded.
const CurlLibrary& curl();

}  // namespace weft::net
