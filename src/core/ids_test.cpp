#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace weft {
namespace {

TEST(Ids, PrefixAndUlidShape) {
  RunId id = new_id<RunId>();
  ASSERT_EQ(id.str().size(), 4u + 26u);
  EXPECT_EQ(id.str().substr(0, 4), "run_");
  for (char c : id.str().substr(4)) EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c), std::string::npos);
  EXPECT_TRUE(is_safe_id(id.str()));
}

TEST(Ids, SortableByTimeAndUnique) {
  ManualClock clock(1'700'000'000'000);
  std::vector<std::string> ids;
  std::set<std::string> unique;
  for (int i = 0; i < 1000; ++i) {
    clock.advance_ms(1);
    ids.push_back(new_id_string("wf", clock));
    unique.insert(ids.back());
  }
  EXPECT_EQ(unique.size(), ids.size());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // Same millisecond: still unique (80 random bits).
  std::set<std::string> same;
  for (int i = 0; i < 1000; ++i) same.insert(new_id_string("wf", clock));
  EXPECT_EQ(same.size(), 1000u);
}

TEST(Ids, SafeIdRejectsTraversalAndOddCharacters) {
  for (const char* bad : {"", "../etc/passwd", "a/b", "a b", "x'; DROP TABLE runs;--", "é"}) {
    EXPECT_FALSE(is_safe_id(bad)) << bad;
  }
  EXPECT_FALSE(is_safe_id(std::string(129, 'a')));
  EXPECT_TRUE(is_safe_id("cred_slack-main_01"));
}

}  // namespace
}  // namespace weft
