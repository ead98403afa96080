// store/sqlite/webhook_cache.h — owns this process's copy of the webhook rows it has read
// (workflow id → org, secret hash, latest version), so the webhook path can find its trigger
// without a read transaction per call. A row is served while it is younger than kFreshFor and
// no write through this store has touched webhooks or workflows since it was read; a write
// elsewhere (another process on the same file: `weft run`, `weft worker`) is seen within
// kFreshFor. It never reads or writes the database itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/model.h"

namespace weft::store::sqlite {

class WebhookCache {
 public:
  static constexpr std::chrono::milliseconds kFreshFor{1000};
  static constexpr std::size_t kMaxEntries = 4096;  // then it starts over
  using Generation = std::uint64_t;

  using SteadyClock = std::chrono::steady_clock;
  // Taken before the row is read, handed back to remember(): a write that commits meanwhile
  // makes the row it read count as stale, and its age counts from here.
  struct Ticket {
    Generation generation = 0;
    SteadyClock::time_point taken_at;
  };
  Ticket ticket() const;
  // The row read at most kFreshFor before `now` with no write since; nullopt otherwise.
  std::optional<WebhookTrigger> find(const WorkflowId& workflow, SteadyClock::time_point now = SteadyClock::now()) const;
  void remember(const WebhookTrigger& hook, const Ticket& read_at);
  // After a committed write that may change what find_webhook answers.
  void forget_all();

 private:
  struct Entry {
    WebhookTrigger hook;
    SteadyClock::time_point read_at;
  };
  mutable std::mutex mutex_;
  Generation generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace weft::store::sqlite
