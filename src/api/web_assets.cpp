#include "api/web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace weft::api {

namespace {

constexpr std::uint64_t kMaxDirBytes = 64ull << 20;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A path segment that is not a file name: "", ".", "..".
bool safe_relative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    const std::size_t slash = rel.find('/', start);
    const std::string_view seg = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == ".." || seg.find('\0') != std::string_view::npos) return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".map", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".jpg", "image/jpeg"},                  {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},                {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : types) {
    if (ends_with(path, ext)) return type;
  }
  return "application/octet-stream";
}

void add_security_headers(http::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

WebAssets WebAssets::embedded() {
  WebAssets out;
  for (const auto& [path, bytes] : embedded_web_files()) out.files_.emplace(std::string(path), File{{}, bytes});
  return out;
}

Result<WebAssets> WebAssets::from_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Error::make("not_found", "the web dir " + dir + " has no index.html (run npm run build in web/)");
  }
  WebAssets out;
  std::uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec || !safe_relative(rel)) continue;
    total += it->file_size();
    if (total > kMaxDirBytes) return Error::make("invalid_argument", "the web dir " + dir + " holds more than 64 MB");
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    File f;
    f.owned = ss.str();
    auto [pos, _] = out.files_.emplace(rel, std::move(f));
    pos->second.bytes = pos->second.owned;  // after the move into the map: the string no longer moves
  }
  if (ec) return Error::make("invalid_argument", "cannot read the web dir " + dir + ": " + ec.message());
  return out;
}

void WebAssets::serve(std::string_view path, http::Response& res) const {
  add_security_headers(res);
  std::string_view rel = path;
  if (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
  if (rel.empty()) rel = "index.html";
  // No ".." or "." segment, no empty one ("//x"): such a path names no file and no app route.
  if (!safe_relative(rel)) return not_found(res);
  auto it = files_.find(rel);
  const bool fallback = it == files_.end();
  if (fallback) {
    const std::size_t slash = rel.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
    // An app route (/workflows/wf_1) has no extension; a missing file (/assets/x.js) is a 404.
    if (last.find('.') != std::string_view::npos || (it = files_.find("index.html")) == files_.end()) {
      return not_found(res);
    }
  }
  const std::string_view name = fallback ? std::string_view("index.html") : rel;
  res.status = 200;
  // Vite names built assets by content hash: they never change under one name.
  res.set_header("Cache-Control", !fallback && name.rfind("assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                             : "no-cache");
  res.set_content(std::string(it->second.bytes), std::string(content_type_for(name)));
}

void not_found(http::Response& res) {
  res.status = 404;
  res.set_content(R"({"error":{"code":"not_found","message":"no such file or route"}})", "application/json");
}

}  // namespace weft::api
