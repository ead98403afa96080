// vault/sodium_init.h — owns libsodium start-up for the vault: sodium_init() runs exactly once
// per process before any vault code touches libsodium. Internal to src/vault; not a public API.
#pragma once

#include <sodium.h>

#include "core/assert.h"

namespace weft::vault::detail {

// Initialises libsodium on first call (thread-safe static); aborts if it cannot start.
inline void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  WEFT_ASSERT(ready);
}

}  // namespace weft::vault::detail
