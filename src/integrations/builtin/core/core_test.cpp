#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

using namespace std::chrono_literals;
using testing::BuiltinCatalog;
using testing::StepRun;

class CoreTest : public ::testing::Test {
 protected:
  BuiltinCatalog builtins_{BuiltinOptions{}};
};

TEST_F(CoreTest, TransformOutputsTheValue) {
  const json value = {{"user", {{"id", 7}, {"tags", {"a", "b"}}}}, {"ok", true}};
  StepRun step(builtins_.action("core.transform"), {{"value", value}});
  auto out = step.run();
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, value);

  StepRun scalar(builtins_.action("core.transform"), {{"value", "just text"}});
  out = scalar.run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "just text");
}

TEST_F(CoreTest, DelayWaitsThenReports) {
  StepRun step(builtins_.action("core.delay"), {{"ms", 30}});
  const auto start = std::chrono::steady_clock::now();
  auto out = step.run();
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_EQ(*out, json({{"delayedMs", 30}}));
  ASSERT_FALSE(step.log.lines().empty());
  EXPECT_EQ(step.log.lines()[0].level, "info");
}

TEST_F(CoreTest, DelayStopsEarlyWhenCancelled) {
  StepRun step(builtins_.action("core.delay"), {{"ms", 5000}});
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    step.cancel.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto out = step.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "cancelled");
  EXPECT_LT(elapsed, 2s);
}

TEST_F(CoreTest, DelayLongerThanTheStepDeadlineIsATimeout) {
  StepRun step(builtins_.action("core.delay"), {{"ms", 5000}});
  step.with_budget(200ms);
  const auto start = std::chrono::steady_clock::now();
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_EQ(out.error().details["delayMs"], 5000);
}

TEST_F(CoreTest, FailUsesTheGivenCodeAndMessage) {
  StepRun step(builtins_.action("core.fail"),
               {{"message", "order total is negative"}, {"code", "bad_order"}});
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "bad_order");
  EXPECT_EQ(out.error().message, "order total is negative");
  EXPECT_TRUE(out.error().is_public);
}

TEST_F(CoreTest, FailDefaultsToStepFailed) {
  StepRun step(builtins_.action("core.fail"), {{"message", "stop here"}});
  auto out = step.run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "step_failed");
  EXPECT_EQ(out.error().message, "stop here");
}

}  // namespace
}  // namespace weft::integrations
