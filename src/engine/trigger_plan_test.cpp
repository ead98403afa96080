// Save-time validation of a bundle (polling) trigger: the block must be a trigger of the org's
// catalog view, its credential must exist in the org with the right type and provider, its inputs
// must pass the block's inputSchema (pointers into /trigger/inputs), cron and time zone must be
// valid; a trigger block used as a step is refused. Hostile: unknown block, a tool as trigger,
// another org's credential, fields of another trigger type, huge inputs.
#include <gtest/gtest.h>

#include "engine/plan.h"
#include "engine/test_env.h"

namespace weft::engine {
namespace {

class TriggerPlanTest : public ::testing::Test {
 protected:
  TriggerPlanTest() {
    env.catalog.add_provider({"polly", "Polly", "", "Test"});
    add("polly.newItem", catalog::ActionKind::trigger);
    add("polly.doThing", catalog::ActionKind::tool);
    own = env.add_credential("polly", vault::AuthType::bearer_token, {{"token", "t"}});
    wrong_type = env.add_credential("polly", vault::AuthType::api_key, {{"api_key", "k"}});
    wrong_provider = env.add_credential("slack", vault::AuthType::bearer_token, {{"token", "t"}});
    auto other_org = env.store->orgs().ensure("other").take();
    auto created = env.vault->create(other_org.id, {"theirs", "polly", vault::AuthType::bearer_token, {{"token", "x"}}, {}});
    EXPECT_TRUE(created.ok());
    theirs = created->id;
  }

  void add(const std::string& key, catalog::ActionKind kind) {
    catalog::Action action;
    action.key = key;
    action.name = key;
    action.provider = "polly";
    action.auth_type = vault::AuthType::bearer_token;
    action.accepted_auth = {vault::AuthType::bearer_token};
    action.input_schema = JsonSchema::compile({{"type", "object"},
                                               {"properties", {{"owner", {{"type", "string"}, {"maxLength", 39}}}}},
                                               {"required", {"owner"}},
                                               {"additionalProperties", false}})
                              .take();
    action.output_schema = JsonSchema::compile(json::object()).take();
    action.kind = kind;
    action.run = [](catalog::ActionContext&) -> Result<json> { return json{{"items", json::array()}, {"state", nullptr}}; };
    EXPECT_TRUE(env.catalog.add(std::move(action)).ok());
  }

  json doc(json trigger) const {
    return {{"name", "poll"},
            {"trigger", std::move(trigger)},
            {"steps", {{{"id", "log"}, {"action", "http.request"}, {"inputs", {{"url", "http://example.com/{{trigger.id}}"}}}}}}};
  }
  json trigger() const {
    return {{"type", "bundle"}, {"block", "polly.newItem"}, {"credential", own.str()},
            {"inputs", {{"owner", "octo"}}}, {"cron", "*/5 * * * *"}};
  }

  // The problems of `document` (details of workflow_invalid); empty when it saves.
  std::vector<json> problems(const json& document) {
    auto valid = validate_workflow(document, env.catalog, env.credentials.get(), env.org.id);
    if (valid.ok()) return {};
    EXPECT_EQ(valid.error().code, "workflow_invalid");
    return valid.error().details.get<std::vector<json>>();
  }

  static void expect_one(const std::vector<json>& got, const std::string& pointer, const std::string& fragment) {
    ASSERT_EQ(got.size(), 1u) << json(got).dump();
    EXPECT_EQ(got[0].value("pointer", ""), pointer) << got[0].dump();
    EXPECT_NE(got[0]["message"].get<std::string>().find(fragment), std::string::npos) << got[0].dump();
  }

