// core/log.h — owns logging (spdlog, one "weft" logger) and Secret<T>, the wrapper that keeps
// secrets out of log lines: formatting a Secret prints "[redacted]", never its value.
#pragma once

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <string>
#include <utility>

namespace weft {

// Configures the process logger. `level`: trace|debug|info|warn|error|off; `format`: text|json.
// Logs go to stderr so stdout stays clean for CLI output. Call once, early in main.
void init_logging(const std::string& level, const std::string& format = "text");

// The process logger; valid after init_logging (a default stderr logger before that).
spdlog::logger& log();

// Holds a secret value. It can be read only through reveal(); fmt/spdlog print "[redacted]".
template <typename T>
class Secret {
 public:
  Secret() = default;
  explicit Secret(T value) : value_(std::move(value)) {}
  const T& reveal() const { return value_; }

 private:
  T value_{};
};

}  // namespace weft

template <typename T>
struct fmt::formatter<weft::Secret<T>> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const weft::Secret<T>&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format("[redacted]", ctx);
  }
};
