// Sandbox latency: a warm call (JSON in → async tool → microtasks drained → JSON out) and a
// cold start (new isolate + module + first call).
#include <benchmark/benchmark.h>

#include <chrono>

#include "sandbox/isolate_host.h"

namespace {

using namespace std::chrono_literals;

constexpr char kBundle[] = R"js(
export default defineVendor({ id: "acme", tools: {
  "acme.ping": async (input, ctx) => ({ status: "ok", n: input.n, step: ctx.ids.stepId }),
} });
)js";
constexpr char kCtx[] = R"({"ids":{"orgId":"org_1","runId":"run_1","stepId":"ping"}})";

void BM_WarmCall(benchmark::State& state) {
  auto iso = weft::sandbox::Isolate::load("acme/dist/index.js", kBundle).take();
  for (auto _ : state) {
    auto out = iso->call("acme.ping", R"({"n":1})", kCtx, 1000ms);
    if (!out.ok()) state.SkipWithError(out.error().message.c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_WarmCall);

void BM_ColdStart(benchmark::State& state) {
  for (auto _ : state) {
    auto iso = weft::sandbox::Isolate::load("acme/dist/index.js", kBundle).take();
    auto out = iso->call("acme.ping", R"({"n":1})", kCtx, 1000ms);
    if (!out.ok()) state.SkipWithError(out.error().message.c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ColdStart)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
