#include "bundles/entry_rules.h"

#include <array>
#include <cstdio>

namespace weft::bundles {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c == 0xe0) n = 3, lo = 0xa0;
  else if (c == 0xed) n = 3, hi = 0x9f;
  else if (c >= 0xe1 && c <= 0xef) n = 3;
  else if (c == 0xf0) n = 4, lo = 0x90;
  else if (c >= 0xf1 && c <= 0xf3) n = 4;
  else if (c == 0xf4) n = 4, hi = 0x8f;
  else return 0;
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return n;
}

bool is_control(unsigned char c) { return (c >= 0x01 && c < 0x20) || c == 0x7f; }

}  // namespace

std::string printable_name(std::string_view name) {
  const bool cut = name.size() > kMaxPathBytes;
  if (cut) name = name.substr(0, kMaxPathBytes);
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const std::size_t n = utf8_sequence(name, i);
    if (n == 0 || c == 0 || is_control(c) || c == '\\') {
      std::array<char, 5> hex{};
      std::snprintf(hex.data(), hex.size(), "\\x%02x", c);
      out += hex.data();
      ++i;
    } else {
      out.append(name.substr(i, n));
      i += n;
    }
  }
  if (cut) out += "…";
  return out;
}

namespace detail {

bool allowed_extension(std::string_view path) {
  static constexpr std::array<std::string_view, 6> kAllowed{".js", ".js.map", ".json", ".svg", ".png", ".jpg"};
  for (std::string_view ext : kAllowed) {
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext &&
        path[path.size() - ext.size() - 1] != '/') {
      return true;
    }
  }
  return false;
}

std::optional<std::string> check_name(std::string_view raw, EntryKind kind, std::vector<Problem>& problems) {
  const std::size_t before = problems.size();
  const auto refuse = [&](const char* code, std::string message) {
    problems.push_back({printable_name(raw), code, std::move(message)});
  };
  if (raw.size() > kMaxPathBytes) {
    refuse(kProblemNameTooLong, "name is longer than " + std::to_string(kMaxPathBytes) + " bytes");
    return std::nullopt;  // nothing else is checked in a name this long: messages stay small
  }
  bool nul = false, control = false, backslash = false, encoding = false;
  for (std::size_t i = 0; i < raw.size();) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    nul |= c == 0;
    control |= is_control(c);
    backslash |= c == '\\';
    const std::size_t n = utf8_sequence(raw, i);
    encoding |= n == 0;
    i += n == 0 ? 1 : n;
  }
  if (nul) refuse(kProblemNameNul, "name holds a NUL byte");
  if (control) refuse(kProblemNameControl, "name holds a control character");
  if (backslash) refuse(kProblemNameBackslash, "name holds a backslash; use / between folders");
  if (encoding) refuse(kProblemNameEncoding, "name is not valid UTF-8");
  if (!raw.empty() && raw.front() == '/') refuse(kProblemAbsolutePath, "is an absolute path; names are relative to the bundle");

  std::string normalised;
  std::size_t segments = 0;
  bool traversal = false;
  for (std::size_t start = 0; start <= raw.size();) {
    std::size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view segment = raw.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") traversal = true;
    if (!normalised.empty()) normalised += '/';
    normalised.append(segment);
    ++segments;
  }
  if (traversal) refuse(kProblemPathTraversal, "holds a \"..\" segment; names must stay inside the bundle");
  if (segments > kMaxPathSegments) {
    refuse(kProblemNameTooLong, "name has more than " + std::to_string(kMaxPathSegments) + " segments");
  }
  if (kind == EntryKind::file) {
    if (normalised.empty()) {
      refuse(kProblemNameEmpty, "a file without a name");
    } else if (!allowed_extension(normalised)) {
      refuse(kProblemExtension, "is not a .js, .js.map, .json, .svg, .png or .jpg file");
    }
  }
  if (problems.size() != before) return std::nullopt;
  return normalised;
}

bool BundleCollector::count_entry(std::string_view raw_name) {
  if (++entries_ <= limits_.max_entries) return true;
  problems_.push_back({printable_name(raw_name), kProblemTooManyEntries,
                       "the archive holds more than " + std::to_string(limits_.max_entries) + " entries"});
  return false;
}

bool BundleCollector::count_bytes(std::uint64_t n, std::string_view raw_name) {
  bytes_ += n;
  if (bytes_ <= limits_.max_extracted_bytes) return true;
  problems_.push_back({printable_name(raw_name), kProblemTooLarge,
                       "the files hold more than " + std::to_string(limits_.max_extracted_bytes) + " bytes in total"});
  return false;
}

void BundleCollector::refuse(std::string_view raw_name, const char* code, std::string message) {
  problems_.push_back({printable_name(raw_name), code, std::move(message)});
}

void BundleCollector::add_directory(const std::string& path, std::string_view raw_name) {
  if (path.empty()) return;
  if (files_.find(path) != nullptr) {
    refuse(raw_name, kProblemDuplicate, "is both a file and a folder (\"" + raw_names_[path] + "\")");
    return;
  }
  directories_.insert(path);
}

void BundleCollector::add_file(std::string path, std::string_view raw_name, std::string content) {
  if (auto it = raw_names_.find(path); it != raw_names_.end()) {
    refuse(raw_name, kProblemDuplicate, "is the same file as \"" + it->second + "\"");
    return;
  }
  if (directories_.count(path) != 0) {
    refuse(raw_name, kProblemDuplicate, "is both a folder and a file");
    return;
  }
  raw_names_.emplace(path, printable_name(raw_name));
  files_.total_bytes += content.size();
  files_.files.emplace(std::move(path), std::move(content));
}

Result<BundleFiles> BundleCollector::finish() && {
  // "a" a file and "a/b" present: no folder layout holds both.
  const auto check_parents = [&](std::string_view path, std::string_view printable) {
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
      if (auto it = raw_names_.find(path.substr(0, slash)); it != raw_names_.end()) {
        problems_.push_back({std::string(printable), kProblemPathConflict, "is inside \"" + it->second + "\", which is a file"});
        return;
      }
    }
  };
  for (const auto& [path, printable] : raw_names_) check_parents(path, printable);
  for (const auto& dir : directories_) check_parents(dir, printable_name(dir));
  if (problems_.empty() && files_.files.empty()) {
    problems_.push_back({"", kProblemEmpty, "the archive holds no file"});
  }
  if (!problems_.empty()) return invalid_bundle(problems_);
  return std::move(files_);
}

}  // namespace detail
}  // namespace weft::bundles
