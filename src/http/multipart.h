// http/multipart.h — owns reading a multipart/form-data request body (RFC 7578 over RFC 2046):
// the boundary of its Content-Type, and the parts as views into the body, in linear time.
// Knows nothing of Beast, routes or what a field means; never copies a part's content.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace weft::http {

// The one error code of this file: the Content-Type or the body is not valid multipart/form-data.
inline constexpr char kInvalidMultipart[] = "invalid_multipart";

struct MultipartPart {
  std::string name;          // the Content-Disposition name parameter (non-empty, valid UTF-8)
  std::string filename;      // its filename (filename*=UTF-8'' preferred); "" when absent
  std::string content_type;  // the part's Content-Type, bytes as sent (not checked); "" when absent
  std::string_view body;     // a view into the body given to parse_multipart: valid while it lives
};

struct MultipartLimits {
  std::size_t max_parts = 16;                  // a body with more parts is refused
  std::size_t max_part_header_bytes = 8 * 1024;  // each part's header block, without the blank line
};

// The boundary parameter of a "multipart/form-data; boundary=…" Content-Type (media type and
// parameter names case-insensitive, value quoted or not), checked against RFC 2046: 1–70
// characters of DIGIT ALPHA ' ( ) + _ , - . / : = ? and space, not ending in a space.
// Error kInvalidMultipart: another media type, no boundary, a bad or repeated one.
Result<std::string> multipart_boundary(std::string_view content_type);

// Splits `body` into its parts. Preamble and epilogue are ignored; line ends are CRLF only (curl
// and browsers never send anything else, and a bare LF would let "\n--boundary" inside binary
// content end a part early), so a bare LF in a delimiter line or part header is refused by name.
// Each part needs Content-Disposition: form-data with a name; header names are case-insensitive,
// values may be folded; quoted-strings undo \" and \\ (a backslash before anything else is kept,
// as browsers send Windows paths unescaped); filename*=UTF-8''… (RFC 5987) wins over filename.
// The closing delimiter is required. Work is linear in body.size(): the delimiter's only CR is
// its first byte, so the search never looks back after a mismatch, and header blocks are bounded. Results hold views into `body`: keep it alive while they are used.
// Error kInvalidMultipart, with a message naming the part and what is wrong.
Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                   const MultipartLimits& limits = {});

}  // namespace weft::http
