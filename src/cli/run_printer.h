// cli/run_printer.h — owns how `weft workflow run` shows a run: one line per step as it ends
// (status, duration, output) and a summary line, on stdout.
#pragma once

#include <mutex>
#include <ostream>

#include "engine/run_control.h"

namespace weft::cli {

class RunPrinter final : public engine::RunObserver {
 public:
  // quiet: print nothing while running (used with --json).
  RunPrinter(std::ostream& out, bool quiet) : out_(out), quiet_(quiet) {}
  void on_step_finished(const store::RunRecord& run, const store::StepRunRecord& step) override;
  void on_run_finished(const store::RunRecord& run) override;

 private:
  std::ostream& out_;
  bool quiet_;
  std::mutex mutex_;
};

// A JSON value on one line, cut to `max` characters.
std::string compact(const json& value, std::size_t max = 400);

}  // namespace weft::cli
