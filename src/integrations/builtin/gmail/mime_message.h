// integrations/builtin/gmail/mime_message.h — owns turning plain email fields into an RFC 5322
// message (MIME, CRLF, base64 bodies, RFC 2047 subjects). Pure: no I/O, no credentials. It
// refuses header injection: no header value may hold CR, LF or NUL.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace weft::integrations {

struct EmailMessage {
  std::vector<std::string> to, cc, bcc;
  std::string from;      // empty = let the sender's account fill it in
  std::string reply_to;  // empty = none
  std::string subject;
  std::optional<std::string> text;
  std::optional<std::string> html;
};

// The whole message with CRLF line endings. `boundary` separates the parts of a
// multipart/alternative body (used only when both text and html are set). Fails with
// "invalid_input" (details.field = "/subject", "/to/1", …) when a header value holds CR/LF/NUL.
Result<std::string> build_mime_message(const EmailMessage& message,
                                       std::chrono::system_clock::time_point date,
                                       std::string_view boundary);

// `text` as is when it is printable ASCII, else RFC 2047 "=?UTF-8?B?…?=" words (folded).
std::string encode_header_text(std::string_view text);

// "Tue, 01 Jul 2025 09:05:03 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point when);

// A boundary that cannot occur in base64 text: "weft-" and 24 random hex digits.
std::string random_boundary();

}  // namespace weft::integrations
