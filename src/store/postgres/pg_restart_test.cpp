// The PostgreSQL server stops and starts again under an open store: while it is down every call
// fails fast with database_unavailable (none hangs), and once it is back the same store works
// again without a restart of its own, its data intact. Stops the shared test server
// (WEFT_TEST_POSTGRES_CTL), so ctest runs it alone (SERIAL).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "store/postgres/pg_test_schema.h"
#include "store/store_test_fixture.h"

namespace weft::store::postgres {
namespace {

using namespace std::chrono_literals;

int server(const std::string& verb) {
  const char* ctl = std::getenv("WEFT_TEST_POSTGRES_CTL");
  if (ctl == nullptr) return -1;
  const std::string command = std::string(ctl) + " " + verb;
  return std::system(command.c_str());
}

TEST(PgRestart, CallsFailFastWhileTheServerIsDownAndWorkOnceItIsBack) {
  if (std::string missing = test::backend_missing("postgres"); !missing.empty()) {
    if (test::backend_required("postgres")) FAIL() << missing;
    GTEST_SKIP() << missing;
  }
  ASSERT_NE(std::getenv("WEFT_TEST_POSTGRES_CTL"), nullptr) << "scripts/with_postgres.sh sets WEFT_TEST_POSTGRES_CTL";
  weft::testing::TempDir dir;
  auto url = schema_url(test_server_url(), test::schema_for(dir.path()));
  ASSERT_TRUE(url.ok()) << url.error().message;
  StoreOptions options;
  options.url = *url;
  auto opened = open_store(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto store = std::move(opened).take();
  auto org = store->orgs().ensure("acme");
  ASSERT_TRUE(org.ok());

  ASSERT_EQ(server("stop"), 0);
  // Server gone: the pooled connection is dead and no new one opens. Every call answers, fast.
  for (int i = 0; i < 5; ++i) {
    const auto began = std::chrono::steady_clock::now();
    auto listed = store->orgs().list();
    const auto took = std::chrono::steady_clock::now() - began;
    ASSERT_FALSE(listed.ok());
    EXPECT_EQ(listed.error().code, "database_unavailable") << listed.error().message;
    EXPECT_TRUE(listed.error().is_public);
    EXPECT_LT(took, 6s);
  }
  ASSERT_EQ(server("start"), 0);

  // Back: within the reconnect backoff the same store works again, with its data.
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  Result<std::vector<Org>> listed = Error::internal("not tried");
  while (std::chrono::steady_clock::now() < deadline) {
    listed = store->orgs().list();
    if (listed.ok()) break;
    EXPECT_EQ(listed.error().code, "database_unavailable") << listed.error().message;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, org->id);
}

}  // namespace
}  // namespace weft::store::postgres
