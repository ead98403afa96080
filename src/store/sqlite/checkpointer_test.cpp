// The background checkpointer: a long burst of writes ends up in the main database file while
// the store stays open, and every write stays readable throughout. Its connection is opened only
// once the WAL has grown enough to ask for a checkpoint. Writes that pause now and then let it
// catch up, so the WAL restarts from its beginning instead of growing, without it ever taking
// the writer.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/open_store.h"
#include "store/sqlite/connection_pool.h"
#include "store/store.h"
#include "testing/temp_dir.h"

namespace weft::store::sqlite {
namespace {

// How many descriptors of this process are open on `path` itself (one per SQLite connection).
int connections_to(const std::string& path) {
  int n = 0;
  std::error_code ec;
  const auto want = std::filesystem::canonical(path, ec);
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    if (std::filesystem::read_symlink(fd.path(), link_ec) == want) ++n;
  }
  return n;
}

TEST(Checkpointer, BurstOfWritesIsCheckpointedInTheBackground) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("weft.db");
  StoreOptions options;
  options.url = path;
  auto opened = open_store(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  const OrgId org = store.orgs().ensure("acme")->id;
  const auto initial_size = std::filesystem::file_size(path);
  ASSERT_TRUE(store.orgs().get(org).ok());
  const int before = connections_to(path);  // the writer and one reader
  EXPECT_EQ(before, 2);

  RunRecord run;
  run.id = new_id<RunId>();
  run.org = org;
  run.workflow = WorkflowId("wf_x");
  run.workflow_version = 1;
  run.created_at = 1;
  ASSERT_TRUE(store.runs().create_queued(run).ok());
  // Enough commits to pass the 2,048-page WAL threshold several times over.
  constexpr int kSteps = 3000;
  for (int i = 0; i < kSteps; ++i) {
    StepRunRecord step;
    step.run = run.id;
    step.org = org;
    step.step_id = "step-" + std::to_string(i);
    step.output = json{{"text", std::string(200, 'x')}};
    ASSERT_TRUE(store.runs().record_step(step).ok());
  }

  // The checkpointer copies pages into the main file while the store is still open.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::filesystem::file_size(path) <= initial_size + 256 * 1024 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(std::filesystem::file_size(path), initial_size + 256 * 1024);
  EXPECT_EQ(connections_to(path), before + 1) << "the checkpointer's connection opens with its first checkpoint";

  auto steps = store.runs().steps(org, run.id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), static_cast<std::size_t>(kSteps));
  EXPECT_EQ(steps->front().step_id, "step-0");
  EXPECT_EQ(steps->back().step_id, "step-" + std::to_string(kSteps - 1));
}

TEST(Checkpointer, AWalCaughtUpBetweenBurstsRestartsInsteadOfGrowing) {
  weft::testing::TempDir dir;
  const std::string path = dir.file("bursts.db");
  auto opened = ConnectionPool::open(path, 1);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto pool = std::move(opened).take();
  ASSERT_TRUE(pool->writer()->exec("CREATE TABLE t (v BLOB NOT NULL)").ok());
  // Twelve bursts of commits of ~3 KB each (each commit adds at least two WAL frames of 4 KB:
  // over 78 MB of frames in all), each burst past the checkpoint threshold, a pause after each.
  constexpr int kBursts = 12;
  constexpr int kCommitsPerBurst = 800;
  for (int burst = 0; burst < kBursts; ++burst) {
    for (int i = 0; i < kCommitsPerBurst; ++i) {
      ASSERT_TRUE(pool->writer()->exec("INSERT INTO t (v) VALUES (randomblob(3000))").ok());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const auto written = static_cast<std::uintmax_t>(kBursts) * kCommitsPerBurst * 2 * 4096;  // at least
  const auto wal = std::filesystem::file_size(path + "-wal");
  // It restarts after each pause: it holds about one burst (~10 MB). Restarting only every 32 MB
  // (as when a pass had to hold the writer to finish), or never, leaves it far larger.
  EXPECT_LT(wal, 24u * 1024 * 1024) << "the WAL restarted rarely or never (" << written << " bytes of frames written)";
  auto reader = pool->reader();
  auto q = reader->query("SELECT count(*) FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->step());
  EXPECT_EQ(q->int64(0), kBursts * kCommitsPerBurst);
}

}  // namespace
}  // namespace weft::store::sqlite
