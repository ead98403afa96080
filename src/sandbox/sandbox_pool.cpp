#include "sandbox/sandbox_pool.h"

#include <algorithm>
#include <functional>

namespace weft::sandbox {

namespace {

bool is_public_code(const std::string& code) {
  static const std::set<std::string> kPublic = {
      "timeout",         "memory_limit",  "tool_error",        "tool_not_found",  "invalid_output",
      "bundle_load_failed", "sandbox_crashed", "invalid_input", "concurrency_limit",
      // fetch errors a tool let through (net/http_client.h, net/egress.h)
      "egress_denied",   "invalid_url",   "unsupported_protocol", "dns_failure", "connect_failed",
      "too_many_redirects", "response_too_large", "tls_error", "cancelled", "http_transport_error",
      "invalid_request"};
  return kPublic.count(code) > 0;
}

Error surface(const Error& e) {
  if (is_public_code(e.code)) return e;
  return Error::internal("sandbox: " + e.code + ": " + e.message);
}

}  // namespace

SandboxPool::SandboxPool(std::string host_binary, int processes, SandboxPoolLimits limits)
    : limits_(std::move(limits)) {
  const int n = std::max(1, processes);
  for (int i = 0; i < n; ++i) {
    SandboxOptions options;
    options.binary = host_binary;
    options.jail = limits_.jail;
    options.grace = limits_.grace;
    options.max_actors = limits_.max_actors_per_process;
    options.actor_idle = limits_.actor_idle;
    auto slot = std::make_unique<Slot>();
    slot->process = std::make_unique<SandboxProcess>(std::move(options));
    slots_.push_back(std::move(slot));
  }
}

std::size_t SandboxPool::busy() const {
  std::lock_guard lock(assign_mu_);
  std::size_t count = 0;
  for (const auto& slot : slots_) count += slot->users > 0 ? 1 : 0;
  return count;
}

std::size_t SandboxPool::route(const std::string& actor) const {
  if (limits_.sharing == ProcessSharing::shared) return std::hash<std::string>{}(actor) % slots_.size();
  const std::string org = actor.substr(0, actor.find(':'));
  std::lock_guard lock(assign_mu_);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i]->org == org) return i;
  }
  return slots_.size();
}

SandboxPool::SlotUse::~SlotUse() {
  if (slot_ == nullptr) return;
  {
    std::lock_guard lock(pool_->assign_mu_);
    --slot_->users;
    slot_->last_used = ++pool_->use_seq_;
  }
  pool_->slot_freed_.notify_all();
}

Result<SandboxPool::SlotUse> SandboxPool::acquire_slot(const std::string& org, const std::string& actor,
                                                       std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(assign_mu_);
  if (limits_.sharing == ProcessSharing::shared) {
    Slot* slot = slots_[std::hash<std::string>{}(actor) % slots_.size()].get();
    ++slot->users;
    return SlotUse(this, slot);
  }
  for (;;) {
    Slot* mine = nullptr;
    Slot* free_slot = nullptr;
    for (auto& s : slots_) {
      if (s->org == org) mine = s.get();
      if (s->users == 0 && !s->recycling &&
          (free_slot == nullptr || (s->org.empty() && !free_slot->org.empty()) ||
           (s->org.empty() == free_slot->org.empty() && s->last_used < free_slot->last_used))) {
        free_slot = s.get();
      }
    }
    if (mine != nullptr && !mine->recycling) {
      ++mine->users;
      return SlotUse(this, mine);
    }
    if (mine == nullptr && free_slot != nullptr) {
      // Take it for this org; a process another org used gets a fresh child first.
      const bool recycle = !free_slot->org.empty();
      free_slot->org = org;
      free_slot->users = 1;
      if (recycle) {
        free_slot->recycling = true;
        lock.unlock();
        free_slot->process->reset();
        {
          std::lock_guard load_lock(free_slot->load_mu);
          free_slot->loaded.clear();
        }
        lock.lock();
        free_slot->recycling = false;
        slot_freed_.notify_all();
      }
      return SlotUse(this, free_slot);
    }
    if (slot_freed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return Error::make("concurrency_limit",
                         "every sandbox process is serving another organization until the step's deadline "
                         "(raise WEFT_SANDBOX_PROCESSES, or share processes between organizations)",
                         {{"processes", slots_.size()}});
    }
  }
}

