// The seed's "common mistakes" (integration-guide) must be impossible: each is rejected at
// validation with a message that names the step and the field.
#include "engine/plan.h"

#include <gtest/gtest.h>

#include "engine/test_env.h"

namespace weft::engine {
namespace {

class PlanTest : public ::testing::Test {
 protected:
  PlanTest() : creds(env.credentials.get()) {
    EXPECT_TRUE(creds.add({CredentialId("cred_slack"), "slack", vault::AuthType::oauth2},
                          {{"access_token", "xoxb-1"}}).ok());
    EXPECT_TRUE(creds.add({CredentialId("cred_acme"), "acme", vault::AuthType::api_key},
                          {{"api_key", "k"}}).ok());
    EXPECT_TRUE(creds.add({CredentialId("cred_acme_bearer"), "acme", vault::AuthType::bearer_token},
                          {{"token", "t"}}).ok());
  }

  // The problems of `doc`, as {step, field, message} triples; empty when valid.
  std::vector<json> problems(const json& doc) {
    auto wf = parse_workflow(doc);
    if (!wf.ok()) return wf.error().details.get<std::vector<json>>();
    auto plan = build_plan(std::move(wf).take(), env.catalog, &creds, env.org.id);
    if (plan.ok()) return {};
    EXPECT_EQ(plan.error().code, "workflow_invalid");
    return plan.error().details.get<std::vector<json>>();
  }

  static json base() {
    return {{"name", "t"},
            {"steps",
             {{{"id", "fetch"}, {"action", "http.request"}, {"inputs", {{"url", "http://example.com/x"}}}},
              {{"id", "notify"},
               {"action", "slack.sendMessage"},
               {"credential", "cred_slack"},
               {"inputs", {{"channel", "#ops"}, {"text", "id {{steps.fetch.output.body.id}}"}}}}}}};
  }

  static void expect_one(const std::vector<json>& got, const std::string& step, const std::string& field,
                         const std::string& fragment) {
    ASSERT_EQ(got.size(), 1u) << json(got).dump();
    EXPECT_EQ(got[0].value("step", ""), step);
    EXPECT_EQ(got[0].value("field", ""), field);
    EXPECT_NE(got[0]["message"].get<std::string>().find(fragment), std::string::npos) << got[0].dump();
  }

