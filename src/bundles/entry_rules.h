// bundles/entry_rules.h — owns the rules both bundle readers apply to each entry (name bytes,
// ".." and absolute paths, extensions, duplicates, the entry count and the byte budget) and the
// collection of accepted files. Internal to src/bundles (archive_reader.cpp,
// directory_reader.cpp); it reads nothing itself.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bundles/archive_reader.h"
#include "bundles/bundle_files.h"
#include "bundles/problem.h"

namespace weft::bundles::detail {

enum class EntryKind { file, directory };

// Checks a raw entry name; on success returns it normalised (leading "./", "." segments,
// repeated and trailing slashes removed: "./a//b/" → "a/b"), else appends one problem per
// broken rule (path = printable_name(raw)) and returns nothing. A directory may normalise to ""
// (the root, "./"); a file may not, and a file's extension must be allowed.
std::optional<std::string> check_name(std::string_view raw, EntryKind kind, std::vector<Problem>& problems);

// Whether `path` ends with one of .js .js.map .json .svg .png .jpg.
bool allowed_extension(std::string_view path);

// Collects accepted entries and the problems of a read, under the limits. Not thread-safe.
class BundleCollector {
 public:
  explicit BundleCollector(const ArchiveLimits& limits) : limits_(limits) {}

  // Counts one entry of any type. False (with kProblemTooManyEntries) past max_entries: stop.
  bool count_entry(std::string_view raw_name);
  // Counts `n` more decompressed bytes. False (with kProblemTooLarge) past max_extracted_bytes: stop.
  bool count_bytes(std::uint64_t n, std::string_view raw_name);

  // An entry of a refused type (symlink, fifo…): one problem.
  void refuse(std::string_view raw_name, const char* code, std::string message);
  void add_problem(Problem problem) { problems_.push_back(std::move(problem)); }
  std::vector<Problem>& problems() { return problems_; }

  // A directory entry (not stored; a file of the same path is a duplicate).
  void add_directory(const std::string& path, std::string_view raw_name);
  // A file entry that passed check_name; a second one of the same path is a duplicate.
  void add_file(std::string path, std::string_view raw_name, std::string content);

  std::size_t entries() const { return entries_; }
  std::size_t max_entries() const { return limits_.max_entries; }
  std::uint64_t bytes() const { return bytes_; }

  // The files, or bundle_invalid with every problem (path conflicts found here; an archive with
  // no file is kProblemEmpty when nothing else is wrong).
  Result<BundleFiles> finish() &&;

 private:
  ArchiveLimits limits_;
  std::size_t entries_ = 0;
  std::uint64_t bytes_ = 0;
  BundleFiles files_;
  std::map<std::string, std::string, std::less<>> raw_names_;  // normalised path → printable raw name
  std::set<std::string, std::less<>> directories_;
  std::vector<Problem> problems_;
};

}  // namespace weft::bundles::detail
