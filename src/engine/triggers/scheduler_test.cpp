// The scheduler over a real SQLite store with a hand-moved clock: one run per slot, no double
// firing across schedulers (two stores on one database file = two processes), missed slots
// collapse into one run, and sync_schedule follows the workflow's trigger.
#include "engine/triggers/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::engine {
namespace {

constexpr TimeMs kStart = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr TimeMs kMinute = 60 * 1000;

json workflow_doc(const json& trigger) {
  return {{"name", "scheduled"},
          {"trigger", trigger},
          {"steps", json::array({{{"id", "a"}, {"action", "core.noop"}, {"inputs", json::object()}}})}};
}

std::unique_ptr<store::Store> open(const std::string& path) {
  auto opened = store::open_store({.url = path});
  if (!opened.ok()) throw std::runtime_error(opened.error().message);
  return std::move(opened).take();
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = open(dir.file("weft.db"));
    org = store->orgs().ensure("default").take();
  }

  // A workflow with `trigger`, registered through sync_schedule.
  store::WorkflowRecord add_workflow(const json& trigger) {
    auto wf = store->workflows().create(org.id, "scheduled", workflow_doc(trigger));
    EXPECT_TRUE(wf.ok());
    auto synced = sync_schedule(*store, wf.value(), clock);
    EXPECT_TRUE(synced.ok()) << synced.error().message;
    return wf.value();
  }

  std::vector<store::RunRecord> runs() {
    store::RunFilter filter;
    filter.limit = 1000;
    return store->runs().list(org.id, filter).take();
  }

  testing::TempDir dir;
  ManualClock clock{kStart + 30 * 1000};
  std::unique_ptr<store::Store> store;
  store::Org org;
};

TEST_F(SchedulerTest, SyncRegistersTheNextSlotAndRemovesIt) {
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "*/5 * * * *"}, {"timezone", "Europe/Paris"}});
  auto schedule = store->triggers().get_schedule(org.id, wf.id).take();
  ASSERT_TRUE(schedule.has_value());
  EXPECT_EQ(schedule->cron, "*/5 * * * *");
  EXPECT_EQ(schedule->timezone, "Europe/Paris");
  EXPECT_EQ(schedule->next_fire_at, kStart + 5 * kMinute);

  auto manual = store->workflows().save_version(org.id, wf.id, "scheduled", workflow_doc({{"type", "manual"}})).take();
  ASSERT_TRUE(sync_schedule(*store, manual, clock).ok());
  EXPECT_FALSE(store->triggers().get_schedule(org.id, wf.id).take().has_value());
  // Removing again (nothing registered) is fine.
  EXPECT_TRUE(sync_schedule(*store, manual, clock).ok());
}

TEST_F(SchedulerTest, SyncDefaultsToUtcAndRejectsBadSchedules) {
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "0 * * * *"}});
  EXPECT_EQ(store->triggers().get_schedule(org.id, wf.id).take()->timezone, "UTC");

  auto bad_cron = wf;
  bad_cron.definition = workflow_doc({{"type", "schedule"}, {"cron", "61 * * * *"}});
  auto synced = sync_schedule(*store, bad_cron, clock);
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.error().code, "invalid_cron");

  auto bad_zone = wf;
  bad_zone.definition = workflow_doc({{"type", "schedule"}, {"cron", "* * * * *"}, {"timezone", "Nowhere/City"}});
  synced = sync_schedule(*store, bad_zone, clock);
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.error().code, "unknown_timezone");

  auto never = wf;
  never.definition = workflow_doc({{"type", "schedule"}, {"cron", "0 0 31 2 *"}});
  EXPECT_EQ(sync_schedule(*store, never, clock).error().code, "invalid_cron");
  // The previous, valid schedule is untouched by the failed syncs.
  EXPECT_EQ(store->triggers().get_schedule(org.id, wf.id).take()->cron, "0 * * * *");
}

TEST_F(SchedulerTest, FiresOncePerMinuteSlot) {
  int wakes = 0;
  Scheduler scheduler(*store, {}, [&] { ++wakes; }, clock);
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});

  EXPECT_EQ(scheduler.tick().take(), 0);  // 00:00:30: nothing due yet
  clock.set_ms(kStart + kMinute);
  EXPECT_EQ(scheduler.tick().take(), 1);
  EXPECT_EQ(scheduler.tick().take(), 0);  // same instant: the slot already fired
  clock.advance_ms(30 * 1000);
  EXPECT_EQ(scheduler.tick().take(), 0);
  clock.set_ms(kStart + 2 * kMinute);
  EXPECT_EQ(scheduler.tick().take(), 1);
  EXPECT_EQ(wakes, 2);

  auto all = runs();
  ASSERT_EQ(all.size(), 2u);
  const auto& first = all.back();  // newest first
  EXPECT_EQ(first.workflow, wf.id);
  EXPECT_EQ(first.workflow_version, 1);
  EXPECT_EQ(first.status, store::RunStatus::queued);
  EXPECT_EQ(first.input["scheduledAt"], "2024-01-01T00:01:00.000Z");
  EXPECT_EQ(first.input["firedAt"], "2024-01-01T00:01:00.000Z");
  EXPECT_EQ(first.created_at, kStart + kMinute);
  EXPECT_EQ(store->jobs().pending_count().take(), 2);
}

