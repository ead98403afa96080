#include "store/sqlite/webhook_cache.h"

namespace weft::store::sqlite {

WebhookCache::Ticket WebhookCache::ticket() const {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mutex_);
  return Ticket{generation_, now};
}

std::optional<WebhookTrigger> WebhookCache::find(const WorkflowId& workflow, SteadyClock::time_point now) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(workflow.str());
  if (it == entries_.end() || now - it->second.read_at >= kFreshFor) return std::nullopt;
  return it->second.hook;
}

void WebhookCache::remember(const WebhookTrigger& hook, const Ticket& read_at) {
  std::lock_guard lock(mutex_);
  if (read_at.generation != generation_) return;  // written meanwhile: what was read may be stale
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(hook.workflow.str(), Entry{hook, read_at.taken_at});
}

void WebhookCache::forget_all() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

}  // namespace weft::store::sqlite