bool SandboxPool::loaded(const std::string& actor) const {
  const std::size_t index = route(actor);
  if (index >= slots_.size()) return false;
  const Slot& slot = *slots_[index];
  std::lock_guard lock(slot.load_mu);
  return slot.loaded.count(actor) > 0;
}

Status SandboxPool::ensure_loaded(Slot& slot, const std::string& actor, const SourceFn& source,
                                  std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(slot.load_mu, std::defer_lock);
  if (!lock.try_lock_until(deadline)) {
    return Error::make("timeout", "the sandbox process stayed busy loading bundles until the step's deadline");
  }
  if (slot.loaded.count(actor)) return {};
  auto text = source ? source() : Result<std::string>(Error::make("bundle_load_failed", "no bundle source"));
  if (!text.ok()) return surface(text.error());
  auto vendor = slot.process->load(actor, *text, limits_.isolate, deadline);
  if (!vendor.ok()) return surface(vendor.error());
  // The process forgets sources beyond 2 × max_actors; so does this set (a forgotten actor is
  // simply loaded again on its next call).
  if (slot.loaded.size() >= 2 * std::max<std::size_t>(1, limits_.max_actors_per_process)) slot.loaded.clear();
  slot.loaded.insert(actor);
  return {};
}

Result<json> SandboxPool::call(const std::string& actor, const SourceFn& source, const std::string& tool,
                               const json& input, const json& ctx, std::chrono::milliseconds timeout,
                               HostCalls* host) {
  using Clock = std::chrono::steady_clock;
  const std::string org = actor.substr(0, actor.find(':'));
  const ExecutionPolicy policy = policy_for(org);
  const auto cap = std::min(limits_.max_call_timeout, std::chrono::milliseconds(policy.max_timeout_seconds * 1000LL));
  timeout = std::clamp(timeout, std::chrono::milliseconds(1), cap);
  const auto deadline = Clock::now() + timeout;
  WEFT_TRY_ASSIGN(OrgGate::Permit permit, gate_.acquire(org, policy.max_concurrent_executions, deadline));

  WEFT_TRY_ASSIGN(SlotUse use, acquire_slot(org, actor, deadline));
  Slot& slot = use.slot();
  const std::string input_text = input.dump();
  const std::string ctx_text = ctx.dump();
  Result<std::string> out = Error::make("sandbox_not_loaded", "not loaded yet");
  // A process that forgot the bundle (it keeps a bounded number) gets it again, once.
  for (int attempt = 0; attempt < 2 && !out.ok() && out.error().code == "sandbox_not_loaded"; ++attempt) {
    WEFT_TRY(ensure_loaded(slot, actor, source, deadline));
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error::make("timeout", "the call's deadline passed while its bundle was loading");
    out = slot.process->call(actor, tool, input_text, ctx_text, left, host);
    if (!out.ok() && out.error().code == "sandbox_not_loaded") {
      std::lock_guard lock(slot.load_mu);
      slot.loaded.erase(actor);
    }
  }
  if (!out.ok()) return surface(out.error());
  // The child is not trusted: a depth-limited parse, as for any outside JSON.
  auto parsed = parse_json(*out);
  if (!parsed.ok()) {
    return Error::make("invalid_output", std::string("tool '") + tool + "' returned JSON this server refuses: " +
                                             parsed.error().message);
  }
  return parsed;
}

Result<json> SandboxPool::call(const std::string& actor, const std::string& source, const std::string& tool,
                               const json& input, const json& ctx, std::chrono::milliseconds timeout,
                               HostCalls* host) {
  return call(actor, [&source]() -> Result<std::string> { return source; }, tool, input, ctx, timeout, host);
}

}  // namespace weft::sandbox
