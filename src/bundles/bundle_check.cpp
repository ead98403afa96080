#include "bundles/bundle_check.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace weft::bundles {

namespace {

std::string kib(std::size_t bytes) { return std::to_string(bytes / 1024) + " KiB"; }

// Reads one JSON file of the bundle: a problem for each of missing / too large / not JSON.
std::optional<json> read_json_file(const BundleFiles& files, const char* path, std::size_t max_bytes,
                                   const char* missing_code, const char* too_large_code, const char* not_json_code,
                                   std::vector<Problem>& problems) {
  const std::string* text = files.find(path);
  if (!text) {
    problems.push_back({path, missing_code, "is missing; every bundle holds one (weft-bundle build writes it)"});
    return std::nullopt;
  }
  if (text->size() > max_bytes) {
    problems.push_back({path, too_large_code, "is " + kib(text->size()) + "; at most " + kib(max_bytes) + " is accepted"});
    return std::nullopt;
  }
  auto parsed = parse_json(*text);
  if (!parsed.ok()) {
    problems.push_back({path, not_json_code, "is not valid JSON: " + parsed.error().message});
    return std::nullopt;
  }
  return std::move(parsed).take();
}

bool is_url_icon(const std::string& icon) { return icon.rfind("https:", 0) == 0 || icon.rfind("data:", 0) == 0; }

template <typename T>
void append(std::vector<T>& to, std::vector<T>&& from) {
  for (auto& item : from) to.push_back(std::move(item));
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong three-byte forms
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong four-byte forms
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;  // a continuation byte, C0/C1 (overlong), or F5..FF
    }
    if (n - i < len) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Result<CheckedBundle> check_bundle(const BundleFiles& files) {
  std::vector<Problem> problems;
  CheckedBundle out;

  if (auto manifest = read_json_file(files, kManifestFile, kMaxManifestBytes, kManifestMissing, kManifestTooLarge,
                                     kManifestNotJson, problems)) {
    append(problems, check_manifest(*manifest, out.manifest));
    const std::string& icon = out.manifest.icon;
    const std::string icon_path = manifest_path("/icon");
    const bool icon_refused =
        std::any_of(problems.begin(), problems.end(), [&](const Problem& p) { return p.path == icon_path; });
    if (!icon.empty() && !icon_refused && !is_url_icon(icon) && !files.find(icon)) {
      problems.push_back({icon_path, kIconMissing,
                          "'" + icon + "' is not a file of the bundle; use a bundle path such as assets/icon.svg, "
                          "or an https: or data: URL"});
    }
  }

  if (const std::string* code = files.find(kCodeFile); !code) {
    problems.push_back({kCodeFile, kCodeMissing, "is missing; it holds the bundle's code (weft-bundle build writes it)"});
  } else if (code->empty()) {
    problems.push_back({kCodeFile, kCodeEmpty, "is empty; it must export default defineVendor({ … })"});
  } else if (!is_valid_utf8(*code)) {
    problems.push_back({kCodeFile, kCodeNotUtf8, "is not valid UTF-8 text"});
  } else {
    out.source = *code;
  }

  if (auto sbom = read_json_file(files, kSbomFile, kMaxSbomBytes, kSbomMissing, kSbomTooLarge, kSbomNotJson, problems)) {
    append(problems, check_sbom(*sbom, out.sbom));
    out.sbom_json = std::move(*sbom);
  }

  if (!problems.empty()) return invalid_bundle(problems);
  return out;
}

}  // namespace weft::bundles
