// Black-box tests of the `weft` binary: the README's first workflow, validation errors, exit
// codes, credentials (never stored or shown in plaintext) and a Slack step against a local server.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/json.h"
#include "testing/local_http_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft {
namespace {

using testing::ProcessResult;

class CliTest : public ::testing::Test {
 protected:
  ProcessResult weft(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                     const std::string& stdin_data = "") {
    args.insert(args.begin(), {WEFT_BINARY, "--data-dir", dir.file("data")});
    env.emplace("WEFT_MASTER_KEY", std::string(64, 'c'));
    env.emplace("WEFT_LOG_LEVEL", "warn");
    return testing::run_process(args, env, stdin_data);
  }
  std::string example(const std::string& name) { return std::string(WEFT_SOURCE_DIR) + "/examples/" + name; }

  testing::TempDir dir;
};

TEST_F(CliTest, PrintsVersion) {
  auto r = testing::run_process({WEFT_BINARY, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("weft 0."), std::string::npos) << r.out;
}

// `weft serve --data-dir ./d` (README, `make run`): global options may follow the subcommand.
TEST_F(CliTest, GlobalOptionsMayFollowTheSubcommand) {
  const std::string data = dir.file("after");
  auto r = testing::run_process({WEFT_BINARY, "credential", "list", "--data-dir", data},
                                {{"WEFT_MASTER_KEY", std::string(64, 'c')}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(data + "/weft.db")) << r.err;
  auto unknown = testing::run_process({WEFT_BINARY, "credential", "list", "--no-such-flag"});
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST_F(CliTest, BundleValidateChecksTheManifestAndTheCodeInTheSandbox) {
  const std::string greeter = std::string(WEFT_SOURCE_DIR) + "/tests/fixtures/bundles/greeter";
  auto ok = weft({"bundle", "validate", greeter});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("valid bundle greeter 1.0.0 (2 blocks)"), std::string::npos) << ok.out;

  const std::string bad = dir.file("bad");
  std::filesystem::create_directories(bad + "/dist");
  std::filesystem::copy_file(greeter + "/manifest.json", bad + "/manifest.json");
  std::filesystem::create_directories(bad + "/meta");
  std::filesystem::copy_file(greeter + "/meta/sbom.cdx.json", bad + "/meta/sbom.cdx.json");
  testing::write_file(bad + "/dist/index.js",
                      R"(export default defineVendor({ id: "other", tools: { "greeter.hello": () => ({}) } });)");
  auto mismatched = weft({"bundle", "validate", bad});
  EXPECT_EQ(mismatched.exit_code, 1);
  EXPECT_NE(mismatched.err.find("block 'greeter.fail' of manifest.json has no tool in the code"), std::string::npos) << mismatched.err;
  EXPECT_NE(mismatched.err.find("id 'other' differs"), std::string::npos) << mismatched.err;

  testing::write_file(bad + "/dist/index.js", "import fs from 'node:fs';\nexport default 1;");
  auto imports = weft({"bundle", "validate", bad});
  EXPECT_EQ(imports.exit_code, 1);
  EXPECT_NE(imports.err.find("imports are not allowed"), std::string::npos) << imports.err;
}

// `bundle test --level runtime` calls each tool with the first example its inputSchema accepts
// and checks the output against the outputSchema.
TEST_F(CliTest, BundleTestCallsEachDeclaredExample) {
  const std::string greeter = std::string(WEFT_SOURCE_DIR) + "/tests/fixtures/bundles/greeter";
  const std::string folder = dir.file("examples");
  std::filesystem::create_directories(folder + "/dist");
  std::filesystem::create_directories(folder + "/meta");
  std::filesystem::copy_file(greeter + "/meta/sbom.cdx.json", folder + "/meta/sbom.cdx.json");
  json manifest = json::parse(testing::read_file(greeter + "/manifest.json"));
  manifest["products"][0]["blocks"][0]["inputSchema"]["examples"] = json::array({{{"name", 7}}, {{"name", "Ada"}}});
  testing::write_file(folder + "/manifest.json", manifest.dump());
  std::filesystem::copy_file(greeter + "/dist/index.js", folder + "/dist/index.js");
  auto ok = weft({"bundle", "test", folder});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("example greeter.hello: ok {\"greeting\":\"Hello, Ada!\""), std::string::npos) << ok.out;
  EXPECT_EQ(weft({"bundle", "test", folder, "--level", "static"}).out.find("example"), std::string::npos);

  testing::write_file(folder + "/dist/index.js",
                      R"(export default defineVendor({ id: "greeter", tools: {
                           "greeter.hello": () => ({ greeting: 42 }), "greeter.fail": () => { throw new Error("x"); } } });)");
  auto wrong = weft({"bundle", "test", folder});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("example greeter.hello: the output does not match the outputSchema"), std::string::npos)
      << wrong.err;
}

