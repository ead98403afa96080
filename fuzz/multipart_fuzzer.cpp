// fuzz/multipart_fuzzer.cpp — libFuzzer target: an upload's Content-Type and body as
// POST /api/bundle-upload receives them, through multipart_boundary and parse_multipart.
//
// Input: byte 0 = limits (max_parts 1–8 from bits 0–2, max_part_header_bytes 32 << bits 3–5);
// then the Content-Type up to the first '\n'; the rest is the body. When the Content-Type is
// refused, the body is still parsed with boundary "b" so mutations reach the body parser.
// Aborts if: an error is not invalid_multipart, has no message or a message that is not valid
// UTF-8 for the JSON error body; a boundary accepted breaks RFC 2046; a result breaks a limit,
// has an empty name, or a part's body lies outside the input, overlaps another or holds a real
// delimiter; or the parts, written out again, do not parse back to the same names and bodies.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json.h"
#include "http/multipart.h"

namespace {

using namespace weft;
using namespace weft::http;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "multipart fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check_error(const Error& error) {
  if (error.code != kInvalidMultipart) fail("an error other than invalid_multipart", error.code);
  if (error.message.empty()) fail("an error without a message", "");
  try {
    (void)json{{"error", error.to_public_json()}}.dump();
  } catch (const std::exception& e) {
    fail("an error message that is not valid UTF-8", e.what());
  }
}

std::string escape_quoted(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void check_parts(std::string_view body, std::string_view boundary, const std::vector<MultipartPart>& parts,
                 const MultipartLimits& limits) {
  if (parts.size() > limits.max_parts) fail("more parts than max_parts", std::to_string(parts.size()));
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const char* previous_end = body.data();
  for (const MultipartPart& p : parts) {
    if (p.name.empty()) fail("a part without a name", "");
    if (p.body.data() < previous_end || p.body.data() + p.body.size() > body.data() + body.size()) {
      fail("a part body outside the input or overlapping the previous one", p.name);
    }
    previous_end = p.body.data() + p.body.size();
    // Inside a body, "\r\n--boundary" may only be content: followed by something other than
    // "--", padding + CRLF, a bare LF, or the end (each of which would have been a delimiter or an error).
    for (std::size_t at = p.body.find(delimiter); at != std::string_view::npos; at = p.body.find(delimiter, at + 1)) {
      std::string_view after = p.body.substr(at + delimiter.size());
      if (after.substr(0, 2) == "--") fail("a part body holds a closing delimiter", p.name);
      std::size_t i = after.find_first_not_of(" \t");
      if (i == std::string_view::npos || after[i] == '\n' || after.substr(i, 2) == "\r\n") {
        fail("a part body holds a delimiter", p.name);
      }
    }
  }
  // Written out again (names quoted, bodies as they are), the parts read back the same.
  std::string again;
  for (const MultipartPart& p : parts) {
    again += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" + escape_quoted(p.name) +
             "\"\r\n\r\n" + std::string(p.body) + "\r\n";
  }
  again += "--" + std::string(boundary) + "--\r\n";
  MultipartLimits roomy;
  roomy.max_parts = parts.size();
  roomy.max_part_header_bytes = 1 << 20;
  auto reparsed = parse_multipart(again, boundary, roomy);
  if (!reparsed.ok()) fail("the parts written out again are refused", reparsed.error().message);
  if (reparsed->size() != parts.size()) fail("the parts written out again are a different number", "");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if ((*reparsed)[i].name != parts[i].name || (*reparsed)[i].body != parts[i].body) {
      fail("a part written out again reads back differently", parts[i].name);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  MultipartLimits limits;
  limits.max_parts = 1 + (data[0] & 7);
  limits.max_part_header_bytes = std::size_t{32} << ((data[0] >> 3) & 7);
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = rest.find('\n');
  const std::string_view content_type = rest.substr(0, newline);
  // A copy with its own allocation, so ASan sees a read past the body.
  const std::string body(newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1));

  std::string boundary = "b";
  auto b = multipart_boundary(content_type);
  if (b.ok()) {
    boundary = *b;
    const bool bchars = boundary.find_first_not_of(
                            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ") ==
                        std::string::npos;
    if (boundary.empty() || boundary.size() > 70 || !bchars || boundary.back() == ' ') {
      fail("an accepted boundary breaks RFC 2046", boundary);
    }
  } else {
    check_error(b.error());
  }
  auto parts = parse_multipart(body, boundary, limits);
  if (parts.ok()) {
    check_parts(body, boundary, *parts, limits);
  } else {
    check_error(parts.error());
  }
  return 0;
}