TEST_F(SchedulerTest, RunsUseTheLatestWorkflowVersion) {
  Scheduler scheduler(*store, {}, nullptr, clock);
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  auto v2 = store->workflows().save_version(org.id, wf.id, "scheduled v2",
                                            workflow_doc({{"type", "schedule"}, {"cron", "* * * * *"}})).take();
  ASSERT_TRUE(sync_schedule(*store, v2, clock).ok());
  clock.set_ms(kStart + kMinute);
  EXPECT_EQ(scheduler.tick().take(), 1);
  EXPECT_EQ(runs().at(0).workflow_version, 2);
}

TEST_F(SchedulerTest, DowntimeFiresOnceAndMovesToTheFuture) {
  Scheduler scheduler(*store, {}, nullptr, clock);
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  clock.set_ms(kStart + 10 * kMinute + 30 * 1000);  // ten slots missed while "down"

  EXPECT_EQ(scheduler.tick().take(), 1);
  EXPECT_EQ(scheduler.tick().take(), 0);
  auto all = runs();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].input["scheduledAt"], "2024-01-01T00:01:00.000Z");  // the first missed slot
  EXPECT_EQ(all[0].input["firedAt"], "2024-01-01T00:10:30.000Z");
  auto schedule = store->triggers().get_schedule(org.id, wf.id).take();
  EXPECT_EQ(schedule->next_fire_at, kStart + 11 * kMinute);
  EXPECT_GT(schedule->next_fire_at, clock.now_ms());
}

TEST_F(SchedulerTest, TwoProcessesNeverDoubleFire) {
  auto other_store = open(dir.file("weft.db"));  // a second connection pool: another process
  for (int i = 0; i < 3; ++i) add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  Scheduler a(*store, {}, nullptr, clock);
  Scheduler b(*other_store, {}, nullptr, clock);

  constexpr int kSlots = 8;
  int fired = 0;
  for (int slot = 1; slot <= kSlots; ++slot) {
    clock.set_ms(kStart + slot * kMinute);
    std::atomic<int> fired_a{0}, fired_b{0};
    std::thread ta([&] { for (int i = 0; i < 3; ++i) fired_a += a.tick().take(); });
    std::thread tb([&] { for (int i = 0; i < 3; ++i) fired_b += b.tick().take(); });
    ta.join();
    tb.join();
    EXPECT_EQ(fired_a + fired_b, 3) << "slot " << slot;
    fired += fired_a + fired_b;
  }
  EXPECT_EQ(fired, 3 * kSlots);
  EXPECT_EQ(runs().size(), static_cast<std::size_t>(3 * kSlots));
}

TEST_F(SchedulerTest, DropsSchedulesThatCanNoLongerFire) {
  Scheduler scheduler(*store, {}, nullptr, clock);
  auto wf = add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  // A schedule whose stored cron no longer parses (e.g. written by another version).
  store::Schedule broken{wf.id, org.id, "not a cron", "UTC", kStart};
  ASSERT_TRUE(store->triggers().put_schedule(broken).ok());
  clock.set_ms(kStart + kMinute);
  EXPECT_EQ(scheduler.tick().take(), 0);
  EXPECT_FALSE(store->triggers().get_schedule(org.id, wf.id).take().has_value());

  // A workflow that was deleted takes its schedule with it.
  auto gone = add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  ASSERT_TRUE(store->workflows().remove(org.id, gone.id).ok());
  clock.advance_ms(kMinute);
  EXPECT_EQ(scheduler.tick().take(), 0);
  EXPECT_FALSE(store->triggers().get_schedule(org.id, gone.id).take().has_value());
  EXPECT_TRUE(runs().empty());
}

TEST_F(SchedulerTest, ThreadTicksUntilStopped) {
  std::mutex mutex;
  std::condition_variable cv;
  int wakes = 0;
  Scheduler scheduler(*store, {.tick_ms = 5}, [&] {
    std::lock_guard lock(mutex);
    ++wakes;
    cv.notify_all();
  }, clock);
  add_workflow({{"type", "schedule"}, {"cron", "* * * * *"}});
  scheduler.start();
  scheduler.start();  // idempotent
  clock.set_ms(kStart + kMinute);
  {
    std::unique_lock lock(mutex);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return wakes == 1; }));
  }
  scheduler.stop();
  scheduler.stop();  // idempotent
  EXPECT_EQ(runs().size(), 1u);
}

}  // namespace
}  // namespace weft::engine
