#include "cli/malloc_tuning.h"

#include <malloc.h>

namespace weft::cli {

// No re-exec for glibc's tcache tunable any more (it used to start `serve` and `worker` again
// with glibc.malloc.tcache_count=64): since the step loop runs inline steps and commits them
// in batches, four alternating pairs of the bench-peers flow showed no difference beyond the
// machine's noise (5,510-6,280 req/s at glibc's 7 vs 5,320-7,380 at 64), while the second
// dynamic load cost 13 ms of every start (33 -> 20 ms to listening) and ~1 MB under load. A
// user may still set GLIBC_TUNABLES; glibc reads it as always.
void tune_malloc() {
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
