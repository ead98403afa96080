#include "sandbox/v8_platform.h"

#include <memory>
#include <mutex>

#include <node.h>
#include <v8.h>

namespace weft::sandbox {

node::MultiIsolatePlatform& v8_platform() {
  // Leaked on purpose: isolates may still be disposed during static destruction order chaos,
  // and V8 cannot be re-initialised after V8::Dispose anyway.
  static node::MultiIsolatePlatform* platform = [] {
    // Flags must be set before V8::Initialize. WebAssembly is not exposed to bundle code, and
    // eval/new Function are refused in every context (also set per context).
    static const char kFlags[] =
        "--no-expose-wasm --disallow-code-generation-from-strings";
    v8::V8::SetFlagsFromString(kFlags, sizeof(kFlags) - 1);
    std::unique_ptr<node::MultiIsolatePlatform> p = node::MultiIsolatePlatform::Create(2);
    v8::V8::InitializePlatform(p.get());
    v8::V8::Initialize();
    return p.release();
  }();
  return *platform;
}

}  // namespace weft::sandbox
