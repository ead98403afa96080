#include "sandbox/jail.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

namespace weft::sandbox {
namespace {

class FakeJail final : public JailSyscalls {
 public:
  std::vector<std::string> calls;
  std::string fail_at;
  Status step(std::string what) {
    calls.push_back(what);
    if (what == fail_at) return Error::internal("fake failure at " + what);
    return {};
  }
  Status set_no_new_privs() override { return step("no_new_privs"); }
  Status set_rlimit(int resource, std::uint64_t soft, std::uint64_t hard) override {
    std::string name = resource == RLIMIT_AS ? "as" : resource == RLIMIT_CPU ? "cpu"
                     : resource == RLIMIT_NOFILE ? "nofile" : resource == RLIMIT_CORE ? "core" : "?";
    return step(name + "=" + std::to_string(soft) + "/" + std::to_string(hard));
  }
  Status install_seccomp_filter() override { return step("seccomp"); }
};

TEST(Jail, DropsPrivilegesThenLimitsThenSeccomp) {
  FakeJail fake;
  JailLimits limits{1u << 30, 10, 32};
  ASSERT_TRUE(enter_jail(limits, fake).ok());
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"no_new_privs", "core=0/0", "nofile=32/32",
                                                  "as=1073741824/1073741824", "cpu=10/15", "seccomp"}));
}

TEST(Jail, StopsAtTheFirstFailure) {
  FakeJail fake;
  fake.fail_at = "no_new_privs";
  auto s = enter_jail({}, fake);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fake.calls.size(), 1u);
}

}  // namespace
}  // namespace weft::sandbox
