// Engine benchmarks on the embedded SQLite store, every step persisted:
//   BM_TransformChain100  — per-step engine overhead of a 100-step core.transform chain
//   BM_QueuedRuns         — completed runs/s for 1,000 queued 10-step runs drained by the pool
//                           (durability process; BM_QueuedRunsFull: durability full), with the
//                           store's commits and writes per run (group commit)
// Run: make bench   (or build-release/bench/weft_engine_bench --benchmark_filter=…)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/log.h"
#include "engine/executor.h"
#include "engine/worker_pool.h"
#include "engine/workflow_service.h"
#include "integrations/builtin/builtins.h"
#include "vault/vault.h"
#include "store/open_store.h"

namespace weft {
namespace {

// A fresh data dir with a migrated store, vault, built-in catalog and executor.
struct BenchEnv {
  explicit BenchEnv(store::Durability durability = store::Durability::process) {
    char templ[] = "/tmp/weft-bench-XXXXXX";
    dir = mkdtemp(templ);
    store = store::open_store({.url = dir + "/weft.db", .durability = durability}).take();
    vault = std::make_unique<vault::Vault>(store->credentials(),
                                           vault::MasterKey::from_hex(std::string(64, 'b')).take());
    (void)integrations::register_builtins(catalog, {});
    credentials = std::make_unique<engine::VaultCredentialSource>(*vault);
    org = store->orgs().ensure("bench").take();
    executor = std::make_unique<engine::Executor>(*store, catalog, *credentials, engine::ExecutorOptions{});
  }
  ~BenchEnv() {
    executor.reset();
    vault.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  WorkflowId save_chain(int steps) {
    json list = json::array();
    list.push_back({{"id", "s0"}, {"action", "core.transform"}, {"inputs", {{"value", {{"n", "{{trigger.n}}"}, {"tag", "start"}}}}}});
    for (int i = 1; i < steps; ++i) {
      list.push_back({{"id", "s" + std::to_string(i)},
                      {"action", "core.transform"},
                      {"inputs", {{"value", {{"n", "{{steps.s" + std::to_string(i - 1) + ".output.n}}"}, {"step", i}}}}}});
    }
    json doc = {{"name", "chain" + std::to_string(steps)}, {"steps", list}};
    return engine::save_workflow(*store, catalog, credentials.get(), org.id, doc)->id;
  }

  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<vault::Vault> vault;
  catalog::Catalog catalog;
  std::unique_ptr<engine::VaultCredentialSource> credentials;
  store::Org org;
  std::unique_ptr<engine::Executor> executor;
};

void BM_TransformChain100(benchmark::State& state) {
  BenchEnv env;
  const auto wf = env.save_chain(100);
  std::int64_t steps = 0;
  for (auto _ : state) {
    auto run = engine::enqueue_run(*env.store, env.org.id, wf, std::nullopt, {{"n", 7}});
    engine::RunControl control;
    auto outcome = env.executor->execute(env.org.id, run->id, control);
    if (!outcome.ok()) state.SkipWithError(outcome.error().message.c_str());
    steps += 100;
  }
  state.counters["writes_per_run"] = static_cast<double>(env.store->stats().writes) / static_cast<double>(state.iterations());
  state.counters["time_per_step"] = benchmark::Counter(static_cast<double>(steps),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(steps);
}
// Wall time: a run may execute on the engine's step loop thread, not the benchmark's.
BENCHMARK(BM_TransformChain100)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

void drain_queued_runs(benchmark::State& state, store::Durability durability) {
  const int runs = 1000;
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    BenchEnv env(durability);
    const auto wf = env.save_chain(10);
    for (int i = 0; i < runs; ++i) (void)engine::enqueue_run(*env.store, env.org.id, wf, std::nullopt, {{"n", i}});
    const store::StoreStats before = env.store->stats();
    engine::WorkerPool pool(*env.store, *env.executor, {.threads = threads, .lease_ms = 30000, .poll_ms = 5});
    const auto t0 = std::chrono::steady_clock::now();
    pool.start();
    while (pool.finished_runs() < runs) std::this_thread::sleep_for(std::chrono::microseconds(200));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    pool.stop();
    state.SetIterationTime(secs);
    state.counters["runs_per_s"] = runs / secs;
    state.counters["steps_per_s"] = runs * 10 / secs;
    const store::StoreStats after = env.store->stats();
    state.counters["commits_per_run"] = static_cast<double>(after.write_transactions - before.write_transactions) / runs;
    state.counters["writes_per_run"] = static_cast<double>(after.writes - before.writes) / runs;
  }
}

void BM_QueuedRuns(benchmark::State& state) { drain_queued_runs(state, store::Durability::process); }
void BM_QueuedRunsFull(benchmark::State& state) { drain_queued_runs(state, store::Durability::full); }
BENCHMARK(BM_QueuedRuns)->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->Arg(32)->Iterations(1)->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK(BM_QueuedRunsFull)->ArgName("workers")->Arg(4)->Arg(8)->Iterations(1)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
}  // namespace weft

int main(int argc, char** argv) {
  weft::init_logging("warn");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
