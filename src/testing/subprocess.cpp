#include "testing/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

extern char** environ;
#include <stdexcept>

#include "testing/temp_dir.h"

namespace weft::testing {

namespace {

// argv and envp built before fork(): the child of a multithreaded parent may only call
// async-signal-safe functions (no setenv, no allocation) before exec.
struct ExecPlan {
  std::vector<std::string> env_strings;
  std::vector<char*> args;
  std::vector<char*> envp;

  ExecPlan(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string key = entry.substr(0, entry.find('='));
      if (!env.count(key)) env_strings.push_back(entry);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
  }
};

[[noreturn]] void exec_child(const ExecPlan& plan) {
  execve(plan.args[0], plan.args.data(), plan.envp.data());
  _exit(127);
}

void fill_status(int status, ProcessResult& r) {
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& stdin_data) {
  TempDir dir;
  const std::string in_path = dir.file("stdin"), out_path = dir.file("stdout"),
                    err_path = dir.file("stderr");
  write_file(in_path, stdin_data);
  const ExecPlan plan(argv, env);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    exec_child(plan);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ProcessResult r;
  fill_status(status, r);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env,
                           const std::string& log_dir) {
  static int counter = 0;
  ++counter;
  out_path_ = log_dir + "/child" + std::to_string(counter) + ".out";
  err_path_ = log_dir + "/child" + std::to_string(counter) + ".err";
  const ExecPlan plan(argv, env);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(devnull, 0);
    dup2(out, 1);
    dup2(err, 2);
    exec_child(plan);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void ChildProcess::signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

ProcessResult ChildProcess::wait() {
  ProcessResult r;
  if (pid_ > 0) {
    int status = 0;
    waitpid(pid_, &status, 0);
    fill_status(status, r);
    pid_ = -1;
  }
  r.out = read_file(out_path_);
  r.err = read_file(err_path_);
  return r;
}

std::string ChildProcess::stderr_text() const { return read_file(err_path_); }

}  // namespace weft::testing
