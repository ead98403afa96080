// sandbox/v8_platform.h — owns the process-wide V8 + node platform (initialised once, never
// torn down). Only src/sandbox uses it; nothing outside the sandbox names V8.
#pragma once

namespace node {
class MultiIsolatePlatform;
}

namespace weft::sandbox {

// The platform, initialised on first use with Weft's V8 flags (--no-expose-wasm,
// --disallow-code-generation-from-strings, …). Thread-safe; the reference lives until exit.
node::MultiIsolatePlatform& v8_platform();

}  // namespace weft::sandbox
