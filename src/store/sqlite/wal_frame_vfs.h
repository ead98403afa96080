// store/sqlite/wal_frame_vfs.h — owns "weft-wal", a SQLite VFS over the platform's default one
// that writes each WAL frame with one write call. SQLite writes a frame as two: its 24-byte
// header, then its page at the next offset; under webhook load that was 31 pwrite calls per
// request and the largest single cost of the step loop's commits. This VFS holds back a frame
// header that directly follows the previous frame's write and writes it together with its page
// (one buffer, one call): a header is held only between the two calls SQLite makes for one
// frame, never across a commit, so every other connection, process and recovery sees the file
// as SQLite wrote it. Any other call on the WAL file in between (read, sync, size, truncate,
// lock, close) writes a held header first. Everything else is passed through unchanged; a WAL
// written through it is read by plain SQLite. It must not buffer anything else, reorder writes,
// or touch files other than WAL files.
#pragma once

#include <cstdint>

namespace weft::store::sqlite {

// Registers the VFS (once; thread-safe; not as the default) and returns its name for
// sqlite3_open_v2, or nullptr if it could not be registered (callers then open with the
// default VFS: correct, just with two writes per frame).
const char* wal_frame_vfs();

// Frames written with one call since start (for tests and benchmarks).
std::uint64_t wal_frames_coalesced();

}  // namespace weft::store::sqlite