  test::EngineEnv env;
  CredentialId own, wrong_type, wrong_provider, theirs;
};

TEST_F(TriggerPlanTest, ValidBundleTriggerParsesEveryField) {
  EXPECT_TRUE(problems(doc(trigger())).empty());
  json with_zone = trigger();
  with_zone["timezone"] = "Europe/Paris";
  EXPECT_TRUE(problems(doc(with_zone)).empty());
  auto wf = parse_workflow(doc(with_zone));
  ASSERT_TRUE(wf.ok());
  EXPECT_EQ(wf->trigger.type, "bundle");
  EXPECT_EQ(wf->trigger.block, "polly.newItem");
  EXPECT_EQ(wf->trigger.credential, std::optional<CredentialId>(own));
  EXPECT_EQ(wf->trigger.inputs, (json{{"owner", "octo"}}));
  EXPECT_EQ(wf->trigger.timezone, "Europe/Paris");
}

TEST_F(TriggerPlanTest, UnknownBlockAndToolAsTriggerAreRefused) {
  json t = trigger();
  t["block"] = "polly.newItme";
  expect_one(problems(doc(t)), "/trigger/block", "unknown trigger block 'polly.newItme' (did you mean 'polly.newItem'?)");
  t["block"] = "polly.doThing";
  expect_one(problems(doc(t)), "/trigger/block", "'polly.doThing' is a tool, not a trigger");
  t["block"] = "http.request";
  expect_one(problems(doc(t)), "/trigger/block", "not a trigger");
  t["block"] = std::string(5000, 'x');
  expect_one(problems(doc(t)), "/trigger/block", "at most 128 characters");
  t.erase("block");
  expect_one(problems(doc(t)), "/trigger/block", "needs the key of a trigger block");
  t["block"] = 42;
  expect_one(problems(doc(t)), "/trigger/block", "needs the key of a trigger block");
}

TEST_F(TriggerPlanTest, TriggerBlockAsAStepIsRefused) {
  json d = doc({{"type", "manual"}});
  d["steps"] = {{{"id", "poll"}, {"action", "polly.newItem"}, {"credential", own.str()}, {"inputs", {{"owner", "o"}}}}};
  expect_one(problems(d), "/steps/0/action", "'polly.newItem' is a trigger: it polls for new items and cannot run as a step");
}

TEST_F(TriggerPlanTest, CredentialMustExistInTheOrgWithTheRightTypeAndProvider) {
  json t = trigger();
  t.erase("credential");
  expect_one(problems(doc(t)), "/trigger/credential", "needs a 'polly' credential of type bearer_token");
  t["credential"] = wrong_type.str();
  expect_one(problems(doc(t)), "/trigger/credential", "credential type mismatch");
  t["credential"] = wrong_provider.str();
  expect_one(problems(doc(t)), "/trigger/credential", "is for provider 'slack'");
  t["credential"] = theirs.str();  // exists, but in another org
  expect_one(problems(doc(t)), "/trigger/credential", "does not exist");
  t["credential"] = "cred_missing";
  expect_one(problems(doc(t)), "/trigger/credential", "does not exist");
  t["credential"] = "../../etc";
  expect_one(problems(doc(t)), "/trigger/credential", "must be a credential id");
  t["credential"] = json::array({1});
  expect_one(problems(doc(t)), "/trigger/credential", "must be a credential id");
}

TEST_F(TriggerPlanTest, InputsAreCheckedAgainstTheBlocksSchema) {
  json t = trigger();
  t["inputs"] = json::object();
  auto got = problems(doc(t));
  ASSERT_EQ(got.size(), 1u) << json(got).dump();
  EXPECT_EQ(got[0].value("pointer", ""), "/trigger/inputs");
  t["inputs"] = {{"owner", std::string(40, 'a')}};
  expect_one(problems(doc(t)), "/trigger/inputs/owner", "");
  t["inputs"] = {{"owner", "o"}, {"extra", 1}};
  EXPECT_EQ(problems(doc(t)).size(), 1u);
  t["inputs"] = "octo";
  expect_one(problems(doc(t)), "/trigger/inputs", "must be an object");
  // Huge inputs: refused by size before any schema work.
  t["inputs"] = {{"owner", std::string(kMaxTriggerInputBytes, 'a')}};
  expect_one(problems(doc(t)), "/trigger/inputs", "at most 65536 bytes");
}

TEST_F(TriggerPlanTest, CronAndTimezoneAreCheckedAtSave) {
  json t = trigger();
  t["cron"] = "*/5 * * *";
  expect_one(problems(doc(t)), "/trigger/cron", "");
  t["cron"] = "0 0 31 2 *";
  expect_one(problems(doc(t)), "/trigger/cron", "matches no time");
  t["cron"] = "*/5 * * * *";
  t["timezone"] = "Mars/Olympus";
  expect_one(problems(doc(t)), "/trigger/timezone", "");
  t.erase("timezone");
  t.erase("cron");
  expect_one(problems(doc(t)), "/trigger/cron", "a bundle trigger needs a cron expression");
  // The same rule now holds for schedules: a bad cron is refused before anything is saved.
  expect_one(problems(doc({{"type", "schedule"}, {"cron", "61 * * * *"}})), "/trigger/cron", "");
}

TEST_F(TriggerPlanTest, BundleFieldsOnAnotherTriggerTypeAreRefused) {
  auto got = problems(doc({{"type", "schedule"}, {"cron", "* * * * *"}, {"block", "polly.newItem"}, {"inputs", json::object()}}));
  ASSERT_EQ(got.size(), 2u) << json(got).dump();
  EXPECT_EQ(got[0].value("pointer", ""), "/trigger/block");
  EXPECT_NE(got[0]["message"].get<std::string>().find("only a \"bundle\" trigger"), std::string::npos);
  expect_one(problems(doc({{"type", "poll"}})), "/trigger/type", "\"bundle\"");
}

}  // namespace
}  // namespace weft::engine
