#include "integrations/builtin/gmail/mime_message.h"

#include <ctime>
#include <random>

#include "integrations/builtin/action_support.h"

namespace weft::integrations {

namespace {

constexpr std::size_t kBase64LineLength = 76;
// Bytes of UTF-8 per encoded word: 45 bytes → 60 base64 chars + 12 of "=?UTF-8?B??=" = 72.
constexpr std::size_t kEncodedWordBytes = 45;
constexpr std::size_t kFoldAt = 76;

bool has_line_break(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Length of the UTF-8 character starting with byte `c` (1 for anything unexpected).
std::size_t utf8_char_length(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// "Name: a, b, c\r\n", folded onto continuation lines so no line grows past ~76 chars.
std::string address_header(std::string_view name, const std::vector<std::string>& addresses) {
  std::string out(name);
  out += ": ";
  std::size_t line_length = out.size();
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string& address = addresses[i];
    if (i > 0) {
      if (line_length + 2 + address.size() > kFoldAt) {
        out += ",\r\n ";
        line_length = 1;
      } else {
        out += ", ";
        line_length += 2;
      }
    }
    out += address;
    line_length += address.size();
  }
  return out + "\r\n";
}

// `text` with every line break as CRLF (the canonical form a text part is encoded from).
std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// A text part's headers and base64 body, lines of at most 76 characters.
std::string body_part(std::string_view media_type, std::string_view content) {
  std::string out = "Content-Type: " + std::string(media_type) + "; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string encoded = base64_encode(to_crlf(content));
  for (std::size_t i = 0; i < encoded.size(); i += kBase64LineLength) {
    out += encoded.substr(i, kBase64LineLength);
    out += "\r\n";
  }
  return out;
}

Status check_header(std::string_view value, const std::string& field) {
  if (!has_line_break(value)) return {};
  return Error::make("invalid_input",
                     "'" + field.substr(1) + "' must not contain line breaks (CR or LF)",
                     {{"field", field}});
}

Status check_addresses(const std::vector<std::string>& list, const std::string& field) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_TRY(check_header(list[i], field + "/" + std::to_string(i)));
  }
  return {};
}

}  // namespace

std::string encode_header_text(std::string_view text) {
  bool plain = true;
  for (unsigned char c : text) plain = plain && c >= 0x20 && c < 0x7f;
  if (plain && text.find("=?") == std::string_view::npos) return std::string(text);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    // Take whole characters only, so no word splits a UTF-8 sequence.
    std::size_t end = start;
    while (end < text.size()) {
      const std::size_t len = utf8_char_length(static_cast<unsigned char>(text[end]));
      if (end + len - start > kEncodedWordBytes) break;
      end += len;
    }
    if (end == start) end = std::min(text.size(), start + 1);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string random_boundary() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out = "weft-";
  for (int i = 0; i < 24; ++i) out += kHex[device() % 16];
  return out;
}

Result<std::string> build_mime_message(const EmailMessage& message,
                                       std::chrono::system_clock::time_point date,
                                       std::string_view boundary) {
  WEFT_TRY(check_addresses(message.to, "/to"));
  WEFT_TRY(check_addresses(message.cc, "/cc"));
  WEFT_TRY(check_addresses(message.bcc, "/bcc"));
  WEFT_TRY(check_header(message.subject, "/subject"));
  WEFT_TRY(check_header(message.from, "/from"));
  WEFT_TRY(check_header(message.reply_to, "/replyTo"));

  std::string out = "MIME-Version: 1.0\r\n";
  out += "Date: " + rfc5322_date(date) + "\r\n";
  if (!message.from.empty()) out += "From: " + message.from + "\r\n";
  out += address_header("To", message.to);
  if (!message.cc.empty()) out += address_header("Cc", message.cc);
  if (!message.bcc.empty()) out += address_header("Bcc", message.bcc);
  if (!message.reply_to.empty()) out += "Reply-To: " + message.reply_to + "\r\n";
  out += "Subject: " + encode_header_text(message.subject) + "\r\n";

  if (message.text && message.html) {
    const std::string b(boundary);
    out += "Content-Type: multipart/alternative; boundary=\"" + b + "\"\r\n\r\n";
    out += "--" + b + "\r\n" + body_part("text/plain", *message.text);
    out += "--" + b + "\r\n" + body_part("text/html", *message.html);
    out += "--" + b + "--\r\n";
  } else if (message.html) {
    out += body_part("text/html", *message.html);
  } else {
    out += body_part("text/plain", message.text.value_or(""));
  }
  return out;
}

}  // namespace weft::integrations
