// The bounds of a poll's answer (bundles/poll_result.h): shape, item ids, item count, state size.
#include "bundles/poll_result.h"

#include <gtest/gtest.h>

namespace weft::bundles {
namespace {

std::string refusal(const json& answer) {
  auto read = read_poll_result(answer, "x.new");
  if (read.ok()) return "";
  EXPECT_EQ(read.error().code, "invalid_output");
  return read.error().message;
}

TEST(PollResult, ReadsItemsIdsAndState) {
  auto read = read_poll_result({{"items", {{{"id", 7}, {"title", "a"}}, {{"id", "abc"}}}}, {"state", {{"since", 7}}}}, "x.new");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->ids, (std::vector<std::string>{"7", "\"abc\""}));
  EXPECT_EQ(read->items[0]["title"], "a");
  EXPECT_EQ(read->state, (json{{"since", 7}}));
  auto no_state = read_poll_result({{"items", json::array()}}, "x.new");
  ASSERT_TRUE(no_state.ok());
  EXPECT_TRUE(no_state->state.is_null());
}

TEST(PollResult, RefusesWrongShapes) {
  EXPECT_NE(refusal(json::array()).find("must be an object"), std::string::npos);
  EXPECT_NE(refusal({{"state", 1}}).find("must be an object"), std::string::npos);
  EXPECT_NE(refusal({{"items", {}}, {"extra", 1}}).find("unknown field 'extra'"), std::string::npos);
  EXPECT_NE(refusal({{"items", "no"}}).find("items must be an array"), std::string::npos);
  EXPECT_NE(refusal({{"items", {1}}}).find("items[0] must be an object"), std::string::npos);
  EXPECT_NE(refusal({{"items", {{{"title", "x"}}}}}).find("items[0] has no id"), std::string::npos);
  for (const json& id : {json(""), json(1.5), json(true), json(nullptr), json::array(), json::object()}) {
    EXPECT_NE(refusal({{"items", {{{"id", id}}}}}).find("items[0].id must be"), std::string::npos) << id.dump();
  }
  EXPECT_NE(refusal({{"items", {{{"id", std::string(300, 'a')}}}}}).find("longer than 256"), std::string::npos);
}

TEST(PollResult, RefusesTooManyItemsAndAHugeState) {
  json items = json::array();
  for (std::size_t i = 0; i <= kMaxPollItems; ++i) items.push_back({{"id", i}});
  EXPECT_NE(refusal({{"items", items}}).find("1001 items (at most 1000"), std::string::npos);
  items.erase(items.size() - 1);
  EXPECT_EQ(refusal({{"items", items}}), "");
  EXPECT_NE(refusal({{"items", json::array()}, {"state", std::string(kMaxPollStateBytes, 'x')}}).find("the state is"),
            std::string::npos);
}

TEST(PollResult, PollRequestShape) {
  EXPECT_TRUE(is_poll_request(poll_request({{"owner", "o"}}, nullptr)));
  EXPECT_FALSE(is_poll_request({{"owner", "o"}}));
  EXPECT_FALSE(is_poll_request({{"inputs", 1}, {"state", nullptr}}));
  EXPECT_FALSE(is_poll_request({{"inputs", json::object()}, {"state", nullptr}, {"x", 1}}));
}

}  // namespace
}  // namespace weft::bundles
