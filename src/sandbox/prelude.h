// sandbox/prelude.h — owns access to prelude.js, the web globals written in JavaScript
// (TextEncoder/Decoder, URL, URLSearchParams, atob/btoa, DOMException) that every new sandbox
// context evaluates before the bundle. Embedded at build time (cmake/embed_text.cmake).
#pragma once

#include <string_view>

namespace weft::sandbox {

std::string_view prelude_source();

}  // namespace weft::sandbox
