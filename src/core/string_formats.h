// core/string_formats.h — owns the JSON Schema `format` checks Weft enforces, written by hand:
// one linear pass over the value, no regular expression, no recursion, whatever its length.
// Formats not listed here are annotations only (JSON Schema draft 7 §7.2) and always pass.
#pragma once

#include <string_view>

namespace weft {

// True for the formats check_string_format enforces: date, time, date-time (RFC 3339 §5.6),
// email (RFC 5321 dot-atom mailbox, no quoted local parts or address literals), hostname
// (RFC 1123), ipv4, ipv6 (RFC 4291 text form, no zone), uri and uri-reference (RFC 3986),
// json-pointer (RFC 6901).
bool is_checked_format(std::string_view format);

// True when `value` is valid for `format`; true as well for a format that is not checked.
bool check_string_format(std::string_view format, std::string_view value);

}  // namespace weft
