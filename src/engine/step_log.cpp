#include "engine/step_log.h"

namespace weft::engine {

void StepLogBuffer::write(std::string_view level, std::string message, json fields) {
  if (message.size() > kMaxMessage) {
    message.resize(kMaxMessage);
    message += "…";
  }
  json line = {{"ts", clock_.now_ms()}, {"level", level}, {"message", std::move(message)}};
  if (!fields.is_null()) line["fields"] = std::move(fields);
  std::lock_guard lock(mutex_);
  if (lines_.size() >= kMaxLines) {
    ++dropped_;
    return;
  }
  lines_.push_back(std::move(line));
}

json StepLogBuffer::take() {
  std::lock_guard lock(mutex_);
  if (dropped_ > 0) {
    lines_.push_back({{"ts", clock_.now_ms()}, {"level", "warn"},
                      {"message", std::to_string(dropped_) + " log lines dropped (limit " +
                                      std::to_string(kMaxLines) + ")"}});
    dropped_ = 0;
  }
  return std::move(lines_);
}

}  // namespace weft::engine
