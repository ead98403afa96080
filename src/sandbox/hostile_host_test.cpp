// The parent does not trust its sandbox process: a compromised child (hostile_host_main.cpp)
// that floods, nests frames deeply, sends wrong types or goes silent gets replaced, and the
// server/worker neither crashes nor hangs.
#include <gtest/gtest.h>

#include <chrono>

#include "sandbox/host_client.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;

class HostileChild : public ::testing::Test {
 protected:
  static SandboxOptions options() {
    SandboxOptions o;
    o.binary = HOSTILE_HOST_BINARY;
    o.grace = 500ms;
    return o;
  }
  void SetUp() override { ASSERT_TRUE(sb.load("k", "source").ok()); }

  std::string code_of(const std::string& tool) {
    auto r = sb.call("k", tool, "{}", "{}", 1000ms);
    return r.ok() ? "ok" : r.error().code;
  }

  SandboxProcess sb{options()};
};

TEST_F(HostileChild, MisbehaviourReplacesTheChildAndTheParentCarriesOn) {
  EXPECT_EQ(code_of("fine"), "ok");
  for (const char* tool : {"flood", "deep", "badtypes", "forged_error", "silent"}) {
    const auto start = std::chrono::steady_clock::now();
    const int restarts = sb.restarts();
    EXPECT_EQ(code_of(tool), "sandbox_crashed") << tool;
    EXPECT_EQ(sb.restarts(), restarts + 1) << tool;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << tool;  // never hangs
    EXPECT_EQ(code_of("fine"), "ok") << "after " << tool;
  }
}

}  // namespace
}  // namespace weft::sandbox
