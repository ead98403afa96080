// A bundle loaded from a folder, called by a workflow step end to end: engine → catalog action
// → SandboxPool → jailed weft-sandbox-host (spawned from WEFT_SANDBOX_HOST_BINARY) → the bundle's tool.
#include "bundles/manifest.h"
#include "bundles/problem.h"
#include "sandbox/folder_bundles_test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/test_env.h"
#include "testing/temp_dir.h"

namespace weft::sandbox {
namespace {

using store::RunStatus;
using store::StepStatus;

const std::string kGreeter = std::string(WEFT_SOURCE_DIR) + "/tests/fixtures/bundles/greeter";

SandboxPoolLimits test_limits() {
  SandboxPoolLimits l;
  l.grace = std::chrono::milliseconds(3000);
  return l;
}

// Writes <dir>/manifest.json and (optionally) <dir>/dist/index.js.
void write_bundle(const std::string& dir, const json& manifest, const std::string* code) {
  std::filesystem::create_directories(dir + "/dist");
  testing::write_file(dir + "/manifest.json", manifest.dump(2));
  if (code) testing::write_file(dir + "/dist/index.js", *code);
}

json greeter_manifest() { return json::parse(testing::read_file(kGreeter + "/manifest.json")); }

TEST(BundleManifest, TheGreeterFixtureIsValid) {
  auto m = bundles::parse_bundle_manifest(greeter_manifest());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->id, "greeter");
  EXPECT_EQ(m->blocks.size(), 2u);
}

class BundleEndToEnd : public ::testing::Test {
 protected:
  engine::test::EngineEnv env;
  SandboxPool pool{WEFT_SANDBOX_HOST_BINARY, 2, test_limits()};
  test::FolderBundles installed{env, pool};
};

TEST_F(BundleEndToEnd, AWorkflowStepCallsABundleTool) {
  ASSERT_TRUE(installed.install(kGreeter).ok());
  const auto* hello = env.catalog.find("greeter.hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->provider, "greeter");
  EXPECT_EQ(hello->kind, catalog::ActionKind::tool);
  EXPECT_EQ(hello->display.category, "Examples");  // the product's category
  EXPECT_EQ(hello->version, "1.0.0");
  const json catalog_json = env.catalog.to_json();
  EXPECT_NE(catalog_json.dump().find("\"greeter\""), std::string::npos);

  const json doc = {
      {"name", "Greet"},
      {"steps",
       {{{"id", "hi"}, {"action", "greeter.hello"}, {"inputs", {{"name", "{{trigger.who}}"}}}},
        {{"id", "shout"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.hi.output.greeting}}"}}}}}}};
  auto run = env.run(doc, {{"who", "Ada"}});
  ASSERT_EQ(run.status, RunStatus::succeeded) << run.error.dump();
  EXPECT_EQ(run.output, "Hello, Ada!");
  auto steps = env.steps(run.id);
  EXPECT_EQ(steps["hi"].status, StepStatus::succeeded);
  EXPECT_EQ(steps["hi"].output["greeting"], "Hello, Ada!");
  EXPECT_EQ(steps["hi"].output["runId"], run.id.str());
  EXPECT_TRUE(pool.loaded(test::FolderBundles::actor(env.org.id, "greeter", "1.0.0")));

  // A second run reuses the loaded bundle.
  auto again = env.run(doc, {{"who", "Grace"}});
  ASSERT_EQ(again.status, RunStatus::succeeded) << again.error.dump();
  EXPECT_EQ(again.output, "Hello, Grace!");
}

TEST_F(BundleEndToEnd, AThrowingToolFailsTheRunWithToolError) {
  ASSERT_TRUE(installed.install(kGreeter).ok());
  const json doc = {{"name", "Fail"}, {"steps", {{{"id", "boom"}, {"action", "greeter.fail"}, {"inputs", json::object()}}}}};
  auto run = env.run(doc);
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["step"], "boom");
  EXPECT_EQ(run.error["code"], "tool_error") << run.error.dump();
  EXPECT_EQ(run.error["message"], "step 'boom' failed: nope") << run.error.dump();
  auto steps = env.steps(run.id);
  EXPECT_EQ(steps["boom"].status, StepStatus::failed);
  EXPECT_EQ(steps["boom"].error["code"], "tool_error") << steps["boom"].error.dump();
  EXPECT_EQ(steps["boom"].error["message"], "nope") << steps["boom"].error.dump();
}

TEST_F(BundleEndToEnd, BundleCodeIsLoadedOnlyAtTheFirstCall) {
  testing::TempDir dir;
  const std::string folder = dir.file("broken");
  const std::string bad_code = "export default defineVendor({ id: \"greeter\", tools: { ";  // syntax error
  write_bundle(folder, greeter_manifest(), &bad_code);
  // Registration reads only the manifest: it succeeds and starts no sandbox process.
  ASSERT_TRUE(installed.install(folder).ok());
  for (std::size_t i = 0; i < pool.size(); ++i) EXPECT_EQ(pool.process(i).pid(), 0);

  const json doc = {{"name", "Hi"}, {"steps", {{{"id", "hi"}, {"action", "greeter.hello"}, {"inputs", {{"name", "Ada"}}}}}}};
  auto run = env.run(doc);
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "bundle_load_failed") << run.error.dump();
  EXPECT_FALSE(pool.loaded(test::FolderBundles::actor(env.org.id, "greeter", "1.0.0")));
}

TEST_F(BundleEndToEnd, MissingCodeIsABundleLoadFailureAtCallTime) {
  testing::TempDir dir;
  const std::string folder = dir.file("nocode");
  write_bundle(folder, greeter_manifest(), nullptr);
  ASSERT_TRUE(installed.install(folder).ok());
  const json doc = {{"name", "Hi"}, {"steps", {{{"id", "hi"}, {"action", "greeter.hello"}, {"inputs", {{"name", "Ada"}}}}}}};
  auto run = env.run(doc);
  ASSERT_EQ(run.status, RunStatus::failed);
  EXPECT_EQ(run.error["code"], "bundle_load_failed") << run.error.dump();
}

TEST_F(BundleEndToEnd, AnInvalidFolderRegistersNothing) {
  testing::TempDir dir;
  json m = greeter_manifest();
  m["products"][0]["blocks"][1]["id"] = "nope.fail";
  write_bundle(dir.file("bad"), m, nullptr);
  auto r = installed.install(dir.file("bad"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, bundles::kBundleInvalid);
  EXPECT_EQ(env.catalog.find("greeter.hello"), nullptr);
}

TEST(SandboxPool, RoutesAnActorToAFixedProcessAndLoadsLazily) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 3, test_limits());
  const std::string code = testing::read_file(kGreeter + "/dist/index.js");
  EXPECT_EQ(pool.route("org_a:greeter:1.0.0"), pool.route("org_a:greeter:1.0.0"));
  int loads = 0;
  auto source = [&]() -> Result<std::string> {
    ++loads;
    return code;
  };
  const json ctx = {{"ids", {{"orgId", "org_a"}, {"runId", "run_1"}, {"stepId", "s"}}}};
  for (int i = 0; i < 2; ++i) {
    auto out = pool.call("org_a:greeter:1.0.0", source, "greeter.hello", {{"name", "Bo"}}, ctx, std::chrono::milliseconds(2000));
    ASSERT_TRUE(out.ok()) << out.error().code << ": " << out.error().message;
    EXPECT_EQ(*out, json({{"greeting", "Hello, Bo!"}, {"runId", "run_1"}}));
  }
  EXPECT_EQ(loads, 1);
  auto missing = pool.call("org_a:greeter:1.0.0", source, "greeter.nope", json::object(), ctx, std::chrono::milliseconds(2000));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "tool_not_found");
}

TEST(SandboxPool, ConcurrentFirstCallsLoadTheBundleOnce) {
  SandboxPool pool(WEFT_SANDBOX_HOST_BINARY, 2, test_limits());
  const std::string code = testing::read_file(kGreeter + "/dist/index.js");
  std::atomic<int> loads{0};
  std::atomic<int> ok{0};
  auto source = [&]() -> Result<std::string> {
    ++loads;
    return code;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      const std::string actor = "org_" + std::to_string(t % 2) + ":greeter:1.0.0";
      const json ctx = {{"ids", {{"orgId", "o"}, {"runId", "run_" + std::to_string(t)}, {"stepId", "s"}}}};
      auto out = pool.call(actor, source, "greeter.hello", {{"name", "T"}}, ctx, std::chrono::milliseconds(5000));
      if (out.ok() && (*out)["runId"] == "run_" + std::to_string(t)) ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(loads.load(), 2);  // once per actor
}

}  // namespace
}  // namespace weft::sandbox
