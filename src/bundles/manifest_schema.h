// bundles/manifest_schema.h — owns the text of manifest.schema.json, embedded into the library at
// build time (cmake/embed_text.cmake) so the binary needs no file beside it. Only the text: it
// is compiled by manifest.h's manifest_schema() and served as is by the API.
#pragma once

#include <string_view>

namespace weft::bundles {

// The JSON Schema (draft 7) of manifest.json, byte for byte as in src/bundles/manifest.schema.json.
// Valid for the life of the process.
std::string_view manifest_schema_text();

}  // namespace weft::bundles
