// The unpacked-folder reader: walks the folder with openat/fstatat relative to directory
// descriptors, never following a link (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW), and checks each file
// again on its open descriptor, so a file swapped for a link or a FIFO meanwhile is refused.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "bundles/archive_reader.h"
#include "core/unique_fd.h"
#include "bundles/entry_rules.h"

namespace weft::bundles {
namespace {

using detail::BundleCollector;
using detail::EntryKind;

// Owns one DIR* stream (and so its descriptor).
class Dir {
 public:
  explicit Dir(DIR* dir) : dir_(dir) {}
  ~Dir() {
    if (dir_ != nullptr) ::closedir(dir_);
  }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  DIR* get() const { return dir_; }

 private:
  DIR* dir_;
};

constexpr std::size_t kBlockBytes = 64 * 1024;

// Refuses a non-regular, non-directory entry by its lstat mode; true if refused.
bool refuse_mode(mode_t mode, std::string_view name, BundleCollector& out) {
  if (S_ISREG(mode) || S_ISDIR(mode)) return false;
  if (S_ISLNK(mode)) out.refuse(name, kProblemSymlink, "is a symbolic link; bundles may hold regular files only");
  else if (S_ISCHR(mode) || S_ISBLK(mode)) out.refuse(name, kProblemDevice, "is a device file; bundles may hold regular files only");
  else if (S_ISFIFO(mode)) out.refuse(name, kProblemFifo, "is a FIFO; bundles may hold regular files only");
  else if (S_ISSOCK(mode)) out.refuse(name, kProblemSocket, "is a socket; bundles may hold regular files only");
  else out.refuse(name, kProblemUnsupportedType, "is not a regular file or a folder");
  return true;
}

void unreadable(std::string_view name, BundleCollector& out) {
  out.refuse(name, kProblemUnreadable, std::string("cannot be read: ") + std::strerror(errno));
}

class Walker {
 public:
  Walker(BundleCollector& out, std::vector<char>& block) : out_(out), block_(block) {}

  // Reads the folder open at `dir_fd` (taken over), whose entries are named `prefix` + name.
  // False when a stream-level limit stopped the walk.
  bool walk(int dir_fd, const std::string& prefix, std::size_t depth) {
    UniqueFd owned(dir_fd);
    Dir dir(::fdopendir(owned.get()));
    if (dir.get() == nullptr) {
      unreadable(prefix, out_);
      return true;
    }
    owned.release();
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* d = ::readdir(dir.get())) {
      const std::string_view n(d->d_name);
      if (n != "." && n != "..") names.emplace_back(n);
      // Stop listing a huge folder early: the entry limit refuses it anyway.
      if (out_.entries() + names.size() > out_.max_entries()) break;
    }
    std::sort(names.begin(), names.end());
    const int fd = ::dirfd(dir.get());
    for (const std::string& n : names) {
      const std::string name = prefix + n;
      if (!out_.count_entry(name)) return false;
      struct stat st {};
      if (::fstatat(fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        unreadable(name, out_);
        continue;
      }
      if (refuse_mode(st.st_mode, name, out_)) continue;
      if (S_ISDIR(st.st_mode)) {
        std::optional<std::string> path = detail::check_name(name, EntryKind::directory, out_.problems());
        if (!path) continue;
        if (depth + 1 > kMaxPathSegments) {
          out_.refuse(name, kProblemNameTooLong, "is nested more than " + std::to_string(kMaxPathSegments) + " folders deep");
          continue;
        }
        out_.add_directory(*path, name);
        const int sub = ::openat(fd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
          unreadable(name, out_);
          continue;
        }
        if (!walk(sub, name + "/", depth + 1)) return false;
        continue;
      }
      std::optional<std::string> path = detail::check_name(name, EntryKind::file, out_.problems());
      if (!path) continue;
      std::string content;
      if (!read_file(fd, n, name, content)) return false;
      out_.add_file(std::move(*path), name, std::move(content));
    }
    return true;
  }

 private:
  // Reads one regular file; false when the byte budget stopped the walk. O_NONBLOCK: a FIFO
  // swapped in after fstatat does not block the open, and fstat on the descriptor refuses it.
  bool read_file(int dir_fd, const std::string& n, const std::string& name, std::string& content) {
    UniqueFd file(::openat(dir_fd, n.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (file.get() < 0) {
      if (errno == ELOOP) out_.refuse(name, kProblemSymlink, "is a symbolic link; bundles may hold regular files only");
      else unreadable(name, out_);
      return true;
    }
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) {
      unreadable(name, out_);
      return true;
    }
    if (refuse_mode(st.st_mode, name, out_) || S_ISDIR(st.st_mode)) {
      if (S_ISDIR(st.st_mode)) out_.refuse(name, kProblemUnsupportedType, "changed while it was read");
      return true;
    }
    for (;;) {
      const ssize_t got = ::read(file.get(), block_.data(), block_.size());
      if (got == 0) return true;
      if (got < 0) {
        if (errno == EINTR) continue;
        unreadable(name, out_);
        return true;
      }
      if (!out_.count_bytes(static_cast<std::uint64_t>(got), name)) return false;
      content.append(block_.data(), static_cast<std::size_t>(got));
    }
  }

  BundleCollector& out_;
  std::vector<char>& block_;
};

}  // namespace

Result<BundleFiles> read_bundle_directory(const std::string& folder, const ArchiveLimits& limits) {
  // The folder itself may be reached through links (a bundles/ checkout); what is inside may not.
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::not_found("bundle folder " + printable_name(folder));
  BundleCollector out(limits);
  std::vector<char> block(kBlockBytes);
  Walker(out, block).walk(fd, "", 0);
  return std::move(out).finish();
}

}  // namespace weft::bundles
