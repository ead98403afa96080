// testing/subprocess.h — owns child processes in tests: spawn the `weft` binary with args and
// env, read its output, signal it (SIGKILL for crash tests) and reap it. Test-only code.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace weft::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs `argv` to completion with extra `env` entries; captures stdout/stderr.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          const std::string& stdin_data = "");

// A background child; its stdout/stderr go to files under `log_dir`. Killed (SIGKILL) and
// reaped on destruction if still running.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& log_dir);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig);
  // Waits for exit; returns the exit status as in ProcessResult (out/err read from the files).
  ProcessResult wait();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  std::string err_path_;
};

}  // namespace weft::testing
