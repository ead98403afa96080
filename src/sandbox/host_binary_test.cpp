// Where the server finds the sandbox host executable: $WEFT_SANDBOX_HOST, else beside itself.
#include "sandbox/host_binary.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "testing/temp_dir.h"

namespace weft::sandbox {
namespace {

class HostBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv(kSandboxHostEnv)) saved_ = v;
    ::unsetenv(kSandboxHostEnv);
  }
  void TearDown() override {
    if (saved_) {
      ::setenv(kSandboxHostEnv, saved_->c_str(), 1);
    } else {
      ::unsetenv(kSandboxHostEnv);
    }
  }
  std::optional<std::string> saved_;
};

TEST_F(HostBinaryTest, DefaultsToTheSiblingOfThisExecutable) {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(sandbox_host_path(), (self.parent_path() / "weft-sandbox-host").string());
}

TEST_F(HostBinaryTest, TheEnvironmentOverridesTheLookup) {
  ::setenv(kSandboxHostEnv, "/opt/weft/libexec/weft-sandbox-host", 1);
  EXPECT_EQ(sandbox_host_path(), "/opt/weft/libexec/weft-sandbox-host");
  ::setenv(kSandboxHostEnv, "", 1);  // empty: as if unset
  EXPECT_EQ(sandbox_host_path().substr(sandbox_host_path().rfind('/') + 1), "weft-sandbox-host");
}

TEST_F(HostBinaryTest, CheckAcceptsOnlyAnExecutableFile) {
  testing::TempDir dir;
  const std::string file = dir.file("host");
  testing::write_file(file, "#!/bin/sh\n");
  ::chmod(file.c_str(), 0600);
  auto not_exec = check_sandbox_host(file);
  ASSERT_FALSE(not_exec.ok());
  EXPECT_EQ(not_exec.error().code, "sandbox_unavailable");
  EXPECT_NE(not_exec.error().message.find(file), std::string::npos) << not_exec.error().message;
  ::chmod(file.c_str(), 0700);
  EXPECT_TRUE(check_sandbox_host(file).ok());
  EXPECT_FALSE(check_sandbox_host(dir.path()).ok());  // a directory is not a program
  auto missing = check_sandbox_host(dir.file("absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("WEFT_SANDBOX_HOST"), std::string::npos) << missing.error().message;
}

}  // namespace
}  // namespace weft::sandbox
