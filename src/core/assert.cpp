#include "core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace weft::detail {

void assert_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "weft: assertion failed: %s at %s:%d\n", expr, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace weft::detail
