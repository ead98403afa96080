// testing/temp_dir.h — owns throwaway directories for tests: created unique under $TMPDIR,
// removed (recursively) when the TempDir is destroyed. Test-only code.
#pragma once

#include <string>

namespace weft::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole contents of a file ("" if missing).
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

}  // namespace weft::testing
