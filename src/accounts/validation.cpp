// Account input rules over UTF-8 code points.
#include "accounts/validation.h"

#include <optional>
#include <vector>

namespace weft::accounts {
namespace {

// The code points of `text`, or nothing when it is not valid UTF-8 (overlongs and surrogates
// included).
std::optional<std::vector<char32_t>> decode_utf8(const std::string& text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) { cp = b0; }
    else if ((b0 & 0xE0) == 0xC0) { cp = b0 & 0x1F; extra = 1; }
    else if ((b0 & 0xF0) == 0xE0) { cp = b0 & 0x0F; extra = 2; }
    else if ((b0 & 0xF8) == 0xF0) { cp = b0 & 0x07; extra = 3; }
    else return std::nullopt;
    if (i + static_cast<std::size_t>(extra) >= text.size()) return std::nullopt;  // truncated
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool is_space(char32_t cp) {
  return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

Error invalid(const char* field, std::string message) {
  return Error::make("invalid_input", std::move(message), {{"field", field}});
}

}  // namespace

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

Result<std::string> normalize_email(const std::string& email) {
  const char* const shape = "enter an email address like name@example.com";
  if (email.empty() || email.size() > kMaxEmailBytes) {
    return invalid("email", "an email address has 1 to 254 characters");
  }
  auto cps = decode_utf8(email);
  if (!cps) return invalid("email", shape);
  for (char32_t cp : *cps) {
    if (is_control(cp) || is_space(cp)) return invalid("email", "an email address may not contain spaces");
  }
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() || email.find('@', at + 1) != std::string::npos) {
    return invalid("email", shape);
  }
  return lower_ascii(email);
}

Status check_password(const std::string& password) {
  if (password.size() > kMaxPasswordBytes) {
    return invalid("password", "a password may be at most 1024 bytes long");
  }
  auto cps = decode_utf8(password);
  if (!cps) return invalid("password", "a password must be valid UTF-8 text");
  if (cps->size() < kMinPasswordChars) {
    return invalid("password", "a password needs at least 10 characters");
  }
  return {};
}

namespace {

Result<std::string> display_name(const std::string& name, const char* field, const std::string& label) {
  const auto first = name.find_first_not_of(" \t\r\n");
  const std::string trimmed =
      first == std::string::npos ? "" : name.substr(first, name.find_last_not_of(" \t\r\n") - first + 1);
  auto cps = decode_utf8(trimmed);
  if (!cps) return invalid(field, label + " must be valid UTF-8 text");
  if (cps->empty() || cps->size() > kMaxNameChars) return invalid(field, label + " has 1 to 100 characters");
  for (char32_t cp : *cps) {
    if (is_control(cp)) return invalid(field, label + " may not contain control characters");
  }
  return trimmed;
}

}  // namespace

Result<std::string> normalize_org_name(const std::string& name) {
  return display_name(name, "name", "an organization name");
}

Result<std::string> normalize_token_name(const std::string& name) {
  return display_name(name, "name", "a token name");
}

}  // namespace weft::accounts
