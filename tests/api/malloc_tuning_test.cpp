// `weft serve` tunes malloc in-process (cli/malloc_tuning.h) and starts once: it no longer
// re-executes itself to add a GLIBC_TUNABLES setting (a second dynamic load on every start),
// and a user's own GLIBC_TUNABLES reaches it unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
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

TEST(MallocTuning, ServeStartsOnceWithTheEnvironmentItWasGiven) {
  ASSERT_EQ(::getenv("GLIBC_TUNABLES"), nullptr) << "the test runs without GLIBC_TUNABLES";
  WeftServer server;
  ASSERT_GT(server.pid(), 0);
  EXPECT_EQ(tunables_of(server.pid()), "<unset>");  // nothing added, so nothing re-executed
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
