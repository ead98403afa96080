// core/assert.h — owns WEFT_ASSERT: a check of our own invariants, on in every build.
// A failed assert is a bug in Weft, never a user error: it logs file:line and aborts.
#pragma once

namespace weft::detail {
[[noreturn]] void assert_failed(const char* expr, const char* file, int line);
}

#define WEFT_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::weft::detail::assert_failed(#cond, __FILE__, __LINE__))
