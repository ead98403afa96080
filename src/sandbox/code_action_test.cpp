// core.code end to end: a workflow step → the jailed sandbox → the snippet's return value.
#include "sandbox/code_action.h"

#include <gtest/gtest.h>

#include "engine/test_env.h"

namespace weft::sandbox {
namespace {

using namespace std::chrono_literals;
using store::RunStatus;

class CoreCode : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(register_code_action(env_.catalog, pool_).ok()); }

  store::RunRecord run_code(const std::string& code, const json& input = nullptr) {
    json inputs = {{"code", code}};
    if (!input.is_null()) inputs["input"] = input;
    json doc = {{"name", "code"}, {"steps", {{{"id", "c"}, {"action", "core.code"}, {"inputs", inputs}}}}};
    return env_.run(doc, {{"n", 21}});
  }

  static SandboxPoolLimits limits() {
    SandboxPoolLimits l;
    l.grace = 3000ms;
    return l;
  }

  engine::test::EngineEnv env_;
  SandboxPool pool_{WEFT_SANDBOX_HOST_BINARY, 1, limits()};
};

TEST_F(CoreCode, ReturnsWhatTheSnippetComputes) {
  auto run = run_code("const doubled = input.items.map((x) => x * 2);\nreturn { doubled, run: ctx.ids.runId };",
                      {{"items", {1, 2, 3}}});
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  auto step = env_.steps(run.id)["c"];
  EXPECT_EQ(step.output["doubled"], json::parse("[2,4,6]"));
  EXPECT_EQ(step.output["run"], run.id.str());

  // Templates are rendered into the input first; await works; undefined becomes null.
  json doc = {{"name", "code"},
              {"steps",
               {{{"id", "c"}, {"action", "core.code"},
                 {"inputs", {{"code", "await null; return input * 2;"}, {"input", "{{trigger.n}}"}}}},
                {{"id", "d"}, {"action", "core.code"}, {"inputs", {{"code", "console.log('nothing to return');"}}}}}}};
  auto templated = env_.run(doc, {{"n", 21}});
  ASSERT_EQ(templated.status, RunStatus::succeeded) << templated.error.dump();
  auto steps = env_.steps(templated.id);
  EXPECT_EQ(steps["c"].output, 42);
  EXPECT_TRUE(steps["d"].output.is_null());
  EXPECT_NE(steps["d"].logs.dump().find("nothing to return"), std::string::npos);
}

TEST_F(CoreCode, ASyntaxErrorNamesTheSnippetsOwnLine) {
  auto run = run_code("const a = 1;\nreturn a +;");
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "code_error") << run.error.dump();
  EXPECT_NE(run.error["message"].get<std::string>().find("line 2"), std::string::npos) << run.error.dump();
}

TEST_F(CoreCode, AThrowIsAToolErrorAndTheNetworkIsClosedByDefault) {
  auto thrown = run_code("throw new RangeError('bad value ' + input);", 7);
  ASSERT_EQ(thrown.status, RunStatus::failed);
  EXPECT_EQ(thrown.error["code"], "tool_error");
  EXPECT_NE(thrown.error["message"].get<std::string>().find("bad value 7"), std::string::npos);

  auto fetched = run_code("return (await ctx.fetch('https://example.com/')).status;");
  ASSERT_EQ(fetched.status, RunStatus::failed);
  EXPECT_EQ(fetched.error["code"], "egress_denied") << fetched.error.dump();
}

TEST_F(CoreCode, ImportsEvalAndRunawayLoopsAreContained) {
  auto imported = run_code("const fs = await import('node:fs'); return 1;");
  ASSERT_EQ(imported.status, RunStatus::failed);
  auto evaluated = run_code("return eval('1 + 1');");
  ASSERT_EQ(evaluated.status, RunStatus::failed);
  EXPECT_EQ(evaluated.error["code"], "tool_error");
  json doc = {{"name", "loop"},
              {"steps", {{{"id", "c"}, {"action", "core.code"}, {"timeoutMs", 300}, {"inputs", {{"code", "while (true) {}"}}}}}}};
  auto looped = env_.run(doc);
  ASSERT_EQ(looped.status, RunStatus::failed);
  EXPECT_EQ(looped.error["code"], "timeout") << looped.error.dump();
  auto after = run_code("return 'still fine';");
  ASSERT_EQ(after.status, RunStatus::succeeded) << after.error.dump();
}

TEST_F(CoreCode, SnippetsOfDifferentOrgsNeverShareAnIsolate) {
  const std::string code = "globalThis.seen = (globalThis.seen || 0) + 1; return globalThis.seen;";
  const json ctx = {{"ids", {{"orgId", "x"}, {"runId", "r"}, {"stepId", "s"}}}};
  auto source = [&code] { return Result<std::string>(code_module(code)); };
  auto a1 = pool_.call("org_a:code:same", source, "core.code", nullptr, ctx, 2000ms);
  auto a2 = pool_.call("org_a:code:same", source, "core.code", nullptr, ctx, 2000ms);
  auto b1 = pool_.call("org_b:code:same", source, "core.code", nullptr, ctx, 2000ms);
  ASSERT_TRUE(a1.ok() && a2.ok() && b1.ok());
  EXPECT_EQ(*a1, 1);
  EXPECT_EQ(*a2, 2);
  EXPECT_EQ(*b1, 1);
}

}  // namespace
}  // namespace weft::sandbox
