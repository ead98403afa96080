// accounts/password_checks.h — owns the cap on concurrent password work (an argon2id check
// holds 64 MiB at the interactive cost): a counting semaphore with a bounded queue and a bounded
// wait. It does no hashing itself and knows nothing of accounts, rate limits or HTTP.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace weft::accounts {

struct PasswordCheckLimits {
  int max_concurrent = 1;                   // checks running at once (at least 1)
  std::chrono::milliseconds max_wait{5000}; // how long a caller queues for a free slot
  // Callers queued at once; more are refused at once. Each holds a blocking handler thread while
  // it waits, so this stays well below the HTTP handler pool: a login flood must not stall the
  // rest of the API.
  int max_waiting = 8;
};

// Thread-safe. Must outlive every Slot it hands out.
class PasswordChecks {
 public:
  // The right to run one check; the slot is freed when this is destroyed. Move-only.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class PasswordChecks;
    explicit Slot(PasswordChecks* owner) : owner_(owner) {}
    PasswordChecks* owner_;
  };

  struct Stats {
    int in_use = 0;            // slots held now
    int waiting = 0;           // callers queued now
    int peak_in_use = 0;       // most slots ever held at once
    std::int64_t granted = 0;  // slots handed out
    std::int64_t refused = 0;  // acquire() calls that got nothing
  };

  explicit PasswordChecks(PasswordCheckLimits limits);

  // A slot once fewer than max_concurrent are held, waiting at most max_wait (waiters are not
  // served in strict order). Empty when max_waiting callers are already waiting or no slot freed
  // in time.
  std::optional<Slot> acquire();
  Stats stats() const;
  const PasswordCheckLimits& limits() const { return limits_; }

 private:
  void release();

  PasswordCheckLimits limits_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  Stats stats_;
};

}  // namespace weft::accounts
