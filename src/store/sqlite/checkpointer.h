// store/sqlite/checkpointer.h — owns WAL checkpointing off the write path: the writer's commit
// hook signals once the WAL has grown, and a background thread copies it back into the database
// with PASSIVE checkpoints, which never block the writer or readers. Runs no other SQL.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace weft::store::sqlite {

class Checkpointer {
 public:
  // Installs the commit hook on `writer` (replacing SQLite's inline auto-checkpoint) and starts
  // the thread; the thread opens its own connection to `path` with the first checkpoint the WAL's
  // growth asks for, so a process that writes little never opens it (nor parses the schema a
  // third time). `writer` must outlive the Checkpointer.
  static Result<std::unique_ptr<Checkpointer>> start(const std::string& path, Database& writer);

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Removes the hook, stops and joins the thread.
  ~Checkpointer();

 private:
  Checkpointer(std::string path, Database& writer);
  // sqlite3_wal_hook callback, on the writer's thread after each commit.
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();
  // PASSIVE passes on db_ while the writer adds less than the pass before; true once one finds
  // nothing new (the next commit restarts the WAL) or failed for a reason retrying will not mend.
  bool checkpoint_until_caught_up();

  const std::string path_;
  std::unique_ptr<Database> db_;  // the checkpointing connection, opened and used by thread_ only
  Database& writer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;  // a checkpoint is asked for and not caught up yet
  bool asked_ = false;    // the writer asked again since the last passes began
  std::atomic<std::int64_t> last_commit_ns_{0};  // steady clock, set by on_commit
  int requested_at_ = 0;  // WAL pages at the last request (writer's thread only)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace weft::store::sqlite
