#include "core/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace weft {
namespace {

TEST(Config, EnvironmentOverridesDefaults) {
  setenv("WEFT_DATA_DIR", "/tmp/weft-x", 1);
  setenv("WEFT_WORKERS", "7", 1);
  setenv("WEFT_SLACK_API_BASE", "http://127.0.0.1:1/api", 1);
  setenv("WEFT_NETWORK_THREADS", "3", 1);
  std::string error;
  Config c = Config::from_env(&error);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(c.network_threads, 3);
  EXPECT_EQ(c.data_dir, "/tmp/weft-x");
  EXPECT_EQ(c.worker_threads, 7);
  EXPECT_EQ(c.slack_api_base, "http://127.0.0.1:1/api");
  EXPECT_EQ(c.sqlite_path(), "/tmp/weft-x/weft.db");
  unsetenv("WEFT_DATA_DIR");
  unsetenv("WEFT_WORKERS");
  unsetenv("WEFT_SLACK_API_BASE");
  unsetenv("WEFT_NETWORK_THREADS");
  EXPECT_EQ(Config::from_env(&error).network_threads, 0);  // one per two cores, chosen by the server
}

TEST(Config, MalformedNumberIsReportedAndDefaultKept) {
  setenv("WEFT_LEASE_MS", "12abc", 1);
  std::string error;
  Config c = Config::from_env(&error);
  EXPECT_EQ(c.lease_ms, 30000);
  EXPECT_NE(error.find("WEFT_LEASE_MS"), std::string::npos);
  unsetenv("WEFT_LEASE_MS");
}

TEST(Config, DatabaseUrlWins) {
  Config c;
  c.database_url = "sqlite:///var/lib/weft/w.db";
  EXPECT_EQ(c.sqlite_path(), "/var/lib/weft/w.db");
}

}  // namespace
}  // namespace weft
