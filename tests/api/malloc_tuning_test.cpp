// `weft serve` allocates with jemalloc (linked into the weft executable, src/cli/CMakeLists.txt)
// and starts once: it does not re-execute itself to set an allocator tunable (a second dynamic
// load on every start), and a user's own GLIBC_TUNABLES reaches it unchanged.
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

// The process maps jemalloc: the executable's own dependency, so its malloc comes before libc's
// in the global symbol scope.
TEST(MallocTuning, ServeAllocatesWithJemalloc) {
  WeftServer server;
  ASSERT_GT(server.pid(), 0);
  std::ifstream maps("/proc/" + std::to_string(server.pid()) + "/maps");
  std::stringstream text;
  text << maps.rdbuf();
  EXPECT_NE(text.str().find("libjemalloc"), std::string::npos) << "weft serve maps no jemalloc";
  EXPECT_EQ(server.setup().status, 201) << server.log_text();
}

TEST(MallocTuning, AUsersOwnTcacheSettingWins) {
  WeftServer own(std::map<std::string, std::string>{{"GLIBC_TUNABLES", "glibc.malloc.tcache_count=3"}});
  EXPECT_EQ(tunables_of(own.pid()), "glibc.malloc.tcache_count=3");
  EXPECT_EQ(own.setup().status, 201) << own.log_text();
}

}  // namespace
}  // namespace weft::apitest
