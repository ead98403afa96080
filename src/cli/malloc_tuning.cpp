#include "cli/malloc_tuning.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace weft::cli {

namespace {

// 64 cached chunks per size class and thread instead of 7: an HTTP handler thread and the
// step loop then rarely take an arena lock. bench-peers flow (webhook -> 10 steps): 3,030 ->
// 3,420-3,480 req/s; RSS under that load 26.3 -> 27.5 MB; idle unchanged.
constexpr const char* kTunable = "glibc.malloc.tcache_count";
constexpr const char* kTunableSetting = "glibc.malloc.tcache_count=64";

bool is_server(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "serve") == 0 || std::strcmp(argv[i], "worker") == 0) return true;
  }
  return false;
}

}  // namespace

void tune_malloc(int argc, char** argv) {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (is_server(argc, argv) && (tunables == nullptr || std::strstr(tunables, kTunable) == nullptr)) {
    const std::optional<std::string> before = tunables ? std::optional<std::string>(tunables) : std::nullopt;
    std::string value = before && !before->empty() ? *before + ":" : std::string();
    value += kTunableSetting;
    // The binary's own path, not /proc/self/exe: the process keeps its name ("weft" in ps, top
    // and pgrep), which comes from the path exec'd.
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0 && setenv("GLIBC_TUNABLES", value.c_str(), 1) == 0) {
      self[n] = '\0';
      execv(self, argv);  // returns only on failure (the binary was replaced or removed): go on untuned
      if (before) setenv("GLIBC_TUNABLES", before->c_str(), 1);
      else unsetenv("GLIBC_TUNABLES");
    }
  }
  // Two malloc arenas instead of glibc's 8 per core: the threads that allocate (HTTP handlers,
  // workers) share them with little contention on this workload, and idle memory stays low.
  mallopt(M_ARENA_MAX, 2);
  // Keep up to 16 MB of freed heap instead of giving it back at every 128 kB: each return is a
  // brk/munmap whose TLB shootdown interrupts the other core. Under webhook load those were 9 %
  // of the server's CPU (perf: __brk -> flush_tlb_mm_range); without them 2,320-2,540 ->
  // 3,040-3,280 req/s for the bench-peers flow. Idle memory is unaffected.
  mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
  mallopt(M_TOP_PAD, 1024 * 1024);
}

}  // namespace weft::cli
