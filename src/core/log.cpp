#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace weft {

namespace {
std::shared_ptr<spdlog::logger>& logger_slot() {
  static std::shared_ptr<spdlog::logger> logger = spdlog::stderr_color_mt("weft");
  return logger;
}
}  // namespace

void init_logging(const std::string& level, const std::string& format) {
  auto& logger = logger_slot();
  logger->set_level(spdlog::level::from_str(level));
  if (format == "json") {
    logger->set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})", spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
}

spdlog::logger& log() { return *logger_slot(); }

}  // namespace weft
