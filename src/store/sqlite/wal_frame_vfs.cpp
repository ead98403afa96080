#include "store/sqlite/wal_frame_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace weft::store::sqlite {

namespace {

constexpr int kFrameHeaderSize = 24;  // WAL_FRAME_HDRSIZE (wal.c)
constexpr const char* kName = "weft-wal";

sqlite3_vfs* g_real = nullptr;  // the default VFS this one wraps; set once at registration
sqlite3_vfs g_vfs;
std::atomic<std::uint64_t> g_coalesced{0};

// Allocated by SQLite (szOsFile bytes, not constructed): our fields, then the real file.
struct FrameFile {
  sqlite3_file base;           // must be first: SQLite sees this
  sqlite3_file* real;          // points just past this struct
  bool wal;                    // coalesce only in WAL files
  sqlite3_int64 held_offset;   // offset of the held header, or -1
  sqlite3_int64 written_to;    // end of the last write if nothing else touched the file since, or -1
  unsigned char held[kFrameHeaderSize];
  unsigned char* scratch;      // header + page, sqlite3_malloc'd
  int scratch_size;
};

FrameFile* self(sqlite3_file* f) { return reinterpret_cast<FrameFile*>(f); }
const sqlite3_io_methods* real_methods(FrameFile* p) { return p->real->pMethods; }

// Writes a held header where SQLite asked for it (kept held if that fails, to be tried again),
// and forgets the last write: whatever comes next does not directly follow it.
int flush(FrameFile* p) {
  p->written_to = -1;
  if (p->held_offset < 0) return SQLITE_OK;
  const int rc = real_methods(p)->xWrite(p->real, p->held, kFrameHeaderSize, p->held_offset);
  if (rc == SQLITE_OK) p->held_offset = -1;
  return rc;
}

int file_close(sqlite3_file* f) {
  FrameFile* p = self(f);
  int rc = flush(p);
  const int closed = real_methods(p)->xClose(p->real);
  sqlite3_free(p->scratch);
  p->scratch = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}

int file_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xRead(p->real, buffer, amount, offset);
}

// Which 24-byte writes are held: only one that directly follows (no other call on the file in
// between) a write ending where it starts. In SQLite's wal.c that is a frame header written by
// walWriteOneFrame, whose next call writes the frame's page at offset + 24: the header is then
// held for the time of one call. Other 24-byte writes are written at once: the checksum rewrite
// of walRewriteChecksums (a header written after reading its frame, with nothing after it), and
// the tail of a page split around a sync point (after the sync).
int file_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  FrameFile* p = self(f);
  bool follows_last_write = p->written_to >= 0 && offset == p->written_to;
  if (p->held_offset >= 0) {
    if (offset == p->held_offset + kFrameHeaderSize) {
      // The page of the held header: one buffer, one call.
      const int total = kFrameHeaderSize + amount;
      if (p->scratch_size < total) {
        auto* grown = static_cast<unsigned char*>(sqlite3_realloc(p->scratch, total));
        if (grown != nullptr) {
          p->scratch = grown;
          p->scratch_size = total;
        }
      }
      if (p->scratch_size >= total) {
        std::memcpy(p->scratch, p->held, kFrameHeaderSize);
        std::memcpy(p->scratch + kFrameHeaderSize, buffer, static_cast<std::size_t>(amount));
        const sqlite3_int64 at = p->held_offset;
        const int rc = real_methods(p)->xWrite(p->real, p->scratch, total, at);
        p->held_offset = -1;  // written with its page, or the frame's write failed as a whole
        p->written_to = rc == SQLITE_OK ? offset + amount : -1;
        if (rc == SQLITE_OK) g_coalesced.fetch_add(1, std::memory_order_relaxed);
        return rc;
      }
    }
    // Not the page of the held header (never seen from wal.c): written as asked, one by one.
    if (int rc = flush(p); rc != SQLITE_OK) return rc;
    follows_last_write = false;
  }
  if (p->wal && amount == kFrameHeaderSize && follows_last_write) {
    std::memcpy(p->held, buffer, kFrameHeaderSize);
    p->held_offset = offset;
    return SQLITE_OK;
  }
  const int rc = real_methods(p)->xWrite(p->real, buffer, amount, offset);
  p->written_to = rc == SQLITE_OK ? offset + amount : -1;
  return rc;
}

int file_truncate(sqlite3_file* f, sqlite3_int64 size) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xTruncate(p->real, size);
}

int file_sync(sqlite3_file* f, int flags) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xSync(p->real, flags);
}

int file_size(sqlite3_file* f, sqlite3_int64* size) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xFileSize(p->real, size);
}

int file_lock(sqlite3_file* f, int level) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xLock(p->real, level);
}

