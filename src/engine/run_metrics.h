// engine/run_metrics.h — owns the counters a process keeps of the runs it executes: runs and
// steps finished by status and a histogram of step durations, counted as a RunObserver that
// passes every event on to the next observer (the run-events hub). Writes them in Prometheus'
// text format; knows nothing of HTTP or of other processes.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "engine/run_control.h"

namespace weft::engine {

class RunMetrics final : public RunObserver {
 public:
  // `next` (may be null) hears every event after it is counted; it must outlive this.
  explicit RunMetrics(RunObserver* next) : next_(next) {}

  void on_run_started(const store::RunRecord& run) override;
  void on_step_started(const store::RunRecord& run, const std::string& step_id) override;
  void on_step_finished(const store::RunRecord& run, const store::StepRunRecord& step) override;
  void on_run_finished(const store::RunRecord& run) override;

  // Appends weft_runs_started_total, weft_runs_finished_total{status}, weft_steps_finished_total{status} and the
  // weft_step_duration_seconds histogram (with their HELP and TYPE lines).
  void write_prometheus(std::string& out) const;

  // Upper bounds (seconds) of the step-duration buckets; +Inf follows.
  static constexpr std::array<double, 12> kBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                   0.25,  0.5,   1,    2.5,   5,    10};

 private:
  RunObserver* next_;
  std::atomic<std::uint64_t> started_{0};
  std::array<std::atomic<std::uint64_t>, 5> runs_{};   // by RunStatus
  std::array<std::atomic<std::uint64_t>, 4> steps_{};  // by StepStatus
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> durations_{};  // not cumulative
  std::atomic<std::uint64_t> duration_ms_sum_{0};
};

}  // namespace weft::engine