TEST_F(CliTest, ReadmeFirstWorkflowRunsAsDocumented) {
  auto v = weft({"workflow", "validate", example("hello.workflow.json")});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("valid workflow (4 steps)"), std::string::npos) << v.out;

  auto r = weft({"workflow", "run", example("hello.workflow.json"), "--input", R"({"name": "Ada", "vip": false})"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("✓ greet  succeeded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"(output: {"message":"Hello, Ada!","vip":false})"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- vip_welcome  skipped: condition was false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✓ summary  succeeded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" succeeded in "), std::string::npos) << r.out;

  auto vip = weft({"workflow", "run", example("hello.workflow.json"), "--json", "--input", R"({"name": "Bo", "vip": true})"});
  ASSERT_EQ(vip.exit_code, 0) << vip.err;
  json run = json::parse(vip.out);
  EXPECT_EQ(run["status"], "succeeded");
  EXPECT_EQ(run["workflowVersion"], 1);  // same definition → same version
  EXPECT_EQ(run["output"], json({{"greeting", "Hello, Bo!"}, {"vip", true}}));
  ASSERT_EQ(run["steps"].size(), 4u);
  for (const auto& s : run["steps"]) EXPECT_EQ(s["status"], "succeeded") << s.dump();
}

TEST_F(CliTest, EditedWorkflowBecomesANewVersion) {
  json doc = {{"name", "versions"}, {"steps", {{{"id", "a"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}}}}};
  testing::write_file(dir.file("wf.json"), doc.dump());
  auto first = weft({"workflow", "run", dir.file("wf.json"), "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  doc["steps"][0]["inputs"]["value"] = 2;
  testing::write_file(dir.file("wf.json"), doc.dump());
  auto second = weft({"workflow", "run", dir.file("wf.json"), "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(json::parse(first.out)["workflowVersion"], 1);
  EXPECT_EQ(json::parse(second.out)["workflowVersion"], 2);
  EXPECT_EQ(json::parse(first.out)["workflowId"], json::parse(second.out)["workflowId"]);
  EXPECT_EQ(json::parse(second.out)["output"], 2);
}

TEST_F(CliTest, InvalidWorkflowIsRefusedWithPreciseMessage) {
  json doc = {{"name", "typo"},
              {"steps", {{{"id", "a"}, {"action", "core.transfrom"}, {"inputs", {{"value", 1}}}},
                         {{"id", "b"}, {"action", "core.transform"}, {"inputs", {{"value", "{{steps.aa.output}}"}}}}}}};
  testing::write_file(dir.file("bad.json"), doc.dump());
  for (const char* verb : {"validate", "run"}) {
    auto r = weft({"workflow", verb, dir.file("bad.json")});
    EXPECT_EQ(r.exit_code, 1) << verb;
    EXPECT_NE(r.err.find("step 'a' field 'action': unknown action 'core.transfrom' (did you mean 'core.transform'?)"),
              std::string::npos) << r.err;
    EXPECT_NE(r.err.find("step 'b' field 'inputs.value': template {{steps.aa.output}} names unknown step 'aa' (did you mean 'a'?)"),
              std::string::npos) << r.err;
  }
  testing::write_file(dir.file("broken.json"), "{ \"name\": ");
  auto broken = weft({"workflow", "validate", dir.file("broken.json")});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("malformed JSON"), std::string::npos) << broken.err;
  auto missing = weft({"workflow", "run", dir.file("nope.json")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
  auto usage = weft({"workflow", "run"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST_F(CliTest, FailedRunExitsNonZero) {
  json doc = {{"name", "fails"}, {"steps", {{{"id", "x"}, {"action", "core.fail"}, {"inputs", {{"message", "kaput"}}}}}}};
  testing::write_file(dir.file("fail.json"), doc.dump());
  auto r = weft({"workflow", "run", dir.file("fail.json")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("✗ x  failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("step 'x' failed: kaput"), std::string::npos) << r.out;
}

TEST_F(CliTest, CredentialsAreStoredSealedAndNeverShown) {
  const std::string canary = "xoxb-PLAINTEXT-CANARY-98765";
  auto add = weft({"credential", "add", "--name", "Slack bot", "--provider", "slack", "--type", "bot_token",
                   "--secret", R"({"bot_token":")" + canary + R"("})"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::string id = add.out.substr(0, add.out.find('\n'));
  EXPECT_EQ(id.rfind("cred_", 0), 0u) << id;
  auto via_stdin = weft({"credential", "add", "--name", "Acme", "--provider", "acme", "--type", "api_key", "--secret-stdin"},
                        {}, R"({"api_key":"ACME-CANARY-4242"})");
  ASSERT_EQ(via_stdin.exit_code, 0) << via_stdin.err;

  auto list = weft({"credential", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  json listed = json::parse(list.out);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(listed[0]["type"], "bot_token");
  EXPECT_EQ(list.out.find(canary), std::string::npos);

  for (const char* f : {"weft.db", "weft.db-wal", "weft.db-shm"}) {
    const std::string bytes = testing::read_file(dir.file(std::string("data/") + f));
    EXPECT_EQ(bytes.find(canary), std::string::npos) << f;
    EXPECT_EQ(bytes.find("ACME-CANARY-4242"), std::string::npos) << f;
  }

  auto wrong = weft({"credential", "add", "--name", "x", "--provider", "slack", "--type", "oauth2",
                     "--secret", R"({"bot_token":"SHOULD-NOT-ECHO"})"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("access_token"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("SHOULD-NOT-ECHO"), std::string::npos) << wrong.err;

  auto del = weft({"credential", "delete", id});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(json::parse(weft({"credential", "list", "--json"}).out).size(), 1u);
  EXPECT_EQ(weft({"credential", "delete", id}).exit_code, 1);
}

TEST_F(CliTest, StoredCredentialReachesSlackAsBearer) {
  testing::LocalHttpServer slack;
  slack.on("POST", "/api/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true,"channel":"C1","ts":"1.2"})", "application/json");
  });
  slack.start();
  auto add = weft({"credential", "add", "--name", "s", "--provider", "slack", "--type", "oauth2",
                   "--secret", R"({"access_token":"xoxp-user-token"})"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::string id = add.out.substr(0, add.out.find('\n'));
  json doc = {{"name", "slack"},
              {"steps", {{{"id", "post"}, {"action", "slack.sendMessage"}, {"credential", id},
                          {"inputs", {{"channel", "#general"}, {"text", "hello {{trigger.who}}"}}}}}}};
  testing::write_file(dir.file("slack.json"), doc.dump());
  auto r = weft({"workflow", "run", dir.file("slack.json"), "--input", R"({"who":"team"})"},
                {{"WEFT_SLACK_API_BASE", slack.url("/api")}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto requests = slack.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer xoxp-user-token");
  EXPECT_EQ(json::parse(requests[0].body), json({{"channel", "#general"}, {"text", "hello team"}}));
  EXPECT_EQ(r.out.find("xoxp-user-token"), std::string::npos);
  EXPECT_EQ(r.err.find("xoxp-user-token"), std::string::npos);
}

TEST_F(CliTest, CredentialsFileIsUsedButNeverStored) {
  testing::LocalHttpServer slack;
  slack.on("POST", "/api/chat.postMessage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true,"channel":"C1","ts":"1.2"})", "application/json");
  });
  slack.start();
  testing::write_file(dir.file("creds.json"), R"({"credentials":[{"id":"slack_main","provider":"slack",
      "type":"bot_token","secret":{"bot_token":"xoxb-FILE-CANARY"}}]})");
  json doc = {{"name", "file creds"},
              {"steps", {{{"id", "post"}, {"action", "slack.sendMessage"}, {"credential", "slack_main"},
                          {"inputs", {{"channel", "#c"}, {"text", "t"}}}}}}};
  testing::write_file(dir.file("wf.json"), doc.dump());
  auto without = weft({"workflow", "validate", dir.file("wf.json")});
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find("credential 'slack_main' does not exist"), std::string::npos) << without.err;
  auto r = weft({"workflow", "run", dir.file("wf.json"), "--credentials", dir.file("creds.json")},
                {{"WEFT_SLACK_API_BASE", slack.url("/api")}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(slack.requests().at(0).header("Authorization"), "Bearer xoxb-FILE-CANARY");
  EXPECT_EQ(testing::read_file(dir.file("data/weft.db")).find("xoxb-FILE-CANARY"), std::string::npos);
  EXPECT_EQ(testing::read_file(dir.file("data/weft.db-wal")).find("xoxb-FILE-CANARY"), std::string::npos);
}

TEST_F(CliTest, BundleFromAFolderRunsInTheSandbox) {
  // The README's example, as written.
  const std::map<std::string, std::string> env = {{"WEFT_BUNDLES_DIR", std::string(WEFT_SOURCE_DIR) + "/tests/fixtures/bundles"}};
  auto r = weft({"workflow", "run", example("greeter.workflow.json"), "--json", "--input", R"({"name": "Ada"})"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json run = json::parse(r.out);
  EXPECT_EQ(run["output"], "Hello, Ada!");
  EXPECT_EQ(run["steps"][0]["output"]["runId"], run["id"]);  // ctx.ids reached the bundle
  json doc = {{"name", "bundle"}, {"steps", {{{"id", "hi"}, {"action", "greeter.hello"}, {"inputs", {{"name", "x"}}}}}}};
  testing::write_file(dir.file("bundle.json"), doc.dump());
  // Without the bundles dir the action is unknown: the catalog is built from what is installed.
  auto without = weft({"workflow", "validate", dir.file("bundle.json")}, {{"WEFT_BUNDLES_DIR", dir.file("none")}});
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find("unknown action 'greeter.hello'"), std::string::npos) << without.err;
}

// Issue 14, master-key safety: a start with another key than the database's stops at once with a
// message naming both key ids and how to recover, instead of failing every step later.
TEST_F(CliTest, AWrongMasterKeyStopsTheStartWithTheMessage) {
  auto add = weft({"credential", "add", "--name", "n", "--provider", "acme", "--type", "api_key", "--secret",
                   R"({"api_key":"k"})"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::map<std::string, std::string> other = {{"WEFT_MASTER_KEY", std::string(64, 'd')}};
  auto listed = weft({"credential", "list"}, other);
  EXPECT_EQ(listed.exit_code, 1);
  EXPECT_NE(listed.err.find("the master key from WEFT_MASTER_KEY (key id "), std::string::npos) << listed.err;
  EXPECT_NE(listed.err.find("is not this database's"), std::string::npos) << listed.err;
  EXPECT_EQ(listed.err.find(std::string(64, 'd')), std::string::npos) << "the key itself was printed";
  auto served = weft({"serve", "--listen", "127.0.0.1:0"}, other);  // returns: it never starts serving
  EXPECT_NE(served.exit_code, 0);
  EXPECT_NE(served.err.find("is not this database's"), std::string::npos) << served.err;
  EXPECT_EQ(served.err.find("listening on"), std::string::npos) << served.err;
  EXPECT_EQ(weft({"credential", "list"}).exit_code, 0);  // the right key still works: nothing changed
}

// `admin rotate-master-key` killed (SIGKILL) in the middle, then run again: in between nothing
// starts (the message says how to finish), afterwards only the new key opens the credentials.
TEST_F(CliTest, AMasterKeyRotationKilledMidwayFinishesWhenRunAgain) {
  for (int i = 0; i < 4; ++i) {
    const std::string org = "org" + std::to_string(i);
    ASSERT_EQ(weft({"admin", "create-org", org}).exit_code, 0);
    auto add = weft({"credential", "add", "--org", org, "--name", "c", "--provider", "acme", "--type", "api_key",
                     "--secret", R"({"api_key":"ROTATE-CANARY-)" + std::to_string(i) + R"("})"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }
  const std::string new_key = dir.file("new.key");
  testing::write_file(new_key, std::string(64, 'e') + "\n");
  std::filesystem::permissions(new_key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto killed = weft({"admin", "rotate-master-key", "--new-key-file", new_key}, {{"WEFT_TEST_ROTATION_KILL_AFTER", "2"}});
  EXPECT_NE(killed.exit_code, 0) << killed.out;
  EXPECT_EQ(killed.out.find("re-wrapped"), std::string::npos) << "it was not killed midway: " << killed.out;

  const std::map<std::string, std::string> with_new = {{"WEFT_MASTER_KEY", std::string(64, 'e')}};
  for (const auto& env : {std::map<std::string, std::string>{}, with_new}) {
    auto refused = weft({"credential", "list"}, env);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("was interrupted"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("rotate-master-key --new-key-file"), std::string::npos) << refused.err;
  }
  auto finished = weft({"admin", "rotate-master-key", "--new-key-file", new_key});
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_NE(finished.out.find("re-wrapped 2 of 4 organization keys"), std::string::npos) << finished.out;
  EXPECT_NE(finished.out.find("2 were done by an interrupted run"), std::string::npos) << finished.out;

  auto checked = weft({"admin", "check-credentials"}, with_new);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.out.find("4 credentials, 0 cannot be decrypted"), std::string::npos) << checked.out;
  EXPECT_EQ(checked.out.find("ROTATE-CANARY"), std::string::npos);
  EXPECT_NE(weft({"admin", "check-credentials"}).err.find("is not this database's"), std::string::npos);
  // A run that uses a credential opens it with the new key.
  EXPECT_EQ(weft({"credential", "list", "--org", "org3"}, with_new).exit_code, 0);
}

// With the key in <data dir>/master.key (no WEFT_MASTER_KEY), the rotation also replaces the file.
TEST_F(CliTest, AMasterKeyRotationReplacesTheKeyFile) {
  const std::map<std::string, std::string> key_file = {{"WEFT_MASTER_KEY", ""}};
  ASSERT_EQ(weft({"credential", "add", "--name", "c", "--provider", "acme", "--type", "api_key", "--secret",
                  R"({"api_key":"k"})"}, key_file).exit_code, 0);
  const std::string before = testing::read_file(dir.file("data/master.key"));
  const std::string new_key = dir.file("new.key");
  testing::write_file(new_key, std::string(64, 'f') + "\n");
  std::filesystem::permissions(new_key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto rotated = weft({"admin", "rotate-master-key", "--new-key-file", new_key}, key_file);
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(testing::read_file(dir.file("data/master.key")), std::string(64, 'f') + "\n");
  EXPECT_NE(before, std::string(64, 'f') + "\n");
  auto checked = weft({"admin", "check-credentials"}, key_file);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.out.find("1 credentials, 0 cannot be decrypted"), std::string::npos) << checked.out;
  // A group-readable new key file is refused before anything changes.
  testing::write_file(new_key, std::string(64, '1') + "\n");
  std::filesystem::permissions(new_key, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  auto insecure = weft({"admin", "rotate-master-key", "--new-key-file", new_key}, key_file);
  EXPECT_NE(insecure.exit_code, 0);
  EXPECT_EQ(testing::read_file(dir.file("data/master.key")), std::string(64, 'f') + "\n");
}

}  // namespace
}  // namespace weft
