#include "integrations/builtin/action_support.h"

#include <algorithm>
#include <cctype>

namespace weft::integrations {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Length of the valid UTF-8 sequence at the start of `text`, or 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < len) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return len;
}

}  // namespace

Result<JsonSchema> schema_from_text(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed.ok()) {
    return Error::make("invalid_schema", "a built-in schema literal is not valid JSON");
  }
  return JsonSchema::compile_on_first_use(std::move(parsed).take());
}

json json_or_null(std::string_view text) {
  auto parsed = parse_json(text);
  return parsed.ok() ? std::move(parsed).take() : json(nullptr);
}

Status register_provider(catalog::Catalog& catalog, catalog::Provider provider,
                         std::vector<Result<catalog::Action>> actions) {
  catalog.add_provider(provider);
  for (auto& action : actions) {
    if (!action.ok()) return action.error();
    catalog::Action a = std::move(action).take();
    if (a.display.icon.empty()) a.display.icon = provider.icon;
    if (a.display.category.empty()) a.display.category = provider.category;
    WEFT_TRY(catalog.add(std::move(a)));
  }
  return {};
}

std::string svg_data_uri(std::string_view svg) {
  return "data:image/svg+xml;base64," + base64_encode(svg);
}

Result<std::string> credential_token(const catalog::ActionContext& ctx, std::string_view key) {
  std::string token = ctx.auth != nullptr ? ctx.auth->token() : std::string();
  if (token.empty()) {
    return Error::make(
        "credential_required",
        std::string(key) + " needs a connected account: bind a credential to the step");
  }
  return token;
}

net::HttpRequest step_request(const catalog::ActionContext& ctx, const BuiltinOptions& options,
                              std::string method, std::string url, std::int64_t timeout_ms) {
  net::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.timeout_ms = std::min(timeout_ms, ctx.remaining_ms());
  request.max_response_bytes = options.http_max_response_bytes;
  request.max_redirects = options.http_max_redirects;
  request.cancel = &ctx.cancel;
  return request;
}

Result<net::HttpResponse> perform_with_credential(const BuiltinOptions& options,
                                                  const net::CredentialBinding& binding,
                                                  net::HttpRequest request) {
  WEFT_TRY_ASSIGN(const net::EgressPolicy policy, options.outbound().with_credential(binding));
  return net::perform_with_policy(std::move(request), policy);
}

Result<net::HttpResponse> perform_without_credential(const BuiltinOptions& options,
                                                     net::HttpRequest request) {
  return net::perform_with_policy(std::move(request), options.outbound().without_credential());
}

bool is_http_url(std::string_view url) {
  const std::string head = lower(url.substr(0, 8));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(base) + "/" + std::string(path);
}

std::string url_origin(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const auto authority_start = scheme_end + 3;
  auto authority = url.substr(authority_start);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return lower(url.substr(0, authority_start)) + std::string(authority);
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

bool is_json_content_type(std::string_view content_type) {
  std::string media = lower(content_type.substr(0, content_type.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  while (!media.empty() && media.front() == ' ') media.erase(media.begin());
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

std::string base64_encode(std::string_view bytes, Base64Alphabet alphabet) {
  const char* table = alphabet == Base64Alphabet::standard
                          ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i < bytes.size()) {
    auto n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  while (!text.empty()) {
    const std::size_t len = utf8_sequence_length(text);
    if (len == 0) return false;
    text.remove_prefix(len);
  }
  return true;
}

std::string safe_utf8_prefix(std::string_view text, std::size_t max_bytes) {
  std::string out;
  while (!text.empty()) {
    std::size_t len = utf8_sequence_length(text);
    const bool valid = len != 0;
    if (!valid) len = 1;
    if (out.size() + len > max_bytes) break;
    if (valid) {
      out.append(text.substr(0, len));
    } else {
      out += '?';
    }
    text.remove_prefix(len);
  }
  return out;
}

std::string string_field(const json& object, const char* key, std::string fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

json headers_to_json(const net::Headers& headers) {
  json out = json::object();
  for (const auto& [name, raw] : headers) {
    const std::string value = safe_utf8_prefix(raw, raw.size());
    const std::string key = safe_utf8_prefix(name, name.size());
    if (out.contains(key)) {
      out[key] = out[key].get<std::string>() + ", " + value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

}  // namespace weft::integrations
