// Sandbox figures through the real jailed processes (`weft sandbox-host` + IPC), as a worker
// sees them: warm call latency (p50/p99), throughput with 1, 2 and 4 sandbox processes, cold
// start (first call of a bundle: load + call through IPC) and RSS per idle actor.
// Usage: sandbox_ipc_bench [path-to-weft]   (defaults to the weft built beside it)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sandbox/sandbox_pool.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using weft::json;
using weft::sandbox::SandboxPool;
using weft::sandbox::SandboxPoolLimits;

constexpr char kBundle[] = R"js(
export default defineVendor({ id: "acme", tools: {
  "acme.ping": async (input, ctx) => ({ status: "ok", n: input.n, step: ctx.ids.stepId }),
} });
)js";

const json kCtx = {{"ids", {{"orgId", "org_1"}, {"runId", "run_1"}, {"stepId", "ping"}}}, {"idempotencyKey", "k"}};

SandboxPoolLimits limits() {
  SandboxPoolLimits l;
  l.max_actors_per_process = 1000;
  l.jail.max_open_files = 4096;  // each isolate holds a few descriptors (its event loop)
  l.jail.address_space_bytes = 64ull << 30;  // room for 200 code ranges
  return l;
}

void unlimited(SandboxPool& pool) {
  pool.set_policy_source([](const std::string&) {
    weft::sandbox::ExecutionPolicy p;
    p.max_concurrent_executions = 0;
    return p;
  });
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

bool call_once(SandboxPool& pool, const std::string& actor, int n) {
  auto out = pool.call(actor, std::string(kBundle), "acme.ping", {{"n", n}}, kCtx, 5000ms);
  if (!out.ok()) std::fprintf(stderr, "call failed: %s %s\n", out.error().code.c_str(), out.error().message.c_str());
  return out.ok();
}

void warm_latency(const std::string& weft) {
  SandboxPool pool(weft, 1, limits());
  unlimited(pool);
  const std::string actor = "org_1:acme:1.0.0";
  for (int i = 0; i < 2000; ++i) call_once(pool, actor, i);  // warm up (JIT, caches)
  std::vector<double> us;
  const int n = 20000;
  us.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (!call_once(pool, actor, i)) return;
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::printf("warm call through IPC (1 process, 1 caller, %d calls): p50 %.1f us  p99 %.1f us  max %.1f us\n", n,
              percentile(us, 0.50), percentile(us, 0.99), percentile(us, 1.0));
}

void throughput(const std::string& weft, int processes) {
  SandboxPool pool(weft, processes, limits());
  unlimited(pool);
  // One organization per process (the default: a process serves one organization at a
  // time), two callers per organization.
  const int callers = processes * 2;
  std::vector<std::string> actors;
  for (int i = 0; i < callers; ++i) actors.push_back("org_" + std::to_string(i % processes) + ":acme:1.0.0");
  for (const auto& a : actors) call_once(pool, a, 0);
  std::atomic<bool> stop{false};
  std::atomic<long> calls{0};
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (const auto& a : actors) {
    threads.emplace_back([&, a] {
      long mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (!call_once(pool, a, static_cast<int>(mine))) break;
        ++mine;
      }
      calls += mine;
    });
  }
  std::this_thread::sleep_for(3s);
  stop = true;
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("throughput: %d sandbox process(es), %d callers: %.0f calls/s\n", processes, callers, calls / secs);
}

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

void cold_start_and_rss(const std::string& weft) {
  SandboxPool pool(weft, 1, limits());
  unlimited(pool);
  call_once(pool, "org_1:warm:1.0.0", 0);  // the process itself is up
  const pid_t pid = pool.process(0).pid();
  const long before = rss_kb(pid);
  const int actors = 200;
  std::vector<double> ms;
  for (int i = 0; i < actors; ++i) {
    const auto t0 = Clock::now();
    if (!call_once(pool, "org_1:acme:" + std::to_string(i), 0)) return;  // 200 bundles of one org
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::this_thread::sleep_for(200ms);
  const long after = rss_kb(pid);
  std::printf("cold start (first call of a bundle: new isolate + module + call, through IPC): p50 %.2f ms  p99 %.2f ms\n",
              percentile(ms, 0.50), percentile(ms, 0.99));
  std::printf("RSS per idle actor: %.2f MB (%d actors: %.1f MB -> %.1f MB in the sandbox process)\n",
              (after - before) / 1024.0 / actors, actors, before / 1024.0, after / 1024.0);
}

// Per-org sharing: a call of an organization whose process last served another one waits for
// a fresh child (spawn, V8 start-up, jail) and its bundle load.
void org_switch(const std::string& weft) {
  SandboxPool pool(weft, 1, limits());
  unlimited(pool);
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    const auto t0 = Clock::now();
    if (!call_once(pool, "org_" + std::to_string(i % 2) + ":acme:1.0.0", i)) return;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::printf("organization switch on one process (fresh child + bundle load + call): p50 %.1f ms  max %.1f ms\n",
              percentile(ms, 0.50), percentile(ms, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string weft = argc > 1 ? argv[1] : WEFT_BINARY;
  warm_latency(weft);
  for (int p : {1, 2, 4}) throughput(weft, p);
  cold_start_and_rss(weft);
  org_switch(weft);
  return 0;
}
