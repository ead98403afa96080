#include "sandbox/host_binary.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace weft::sandbox {

std::string sandbox_host_path() {
  if (const char* env = std::getenv(kSandboxHostEnv); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return kSandboxHostName;  // no /proc: execve of a bare name fails, and says so
  return (self.parent_path() / kSandboxHostName).string();
}

Status check_sandbox_host(const std::string& path) {
  struct stat st {};
  std::string why;
  if (::stat(path.c_str(), &st) != 0) {
    why = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    why = "not a regular file";
  } else if (::access(path.c_str(), X_OK) != 0) {
    why = std::strerror(errno);
  }
  if (why.empty()) return {};
  return Error::make("sandbox_unavailable",
                     "the sandbox host executable " + path + " cannot be run (" + why + "): install " +
                         kSandboxHostName + " beside the weft binary, or set " + kSandboxHostEnv +
                         " to its path");
}

}  // namespace weft::sandbox