int file_unlock(sqlite3_file* f, int level) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xUnlock(p->real, level);
}

int file_check_reserved_lock(sqlite3_file* f, int* out) {
  FrameFile* p = self(f);
  return real_methods(p)->xCheckReservedLock(p->real, out);
}

int file_control(sqlite3_file* f, int op, void* arg) {
  FrameFile* p = self(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xFileControl(p->real, op, arg);
}

int file_sector_size(sqlite3_file* f) {
  FrameFile* p = self(f);
  return real_methods(p)->xSectorSize(p->real);
}

int file_device_characteristics(sqlite3_file* f) {
  FrameFile* p = self(f);
  return real_methods(p)->xDeviceCharacteristics(p->real);
}

// Shared memory and memory-mapped reads belong to the main database file (never a WAL file
// with a held header); passed through.
int file_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return real_methods(p)->xShmMap(p->real, region, size, extend, out);
}

int file_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return real_methods(p)->xShmLock(p->real, offset, n, flags);
}

void file_shm_barrier(sqlite3_file* f) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion >= 2) real_methods(p)->xShmBarrier(p->real);
}

int file_shm_unmap(sqlite3_file* f, int delete_flag) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion < 2) return SQLITE_OK;
  return real_methods(p)->xShmUnmap(p->real, delete_flag);
}

int file_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return real_methods(p)->xFetch(p->real, offset, amount, out);
}

int file_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* pointer) {
  FrameFile* p = self(f);
  if (real_methods(p)->iVersion < 3) return SQLITE_OK;
  return real_methods(p)->xUnfetch(p->real, offset, pointer);
}

const sqlite3_io_methods kMethods = {
    3,
    file_close,
    file_read,
    file_write,
    file_truncate,
    file_sync,
    file_size,
    file_lock,
    file_unlock,
    file_check_reserved_lock,
    file_control,
    file_sector_size,
    file_device_characteristics,
    file_shm_map,
    file_shm_lock,
    file_shm_barrier,
    file_shm_unmap,
    file_fetch,
    file_unfetch,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  FrameFile* p = self(f);
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  p->wal = (flags & SQLITE_OPEN_WAL) != 0;
  p->held_offset = -1;
  p->written_to = -1;
  p->scratch = nullptr;
  p->scratch_size = 0;
  const int rc = g_real->xOpen(g_real, name, p->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set: set only if the real file is open.
  p->base.pMethods = p->real->pMethods != nullptr ? &kMethods : nullptr;
  return rc;
}

int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_real->xDelete(g_real, name, sync_dir); }
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return g_real->xFullPathname(g_real, name, size, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void vfs_dl_error(sqlite3_vfs*, int size, char* out) { g_real->xDlError(g_real, size, out); }
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_real->xDlSym(g_real, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { g_real->xDlClose(g_real, handle); }
int vfs_randomness(sqlite3_vfs*, int size, char* out) { return g_real->xRandomness(g_real, size, out); }
int vfs_sleep(sqlite3_vfs*, int micros) { return g_real->xSleep(g_real, micros); }
int vfs_current_time(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int vfs_get_last_error(sqlite3_vfs*, int size, char* out) {
  return g_real->xGetLastError != nullptr ? g_real->xGetLastError(g_real, size, out) : 0;
}
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

const char* wal_frame_vfs() {
  static std::once_flag once;
  static bool registered = false;
  std::call_once(once, [] {
    if (sqlite3_initialize() != SQLITE_OK) return;
    g_real = sqlite3_vfs_find(nullptr);
    if (g_real == nullptr || g_real->iVersion < 2 || g_real->xCurrentTimeInt64 == nullptr) return;
    std::memset(&g_vfs, 0, sizeof g_vfs);
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FrameFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = kName;
    g_vfs.xOpen = vfs_open;
    g_vfs.xDelete = vfs_delete;
    g_vfs.xAccess = vfs_access;
    g_vfs.xFullPathname = vfs_full_pathname;
    g_vfs.xDlOpen = vfs_dl_open;
    g_vfs.xDlError = vfs_dl_error;
    g_vfs.xDlSym = vfs_dl_sym;
    g_vfs.xDlClose = vfs_dl_close;
    g_vfs.xRandomness = vfs_randomness;
    g_vfs.xSleep = vfs_sleep;
    g_vfs.xCurrentTime = vfs_current_time;
    g_vfs.xGetLastError = vfs_get_last_error;
    g_vfs.xCurrentTimeInt64 = vfs_current_time_int64;
    registered = sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) == SQLITE_OK;
  });
  return registered ? kName : nullptr;
}

std::uint64_t wal_frames_coalesced() { return g_coalesced.load(std::memory_order_relaxed); }

}  // namespace weft::store::sqlite
