// core/unique_fd.h — owns one POSIX file descriptor: closed when the owner goes, never copied.
// The one fd wrapper every module uses (vault key file, blob store, bundle folders, registry).
#pragma once

#include <unistd.h>

#include <utility>

namespace weft {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives the descriptor away (e.g. to fdopendir); the caller closes it.
  int release() { return std::exchange(fd_, -1); }
  // Closes now, reporting close()'s result (a write error can surface here).
  bool close() { return fd_ < 0 || ::close(std::exchange(fd_, -1)) == 0; }

 private:
  void reset() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }
  int fd_;
};

}  // namespace weft
