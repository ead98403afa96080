#include "sandbox/execution_policy.h"

namespace weft::sandbox {

Result<ExecutionPolicy> ExecutionPolicy::from_json(const json& j) {
  ExecutionPolicy p;
  if (!j.is_object()) return Error::make("invalid_policy", "the execution policy must be a JSON object");
  for (auto& item : j.items()) {
    // Named references, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& key = item.key();
    const json& value = item.value();
    auto integer = [&](int lo, int hi, int& out) -> Status {
      if (!value.is_number_integer() || value.get<std::int64_t>() < lo || value.get<std::int64_t>() > hi) {
        return Error::make("invalid_policy", key + " must be an integer from " + std::to_string(lo) + " to " +
                                                 std::to_string(hi), {{"field", key}});
      }
      out = value.get<int>();
      return {};
    };
    if (key == "maxConcurrentExecutions") {
      WEFT_TRY(integer(0, 10000, p.max_concurrent_executions));
    } else if (key == "maxTimeoutSeconds") {
      WEFT_TRY(integer(1, 86400, p.max_timeout_seconds));
    } else if (key == "codeNetwork") {
      if (!value.is_boolean()) return Error::make("invalid_policy", "codeNetwork must be true or false", {{"field", key}});
      p.code_network = value.get<bool>();
    } else {
      return Error::make("invalid_policy", "unknown execution policy field '" + key + "'", {{"field", key}});
    }
  }
  return p;
}

json ExecutionPolicy::to_json() const {
  return {{"maxConcurrentExecutions", max_concurrent_executions},
          {"maxTimeoutSeconds", max_timeout_seconds},
          {"codeNetwork", code_network}};
}

OrgGate::Permit& OrgGate::Permit::operator=(Permit&& o) noexcept {
  if (this != &o) {
    release();
    gate_ = o.gate_;
    org_ = std::move(o.org_);
    o.gate_ = nullptr;
  }
  return *this;
}

void OrgGate::Permit::release() {
  if (gate_ != nullptr) gate_->release(org_);
  gate_ = nullptr;
}

Result<OrgGate::Permit> OrgGate::acquire(const std::string& org, int limit, Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (limit > 0) {
    const bool got = freed_.wait_until(lock, deadline, [&] { return running_[org] < limit; });
    if (!got) {
      return Error::make("concurrency_limit",
                         "the organization's " + std::to_string(limit) +
                             " concurrent sandbox executions stayed busy until the step's deadline",
                         {{"maxConcurrentExecutions", limit}});
    }
  }
  ++running_[org];
  return Permit(this, org);
}

int OrgGate::running(const std::string& org) const {
  std::lock_guard lock(mu_);
  auto it = running_.find(org);
  return it == running_.end() ? 0 : it->second;
}

void OrgGate::release(const std::string& org) {
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(org);
    if (it != running_.end() && --it->second <= 0) running_.erase(it);
  }
  freed_.notify_all();
}

}  // namespace weft::sandbox
