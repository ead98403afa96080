// api/web_assets.h — owns the web app's built files (web/dist) as the server serves them:
// embedded in the binary at build time, or read from a folder at start (--web-dir, for
// development), and the answer for a browser's GET of a non-/api path: the file, or index.html
// for an app route (SPA fallback), with cache and security headers. Knows no route or session.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace weft::api {

// The files embedded at build time (cmake/embed_web.cmake): path relative to web/dist → bytes.
// Empty when the web app was not built into this binary.
std::vector<std::pair<std::string_view, std::string_view>> embedded_web_files();

class WebAssets {
 public:
  WebAssets() = default;
  WebAssets(WebAssets&&) = default;
  WebAssets& operator=(WebAssets&&) = default;
  WebAssets(const WebAssets&) = delete;  // views point into this object's own strings
  WebAssets& operator=(const WebAssets&) = delete;

  // The embedded files.
  static WebAssets embedded();
  // Every regular file under `dir` (≤ 64 MB in all), read now. Errors: not_found (no
  // index.html), invalid_argument (too big).
  static Result<WebAssets> from_dir(const std::string& dir);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }

  // Answers a GET of `path` (percent-decoded, not under /api): the file when there is one;
  // index.html when the path looks like an app route (no file extension in its last segment);
  // a JSON 404 (not_found) otherwise, and for any path with a ".", ".." or empty segment.
  // Hashed assets (under assets/) are cached for a year, everything else is revalidated. Every answer carries the security headers (add_security_headers).
  void serve(std::string_view path, http::Response& res) const;

 private:
  struct File {
    std::string owned;        // from_dir only
    std::string_view bytes;   // into `owned` or the binary's .rodata
  };
  std::map<std::string, File, std::less<>> files_;
};

// The Content-Security-Policy and the other headers every web page gets: scripts, styles,
// images and connections from this origin only (data: images for icons), no inline script, no
// eval, no framing, no referrer to other sites, no MIME sniffing.
void add_security_headers(http::Response& res);

// The web app's 404: the API's JSON error shape (not_found), so every 404 reads the same.
void not_found(http::Response& res);

// "text/html; charset=utf-8", "text/javascript; charset=utf-8", … by file extension.
std::string_view content_type_for(std::string_view path);

}  // namespace weft::api
