#include "blob/fs/fs_blob_store.h"
#include "core/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace weft::blob {

namespace {

namespace fs = std::filesystem;

// Temp files live in <root>/.weft-tmp; every operation refuses keys under it.
constexpr char kTempDir[] = ".weft-tmp";

bool usable_key(std::string_view key) {
  return is_valid_key(key) && key != kTempDir && key.rfind(std::string(kTempDir) + "/", 0) != 0;
}

Error io_error(const std::string& what, int err) {
  return Error::internal("blob store: " + what + ": " + std::strerror(err));
}

Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

void fsync_dir(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

class FsBlobStore final : public BlobStore {
 public:
  explicit FsBlobStore(fs::path root) : root_(std::move(root)) {}

  Status put(std::string_view key, std::string_view bytes) override {
    if (!usable_key(key)) return bad_key(key);
    const fs::path target = root_ / std::string(key);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return io_error("create " + target.parent_path().string(), ec.value());
    if (no_symlink_below_root(target.parent_path()) == false) {
      return Error::internal("blob store: a folder on the way to a key is not a plain folder");
    }
    const fs::path temp = root_ / kTempDir / temp_name();
    Status written = write_temp(temp, bytes);
    if (!written.ok()) {
      ::unlink(temp.c_str());
      return written;
    }
    // link(2) fails with EEXIST instead of replacing, so two uploads of one key cannot both win.
    if (::link(temp.c_str(), target.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      if (err == EEXIST) return Error::make("conflict", "blob " + std::string(key) + " already exists");
      return io_error("link " + target.string(), err);
    }
    ::unlink(temp.c_str());
    fsync_dir(target.parent_path());
    return {};
  }

  Result<std::string> get(std::string_view key) override {
    if (!usable_key(key)) return bad_key(key);
    const fs::path path = root_ / std::string(key);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return Error::not_found("blob " + std::string(key));
      return io_error("open " + path.string(), errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return io_error("stat " + path.string(), errno);
    if (!S_ISREG(st.st_mode)) return Error::not_found("blob " + std::string(key));
    std::string out;
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error("read " + path.string(), errno);
      }
      if (n == 0) break;
      done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
  }

  Status remove(std::string_view key) override {
    if (!usable_key(key)) return bad_key(key);
    const fs::path path = root_ / std::string(key);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return Error::not_found("blob " + std::string(key));
      return io_error("unlink " + path.string(), errno);
    }
    // Empty folders left by the removal are pruned up to the root (best effort).
    std::error_code ec;
    for (fs::path dir = path.parent_path(); dir != root_ && dir.has_parent_path(); dir = dir.parent_path()) {
      if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
    }
    fsync_dir(path.parent_path().empty() ? root_ : path.parent_path());
    return {};
  }

  Result<std::vector<std::string>> list(std::string_view prefix) override {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const fs::path rel = fs::relative(it->path(), root_, ec);
      if (ec) break;
      if (it->is_directory() && rel == kTempDir) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      const std::string key = rel.generic_string();
      if (key.rfind(prefix, 0) == 0) out.push_back(key);
    }
    if (ec) return io_error("list " + root_.string(), ec.value());
    std::sort(out.begin(), out.end());
    return out;
  }

  // Creates the temp folder and empties it (files a crash left behind).
  Status prepare() {
    std::error_code ec;
    fs::create_directories(root_ / kTempDir, ec);
    if (ec) return io_error("create " + (root_ / kTempDir).string(), ec.value());
    ::chmod(root_.c_str(), 0700);
    for (const auto& entry : fs::directory_iterator(root_ / kTempDir, ec)) fs::remove(entry.path(), ec);
    return {};
  }

 private:
  static Error bad_key(std::string_view key) {
    return Error::make("invalid_argument", "blob key '" + std::string(key.substr(0, 80)) + "' is not valid");
  }

  bool no_symlink_below_root(const fs::path& dir) const {
    std::error_code ec;
    for (fs::path p = dir; p != root_ && p.has_parent_path(); p = p.parent_path()) {
      if (fs::is_symlink(fs::symlink_status(p, ec)) || ec) return false;
    }
    return true;
  }

  static std::string temp_name() {
    static std::atomic<std::uint64_t> seq{0};
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(::getpid()) + "-" + std::to_string(seq.fetch_add(1)) + "-" + std::to_string(rng());
  }

  static Status write_temp(const fs::path& temp, std::string_view bytes) {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return io_error("create " + temp.string(), errno);
    WEFT_TRY(write_all(fd.get(), bytes));
    if (::fsync(fd.get()) != 0) return io_error("fsync " + temp.string(), errno);
    return {};
  }

  fs::path root_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_fs_blob_store(const std::string& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return io_error("create " + root, ec.value());
  const fs::path canonical = fs::canonical(root, ec);
  if (ec) return io_error("resolve " + root, ec.value());
  auto store = std::make_unique<FsBlobStore>(canonical);
  WEFT_TRY(store->prepare());
  return std::unique_ptr<BlobStore>(std::move(store));
}

}  // namespace weft::blob
