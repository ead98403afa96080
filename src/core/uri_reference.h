// core/uri_reference.h — owns RFC 3986 reference resolution (§5.2) for identifiers such as JSON
// Schema's $id and $ref. Pure string work: no regex, no network, linear in the input.
#pragma once

#include <string>
#include <string_view>

namespace weft {

// `ref` resolved against `base` (RFC 3986 §5.2.2, with dot-segment removal). When `base` has no
// scheme (a document without an absolute URI), `ref` is returned as written, fragment included.
std::string resolve_uri_reference(std::string_view base, std::string_view ref);

// `uri` without its "#fragment".
std::string_view strip_fragment(std::string_view uri);

}  // namespace weft
