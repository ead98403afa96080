// core/shared_library.h — owns loading a shared library when it is first needed (dlopen) and
// finding its functions, so a process maps a heavy library (and everything it pulls in) only if it
// uses it. Knows nothing of any particular library: net/curl_library.h and
// bundles/libarchive_library.h list the functions they need. Never unloads (the handle lives until
// the process ends, like a library linked at build time).
#pragma once

#include <stdexcept>
#include <string>

namespace weft {

// The library is not installed, or lacks a function this build needs. The message names the
// library, the function and the loader's reason, and says which package provides it.
class SharedLibraryMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SharedLibrary {
 public:
  // Loads `soname` (e.g. "libcurl.so.4"); throws SharedLibraryMissing, naming `package`.
  SharedLibrary(const char* soname, const char* package);
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of `name`; throws SharedLibraryMissing when the library has no such symbol.
  void* symbol(const char* name) const;

  // Whether `soname` is mapped into this process right now (without loading it).
  static bool is_loaded(const char* soname);

 private:
  void* handle_;
  std::string soname_;
  std::string package_;
};

// Declares one member per function of a C library, typed from its header:
//   #define WEFT_CURL_FUNCTIONS(X) X(curl_, easy_init) X(curl_, easy_cleanup)
//   struct Curl {
//     WEFT_CURL_FUNCTIONS(WEFT_LIBRARY_MEMBER)
//     void resolve(const SharedLibrary& library) { WEFT_CURL_FUNCTIONS(WEFT_LIBRARY_RESOLVE) }
//   };  // then curl.easy_init(...)
// Members drop the prefix, so a header's function-like macro of the same name (libcurl's
// type-checking curl_easy_setopt) does not capture the call.
#define WEFT_LIBRARY_MEMBER(prefix, name) decltype(&::prefix##name) name = nullptr;
#define WEFT_LIBRARY_RESOLVE(prefix, name) \
  name = reinterpret_cast<decltype(&::prefix##name)>(library.symbol(#prefix #name));

}  // namespace weft
