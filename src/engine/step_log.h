// engine/step_log.h — owns a step's log buffer: the lines an action (and the engine) writes
// during a step, kept in memory and stored with the step record when it ends.
#pragma once

#include <mutex>

#include "catalog/action.h"
#include "core/clock.h"

namespace weft::engine {

class StepLogBuffer final : public catalog::StepLog {
 public:
  explicit StepLogBuffer(const Clock& clock) : clock_(clock) {}
  // Thread-safe. Keeps at most kMaxLines lines of at most kMaxMessage bytes each.
  void write(std::string_view level, std::string message, json fields = nullptr) override;
  // The lines as [{"ts","level","message","fields"?}].
  json take();

  static constexpr std::size_t kMaxLines = 500;
  static constexpr std::size_t kMaxMessage = 4096;

 private:
  const Clock& clock_;
  std::mutex mutex_;
  json lines_ = json::array();
  std::size_t dropped_ = 0;
};

}  // namespace weft::engine
