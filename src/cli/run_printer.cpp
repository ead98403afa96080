#include "cli/run_printer.h"

namespace weft::cli {

std::string compact(const json& value, std::size_t max) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max) text = text.substr(0, max) + "…";
  return text;
}

void RunPrinter::on_step_finished(const store::RunRecord&, const store::StepRunRecord& step) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  const auto ms = step.finished_at - step.started_at;
  switch (step.status) {
    case store::StepStatus::succeeded:
      out_ << "  ✓ " << step.step_id << "  succeeded  " << ms << " ms";
      if (step.attempts > 1) out_ << "  (" << step.attempts << " attempts)";
      out_ << "\n      output: " << compact(step.output) << "\n";
      break;
    case store::StepStatus::failed:
      out_ << "  ✗ " << step.step_id << "  failed  " << ms << " ms  (" << step.attempts
           << (step.attempts == 1 ? " attempt" : " attempts") << ")\n      error: "
           << step.error.value("code", "") << ": " << step.error.value("message", "") << "\n";
      break;
    case store::StepStatus::skipped: {
      std::string why = step.logs.empty() ? "" : step.logs.back().value("message", "");
      out_ << "  - " << step.step_id << "  " << why << "\n";
      break;
    }
    case store::StepStatus::running: break;
  }
  out_.flush();
}

void RunPrinter::on_run_finished(const store::RunRecord& run) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  const auto ms = run.finished_at.value_or(0) - run.started_at.value_or(run.created_at);
  out_ << "run " << run.id.str() << " " << store::to_string(run.status) << " in " << ms << " ms\n";
  if (run.status == store::RunStatus::succeeded) out_ << "output: " << compact(run.output, 2000) << "\n";
  out_.flush();
}

}  // namespace weft::cli
