// cli/malloc_tuning.h — owns how the `weft` process sets up glibc's allocator for a server's
// many threads: fewer arenas, freed heap kept instead of returned at every 128 kB, and larger
// per-thread caches. It runs first thing in main() and knows nothing of Weft's own code.
#pragma once

namespace weft::cli {

// mallopt() for the arena count and heap trimming. For a server subcommand (`serve`, `worker`)
// whose environment does not set glibc's tcache tunable yet, it first re-executes the binary
// once with GLIBC_TUNABLES naming it (glibc reads tunables only at start); if that exec fails
// the process simply goes on with glibc's defaults.
void tune_malloc(int argc, char** argv);

}  // namespace weft::cli
