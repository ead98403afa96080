#include "engine/run_metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace weft::engine {

void RunMetrics::on_run_started(const store::RunRecord& run) {
  started_.fetch_add(1, std::memory_order_relaxed);
  if (next_ != nullptr) next_->on_run_started(run);
}

void RunMetrics::on_step_started(const store::RunRecord& run, const std::string& step_id) {
  if (next_ != nullptr) next_->on_step_started(run, step_id);
}

void RunMetrics::on_step_finished(const store::RunRecord& run, const store::StepRunRecord& step) {
  const auto status = static_cast<std::size_t>(step.status);
  if (status < steps_.size()) steps_[status].fetch_add(1, std::memory_order_relaxed);
  const TimeMs took = std::max<TimeMs>(0, step.finished_at - step.started_at);
  const double seconds = static_cast<double>(took) / 1000.0;
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  durations_[bucket].fetch_add(1, std::memory_order_relaxed);
  duration_ms_sum_.fetch_add(static_cast<std::uint64_t>(took), std::memory_order_relaxed);
  if (next_ != nullptr) next_->on_step_finished(run, step);
}

void RunMetrics::on_run_finished(const store::RunRecord& run) {
  const auto status = static_cast<std::size_t>(run.status);
  if (status < runs_.size()) runs_[status].fetch_add(1, std::memory_order_relaxed);
  if (next_ != nullptr) next_->on_run_finished(run);
}

void RunMetrics::write_prometheus(std::string& out) const {
  out += "# HELP weft_runs_started_total Run executions this process began (a resumed run begins again).\n";
  out += "# TYPE weft_runs_started_total counter\n";
  out += fmt::format("weft_runs_started_total {}\n", started_.load(std::memory_order_relaxed));
  out += "# HELP weft_runs_finished_total Runs this process ended, by status.\n";
  out += "# TYPE weft_runs_finished_total counter\n";
  for (auto status : {store::RunStatus::succeeded, store::RunStatus::failed, store::RunStatus::cancelled}) {
    out += fmt::format("weft_runs_finished_total{{status=\"{}\"}} {}\n", store::to_string(status),
                       runs_[static_cast<std::size_t>(status)].load(std::memory_order_relaxed));
  }
  out += "# HELP weft_steps_finished_total Steps this process ended, by status.\n";
  out += "# TYPE weft_steps_finished_total counter\n";
  for (auto status : {store::StepStatus::succeeded, store::StepStatus::failed, store::StepStatus::skipped}) {
    out += fmt::format("weft_steps_finished_total{{status=\"{}\"}} {}\n", store::to_string(status),
                       steps_[static_cast<std::size_t>(status)].load(std::memory_order_relaxed));
  }
  out += "# HELP weft_step_duration_seconds How long the steps this process ended took.\n";
  out += "# TYPE weft_step_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += durations_[i].load(std::memory_order_relaxed);
    out += fmt::format("weft_step_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  cumulative += durations_.back().load(std::memory_order_relaxed);
  out += fmt::format("weft_step_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("weft_step_duration_seconds_sum {}\n",
                     static_cast<double>(duration_ms_sum_.load(std::memory_order_relaxed)) / 1000.0);
  out += fmt::format("weft_step_duration_seconds_count {}\n", cumulative);
}

}  // namespace weft::engine
