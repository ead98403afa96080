#include "store/model.h"

namespace weft::store {

std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::queued: return "queued";
    case RunStatus::running: return "running";
    case RunStatus::succeeded: return "succeeded";
    case RunStatus::failed: return "failed";
    case RunStatus::cancelled: return "cancelled";
  }
  return "unknown";
}

std::string_view to_string(StepStatus status) {
  switch (status) {
    case StepStatus::running: return "running";
    case StepStatus::succeeded: return "succeeded";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
  }
  return "unknown";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (auto status : {RunStatus::queued, RunStatus::running, RunStatus::succeeded,
                      RunStatus::failed, RunStatus::cancelled}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::optional<Durability> parse_durability(std::string_view text) {
  if (text == "process") return Durability::process;
  if (text == "full") return Durability::full;
  return std::nullopt;
}

std::optional<StepStatus> parse_step_status(std::string_view text) {
  for (auto status :
       {StepStatus::running, StepStatus::succeeded, StepStatus::failed, StepStatus::skipped}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::member: return "member";
    case Role::admin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view text) {
  for (auto role : {Role::member, Role::admin}) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

std::string_view to_string(BundleScope scope) {
  switch (scope) {
    case BundleScope::platform: return "platform";
    case BundleScope::organization: return "organization";
  }
  return "organization";
}

std::optional<BundleScope> parse_bundle_scope(std::string_view text) {
  for (auto scope : {BundleScope::platform, BundleScope::organization}) {
    if (to_string(scope) == text) return scope;
  }
  return std::nullopt;
}

std::string_view to_string(BundleStatus status) {
  switch (status) {
    case BundleStatus::active: return "active";
    case BundleStatus::disabled: return "disabled";
    case BundleStatus::pending_review: return "pending_review";
    case BundleStatus::failed: return "failed";
  }
  return "failed";
}

std::optional<BundleStatus> parse_bundle_status(std::string_view text) {
  for (auto status : {BundleStatus::active, BundleStatus::disabled, BundleStatus::pending_review,
                      BundleStatus::failed}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

bool is_terminal(RunStatus status) {
  return status == RunStatus::succeeded || status == RunStatus::failed ||
         status == RunStatus::cancelled;
}

}  // namespace weft::store
