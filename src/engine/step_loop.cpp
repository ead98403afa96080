#include "engine/step_loop.h"

#include "core/log.h"
#include "engine/run_ending.h"

namespace weft::engine {

struct StepLoop::Entry {
  explicit Entry(RunMachine& m) : machine(m) {}
  explicit Entry(std::unique_ptr<Submitted> s) : machine(s->machine()), create_with(s->create_with), owned(std::move(s)) {}
  RunMachine& machine;
  const store::Job* create_with = nullptr;  // not stored yet: inserted with the next write
  std::unique_ptr<Submitted> owned;         // submit(): told through done(), then destroyed
  std::optional<RunMachine::Ending> ending;  // decided once nothing is left to start
  std::shared_ptr<const std::string> output_text;  // store::json_text(ending->output), written as is
  Result<Outcome> outcome = Outcome::interrupted;
  bool finished = false;  // the loop thread's own: this turn ended it
  bool done = false;      // under mutex_; the caller may destroy the entry once it has seen it
  std::condition_variable cv;
};

StepLoop::StepLoop(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {
  thread_ = std::thread([this] { loop(); });
}

StepLoop::~StepLoop() { stop(); }

void StepLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t StepLoop::turns() const {
  std::lock_guard lock(mutex_);
  return turns_;
}

std::size_t StepLoop::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

std::optional<Result<Outcome>> StepLoop::run(RunMachine& machine) {
  Entry entry(machine);
  std::unique_lock lock(mutex_);
  if (stopping_) return std::nullopt;
  inbox_.push_back(&entry);
  ++runs_;
  wake_.notify_one();
  entry.cv.wait(lock, [&] { return entry.done; });
  return std::move(entry.outcome);
}

bool StepLoop::submit(std::unique_ptr<Submitted>& run) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  inbox_.push_back(new Entry(std::move(run)));
  ++runs_;
  wake_.notify_one();
  return true;
}

void StepLoop::loop() {
  std::vector<Entry*> active;
  std::vector<Entry*> submitted_done;
  std::unique_lock lock(mutex_);
  while (true) {
    if (active.empty()) wake_.wait(lock, [&] { return stopping_ || !inbox_.empty(); });
    active.insert(active.end(), inbox_.begin(), inbox_.end());
    inbox_.clear();
    if (active.empty()) return;  // stopping, and every run here has ended
    ++turns_;
    lock.unlock();
    take_turn(active);
    lock.lock();
    // Told under the lock and dropped at once: a caller returns (and its entry dies) only once
    // it has seen `done`. Submitted runs are told after the lock is released.
    std::erase_if(active, [&](Entry* e) {
      if (!e->finished) return false;
      --runs_;
      if (e->owned) {
        submitted_done.push_back(e);
        return true;
      }
      e->done = true;
      e->cv.notify_one();
      return true;
    });
    if (!submitted_done.empty()) {
      lock.unlock();
      for (Entry* e : submitted_done) {
        std::unique_ptr<Entry> entry(e);
        entry->owned->done(std::move(entry->outcome));
      }
      submitted_done.clear();
      lock.lock();
    }
  }
}

// Serialised once: the store writes this text and the run's answer reuses it.
void StepLoop::set_output_text(Entry& e) {
  if (!e.ending->output.is_null()) e.output_text = std::make_shared<const std::string>(store::json_text(e.ending->output));
}

void StepLoop::take_turn(std::vector<Entry*>& active) {
  // Where each run's writes sit in the batch: its start (a run not stored yet), then its
  // pending step records or its ending.
  enum class Then { records, ending, complete, stop };
  struct Slot {
    Entry* entry;
    std::size_t start;  // index of its start write, or npos
    std::size_t at;     // index of its records' write or its ending's
    Then then;
  };
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<Slot> slots;
  std::vector<store::RunWrite> writes;
  slots.reserve(active.size());
  for (Entry* e : active) {
    RunMachine& m = e->machine;
    try {
      m.turn();
    } catch (const std::exception& ex) {
      // Steps catch their own exceptions; this is the machine itself (allocation failure).
      log().error("run {}: the step loop's turn threw: {}", m.run().id.str(), ex.what());
      e->outcome = Error::internal(std::string("the step loop threw: ") + ex.what());
      e->finished = true;
      continue;
    }
    const store::Job* job = m.control().job;
    if (job != nullptr && m.ends_with_pending() && (e->ending = m.ending())) {
      // Its last records and its ending, one write (a run never stored is inserted ended, with
      // no job): nothing of either leaves the process before it commits. (ending() decides
      // anew: a drain, a deadline or a lost lease since ends_with_pending() leaves it empty,
      // and the records go the usual way below.)
      set_output_text(*e);
      slots.push_back({e, npos, writes.size(), Then::complete});
      writes.push_back(store::RunWrite::complete(e->create_with != nullptr ? &m.run() : nullptr, *job, m.pending(),
                                                 e->ending->status, e->ending->output, e->ending->error,
                                                 clock_.now_ms(), e->output_text.get()));
      continue;
    }
    std::size_t start = npos;
    if (e->create_with != nullptr) {
      start = writes.size();
      writes.push_back(store::RunWrite::start(m.run(), *e->create_with));
    }
    if (!m.pending().empty()) {
      slots.push_back({e, start, writes.size(), Then::records});
      writes.push_back(store::RunWrite::records(m.pending()));  // held records: all or none
      continue;
    }
    // Nothing pending and no thread (inline_only): the run has nothing left to start.
    e->ending = m.ending();
    if (!e->ending) {
      // Stopped: it stays running for a later claim (stored first if it was not yet).
      e->outcome = Outcome::interrupted;
      slots.push_back({e, start, writes.size(), Then::stop});
    } else if (job != nullptr) {
      slots.push_back({e, start, writes.size(), Then::ending});
      set_output_text(*e);
      writes.push_back(store::RunWrite::finish(*job, e->ending->status, e->ending->output, e->ending->error,
                                               clock_.now_ms(), e->output_text.get()));
    } else {
      // Without a job (a caller that executes a run it did not claim): a write of its own.
      auto stored = write_ending(store_, m.control(), m.run(), *e->ending, clock_.now_ms());
      if (stored.ok()) {
        m.ended(std::move(stored).take());
        e->outcome = Outcome::finished;
      } else {
        e->outcome = stored.error();
      }
      e->finished = true;
    }
  }
  if (!writes.empty()) store_.runs().write_batch(writes);
  std::vector<Status> statuses;
  for (const Slot& slot : slots) {
    Entry* e = slot.entry;
    RunMachine& m = e->machine;
    if (slot.start != npos) {
      Status& started = writes[slot.start].result;
      if (!started.ok()) {
        // Never stored: nothing of it is (its records failed with it), and nobody will resume it.
        e->outcome = started.error();
        e->finished = true;
        continue;
      }
      e->create_with = nullptr;
    }
    if (slot.then == Then::stop) {
      e->finished = true;
      continue;
    }
    if (slot.then == Then::complete) {
      store::RunWrite& w = writes[slot.at];
      if (!w.result.ok() && e->create_with != nullptr) {
        e->outcome = w.result.error();  // never stored, and nobody will resume it
        e->finished = true;
        continue;
      }
      e->create_with = nullptr;
      statuses.assign(m.pending().size(), w.result);
      auto go_on = m.committed(statuses);
      if (!go_on.ok() || !*go_on) {
        // Not stored (the job stays leased: retried when the lease expires), or ended elsewhere.
        e->outcome = go_on.ok() ? Result<Outcome>(Outcome::finished) : Result<Outcome>(go_on.error());
        e->finished = true;
        continue;
      }
      m.control().job_completed = true;
      m.ended(run_after_finish(m.run(), *e->ending, w.now, std::move(w.already), std::move(e->output_text)));
      e->outcome = Outcome::finished;
      e->finished = true;
      continue;
    }
    if (slot.then == Then::ending) {
      store::RunWrite& w = writes[slot.at];
      if (!w.result.ok()) {
        e->outcome = w.result.error();  // the job stays leased: retried when the lease expires
      } else {
        m.control().job_completed = true;
        m.ended(run_after_finish(m.run(), *e->ending, w.now, std::move(w.already), std::move(e->output_text)));
        e->outcome = Outcome::finished;
      }
      e->finished = true;
      continue;
    }
    statuses.assign(m.pending().size(), writes[slot.at].result);
    auto go_on = m.committed(statuses);
    if (!go_on.ok() || !*go_on) {
      e->outcome = go_on.ok() ? Result<Outcome>(Outcome::finished) : Result<Outcome>(go_on.error());
      e->finished = true;
    }
  }
}

}  // namespace weft::engine
