#include "vault/master_key.h"
#include "core/unique_fd.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "vault/sodium_init.h"

namespace weft::vault {

namespace {

constexpr std::size_t kHexSize = MasterKey::kSize * 2;
// A key file is 64 hex characters and a newline; anything far larger is not a key file.
constexpr std::size_t kMaxKeyFileSize = 4096;

// Wipes a string that held key material before it is freed.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) : text_(text) {}
  ~WipeOnExit() { sodium_memzero(text_.data(), text_.capacity()); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& text_;
};

Error io_error(std::string_view what, const std::string& path, int err) {
  return Error::make("key_file_error",
                     fmt::format("cannot {} master key file {}: {}", what, path,
                                 std::strerror(err)));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Creates every missing directory of `dir` with mode 0700; existing ones are left as they are.
Status ensure_dir(const std::filesystem::path& dir) {
  std::filesystem::path current;
  for (const auto& part : dir) {
    current /= part;
    struct stat st {};
    if (::stat(current.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        return Error::make("key_file_error",
                           fmt::format("{} is not a directory", current.string()));
      }
      continue;
    }
    if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST) {
      return io_error("create the directory of", current.string(), errno);
    }
  }
  return {};
}

Result<MasterKey> read_key_file(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("stat", path, errno);
  if (!S_ISREG(st.st_mode)) {
    return Error::make("invalid_master_key",
                       fmt::format("master key file {} is not a regular file", path));
  }
  if ((st.st_mode & 077) != 0) {
    return Error::make(
        "insecure_key_file",
        fmt::format("master key file {} is accessible by group or others (mode {:04o}); "
                    "restrict it with `chmod 600 {}`",
                    path, st.st_mode & 07777, path));
  }
  std::string content(kMaxKeyFileSize + 1, '\0');
  WipeOnExit wipe(content);
  std::size_t size = 0;
  while (size < content.size()) {
    const ssize_t n = ::read(fd, content.data() + size, content.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", path, errno);
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  while (size > 0 && std::strchr(" \t\r\n", content[size - 1]) != nullptr) --size;
  content.resize(size);
  auto key = MasterKey::from_hex(content);
  if (!key.ok()) {
    return Error::make("invalid_master_key",
                       fmt::format("master key file {} must hold exactly 64 hexadecimal "
                                   "characters (a 32-byte key)",
                                   path));
  }
  return key;
}

// Writes a fresh random key to `path` atomically: the key goes to a 0600 temporary file
// (O_CREAT|O_EXCL), which is then hard-linked to `path` — so no reader ever sees a half-written
// key, and link() fails if another process created `path` first. Empty when that happened.
Result<std::optional<MasterKey>> create_key_file(const std::string& path) {
  const std::filesystem::path file(path);
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  WEFT_TRY(ensure_dir(dir));

  std::array<std::uint8_t, MasterKey::kSize> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string content(kHexSize + 1, '\0');
  WipeOnExit wipe(content);
  sodium_bin2hex(content.data(), content.size(), bytes.data(), bytes.size());
  content.back() = '\n';
  sodium_memzero(bytes.data(), bytes.size());

  std::array<std::uint8_t, 6> suffix{};
  randombytes_buf(suffix.data(), suffix.size());
  char suffix_hex[2 * 6 + 1];
  sodium_bin2hex(suffix_hex, sizeof suffix_hex, suffix.data(), suffix.size());
  const std::string temp = path + ".tmp-" + suffix_hex;

  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return io_error("create", temp, errno);
    auto fail = [&](std::string_view what) {
      const int err = errno;
      ::unlink(temp.c_str());
      return io_error(what, temp, err);
    };
    // umask can only narrow 0600; make the mode exact anyway.
    if (::fchmod(fd.get(), 0600) != 0) return fail("chmod");
    std::size_t written = 0;
    while (written < content.size()) {
      const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail("write");
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail("sync");
    if (!fd.close()) return fail("close");
  }

  const bool linked = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!linked) {
    if (link_errno == EEXIST) return std::optional<MasterKey>();
    return io_error("create", path, link_errno);
  }
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());  // best effort: make the new name durable

  content.resize(kHexSize);
  WEFT_TRY_ASSIGN(MasterKey key, MasterKey::from_hex(content));
  return std::optional<MasterKey>(std::move(key));
}

}  // namespace

MasterKey::~MasterKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

Result<MasterKey> MasterKey::from_hex(const std::string& hex) {
  detail::ensure_sodium();
  if (hex.size() != kHexSize) {
    return Error::make("invalid_master_key",
                       fmt::format("the master key must be exactly {} hexadecimal characters "
                                   "(32 bytes); got {} characters",
                                   kHexSize, hex.size()));
  }
  MasterKey key;
  for (std::size_t i = 0; i < kSize; ++i) {
    const int high = hex_digit(hex[2 * i]);
    const int low = hex_digit(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return Error::make("invalid_master_key",
                         "the master key must contain only hexadecimal characters (0-9, a-f)");
    }
    key.bytes_[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return key;
}

Result<MasterKey> MasterKey::load_or_create_file(const std::string& path) {
  detail::ensure_sodium();
  // Two rounds: if another process creates the file between our open() and our link(), the
  // second round reads the key it wrote.
  for (int round = 0; round < 2; ++round) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() >= 0) return read_key_file(fd.get(), path);
    if (errno != ENOENT) return io_error("open", path, errno);
    WEFT_TRY_ASSIGN(std::optional<MasterKey> created, create_key_file(path));
    if (created) return std::move(*created);
  }
  return Error::make("key_file_error",
                     fmt::format("master key file {} keeps appearing and vanishing", path));
}

Result<MasterKey> MasterKey::resolve(const std::string& env_hex, const std::string& data_dir) {
  if (!env_hex.empty()) {
    auto key = from_hex(env_hex);
    if (!key.ok()) {
      return Error::make("invalid_master_key", "WEFT_MASTER_KEY: " + key.error().message);
    }
    return key;
  }
  const std::filesystem::path dir(data_dir.empty() ? std::string(".") : data_dir);
  return load_or_create_file((dir / "master.key").string());
}

}  // namespace weft::vault
