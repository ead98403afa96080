// `weft serve` runs with glibc's per-thread malloc cache raised (cli/malloc_tuning.h): it
// re-executes itself once with GLIBC_TUNABLES naming the setting, and leaves a user's own
// tcache setting alone.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "api_harness.h"

namespace weft::apitest {
namespace {

// The process's environment as its last exec saw it.
std::vector<std::string> environ_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ");
  std::vector<std::string> out;
  for (std::string entry; std::getline(in, entry, '\0');) out.push_back(entry);
  return out;
}

std::string tunables_of(int pid) {
  for (const auto& entry : environ_of(pid)) {
    if (entry.rfind("GLIBC_TUNABLES=", 0) == 0) return entry.substr(15);
  }
  return "<unset>";
}

TEST(MallocTuning, ServeRunsWithTheTcacheTunable) {
  WeftServer server;
  ASSERT_GT(server.pid(), 0);
  EXPECT_EQ(tunables_of(server.pid()), "glibc.malloc.tcache_count=64");
  // Still called weft in ps, top and pgrep.
  std::ifstream comm("/proc/" + std::to_string(server.pid()) + "/comm");
  std::string name;
  std::getline(comm, name);
  EXPECT_EQ(name, "weft");
  EXPECT_EQ(server.setup().status, 201) << server.log_text();  // and it serves
}

TEST(MallocTuning, AUsersOwnTcacheSettingWins) {
  WeftServer own(std::map<std::string, std::string>{{"GLIBC_TUNABLES", "glibc.malloc.tcache_count=3"}});
  EXPECT_EQ(tunables_of(own.pid()), "glibc.malloc.tcache_count=3");
  EXPECT_EQ(own.setup().status, 201) << own.log_text();
}

}  // namespace
}  // namespace weft::apitest
