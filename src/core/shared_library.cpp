#include "core/shared_library.h"

#include <dlfcn.h>

namespace weft {

SharedLibrary::SharedLibrary(const char* soname, const char* package)
    : handle_(dlopen(soname, RTLD_NOW | RTLD_LOCAL)), soname_(soname), package_(package) {
  if (handle_ == nullptr) {
    const char* why = dlerror();
    throw SharedLibraryMissing(soname_ + " could not be loaded (" + (why != nullptr ? why : "unknown reason") +
                               "); install the " + package_ + " package");
  }
}

void* SharedLibrary::symbol(const char* name) const {
  dlerror();
  void* address = dlsym(handle_, name);
  if (address == nullptr) {
    throw SharedLibraryMissing(soname_ + " has no function " + name + "; install a newer " + package_ + " package");
  }
  return address;
}

bool SharedLibrary::is_loaded(const char* soname) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  dlclose(handle);  // drops only the reference RTLD_NOLOAD just took
  return true;
}

}  // namespace weft