  test::EngineEnv env;
  MemoryCredentialSource creds;
};

TEST_F(PlanTest, ValidWorkflowHasNoProblemsAndTemplateDependency) {
  EXPECT_TRUE(problems(base()).empty());
  auto plan = build_plan(parse_workflow(base()).take(), env.catalog, &creds, env.org.id);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->steps[1].deps, (std::vector<std::size_t>{0}));  // implicit from the template
}

TEST_F(PlanTest, UnknownActionKeySuggestsTheRightOne) {
  json doc = base();
  doc["steps"][1]["action"] = "slack.sendMesage";
  expect_one(problems(doc), "notify", "action", "unknown action 'slack.sendMesage' (did you mean 'slack.sendMessage'?)");
}

TEST_F(PlanTest, CredentialTypeMismatchIsRejected) {
  json doc = base();
  doc["steps"][1]["credential"] = "cred_acme";
  expect_one(problems(doc), "notify", "credential", "credential type mismatch: 'cred_acme' is api_key but action 'slack.sendMessage' needs oauth2 or bot_token");
  json acme = {{"name", "a"}, {"steps", {{{"id", "p"}, {"action", "acme.ping"}, {"credential", "cred_acme_bearer"},
                                          {"inputs", {{"endpoint", "http://x/"}}}}}}};
  expect_one(problems(acme), "p", "credential", "is bearer_token but action 'acme.ping' needs api_key");
}

TEST_F(PlanTest, TypoInStepReferenceIsRejected) {
  json doc = base();
  doc["steps"][1]["inputs"]["text"] = "id {{steps.fetc.output.body.id}}";
  expect_one(problems(doc), "notify", "inputs.text", "names unknown step 'fetc' (did you mean 'fetch'?)");
  doc = base();
  doc["steps"][1]["after"] = {"fecth"};
  expect_one(problems(doc), "notify", "after[0]", "unknown step 'fecth' (did you mean 'fetch'?)");
}

TEST_F(PlanTest, MissingUnknownAndUnneededCredentials) {
  json doc = base();
  doc["steps"][1].erase("credential");
  expect_one(problems(doc), "notify", "credential", "needs a 'slack' credential of type oauth2 or bot_token");
  doc = base();
  doc["steps"][1]["credential"] = "cred_nope";
  expect_one(problems(doc), "notify", "credential", "credential 'cred_nope' does not exist");
  doc = base();
  doc["steps"][0]["credential"] = "cred_slack";
  expect_one(problems(doc), "fetch", "credential", "takes no credential");
}

TEST_F(PlanTest, WrongProviderCredentialIsRejected) {
  ASSERT_TRUE(creds.add({CredentialId("cred_gmail"), "gmail", vault::AuthType::oauth2}, {{"access_token", "g"}}).ok());
  json doc = base();
  doc["steps"][1]["credential"] = "cred_gmail";
  expect_one(problems(doc), "notify", "credential", "is for provider 'gmail'");
}

TEST_F(PlanTest, SchemaViolationsNameTheField) {
  json doc = base();
  doc["steps"][1]["inputs"]["channel"] = 42;
  expect_one(problems(doc), "notify", "inputs.channel", "");
  doc = base();
  doc["steps"][1]["inputs"].erase("channel");
  auto got = problems(doc);
  ASSERT_EQ(got.size(), 1u) << json(got).dump();
  EXPECT_EQ(got[0]["field"], "inputs");
  EXPECT_NE(got[0]["message"].get<std::string>().find("channel"), std::string::npos) << got[0].dump();
}

TEST_F(PlanTest, TemplatedValuesAreCheckedAtRunTimeNotSaveTime) {
  json doc = base();
  doc["steps"][1]["inputs"]["channel"] = "{{steps.fetch.output.body.channel}}";
  EXPECT_TRUE(problems(doc).empty());
}

TEST_F(PlanTest, CyclesAndSelfReferencesAreRejected) {
  json doc = base();
  doc["steps"][0]["after"] = {"notify"};
  auto got = problems(doc);
  ASSERT_EQ(got.size(), 1u) << json(got).dump();
  EXPECT_NE(got[0]["message"].get<std::string>().find("dependency cycle"), std::string::npos);
  doc = base();
  doc["steps"][0]["inputs"]["url"] = "{{steps.fetch.output.body.next}}";
  expect_one(problems(doc), "fetch", "inputs.url", "reads the step's own output");
}

TEST_F(PlanTest, StructuralProblemsAreAllReported) {
  json doc = {{"steps", {{{"id", "a b"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}, {"colour", 1}},
                         {{"id", "x"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}},
                         {{"id", "x"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}, {"retry", {{"maxAttempts", 50}}}}}}};
  auto got = problems(doc);
  std::set<std::string> fields;
  for (const auto& p : got) fields.insert(p.value("step", "") + "|" + p.value("field", ""));
  EXPECT_TRUE(fields.count("|name"));
  EXPECT_TRUE(fields.count("a b|id"));
  EXPECT_TRUE(fields.count("a b|colour"));
  EXPECT_TRUE(fields.count("x|id"));  // duplicate
  EXPECT_TRUE(fields.count("x|retry.maxAttempts"));
}

TEST_F(PlanTest, ErrorMessageNamesStepAndField) {
  json doc = base();
  doc["steps"][1]["action"] = "slack.sendMesage";
  auto wf = parse_workflow(doc);
  auto plan = build_plan(std::move(wf).take(), env.catalog, &creds, env.org.id);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("step 'notify' field 'action': unknown action 'slack.sendMesage'"),
            std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace weft::engine
