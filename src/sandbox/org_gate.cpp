#include "sandbox/org_gate.h"

namespace weft::sandbox {

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
