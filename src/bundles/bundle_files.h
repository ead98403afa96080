// bundles/bundle_files.h — owns the in-memory form of a bundle's files once they are read
// safely (from a .bundle.tar.gz by archive_reader.h, or from an unpacked folder): normalised
// relative paths ("dist/index.js") to their bytes. Holds no rule about what a bundle must hold.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace weft::bundles {

struct BundleFiles {
  // Relative path ("manifest.json", "dist/index.js", "assets/icon.svg") → content. Every
  // path was checked by its reader: no "..", no absolute path, no duplicate.
  std::map<std::string, std::string, std::less<>> files;
  std::uint64_t total_bytes = 0;  // sum of the contents' sizes

  // The content at `path`, or nullptr. Valid while this BundleFiles lives and is not changed.
  const std::string* find(std::string_view path) const {
    auto it = files.find(path);
    return it == files.end() ? nullptr : &it->second;
  }
};

}  // namespace weft::bundles
