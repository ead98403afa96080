// cli/malloc_tuning.h — owns how the `weft` process sets up glibc's allocator for a server's
// many threads: fewer arenas, and freed heap kept instead of returned at every 128 kB. It runs
// first thing in main() and knows nothing of Weft's own code.
#pragma once

namespace weft::cli {

// mallopt() for the arena count and heap trimming.
void tune_malloc();

}  // namespace weft::cli
