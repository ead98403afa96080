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

// Only a plan of inline-safe steps that never wait between attempts may run on the step loop.
TEST_F(PlanTest, InlineOnlyWhenEveryStepIsInlineSafeAndNeverWaits) {
  auto inline_only = [&](const json& steps) {
    auto wf = parse_workflow({{"name", "t"}, {"steps", steps}});
    EXPECT_TRUE(wf.ok());
    auto plan = build_plan(std::move(wf).take(), env.catalog, &creds, env.org.id);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    return plan.ok() && plan->inline_only;
  };
  const json transform = {{"id", "t"}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}};
  const json fail = {{"id", "f"}, {"action", "core.fail"}, {"after", {"t"}}, {"inputs", {{"message", "no"}}}};
  EXPECT_TRUE(inline_only(json::array({transform, fail})));
  json immediate_retry = fail;
  immediate_retry["retry"] = {{"maxAttempts", 3}, {"backoffMs", 0}};
  EXPECT_TRUE(inline_only(json::array({transform, immediate_retry})));
  json waiting_retry = fail;
  waiting_retry["retry"] = {{"maxAttempts", 3}, {"backoffMs", 10}};
  EXPECT_FALSE(inline_only(json::array({transform, waiting_retry})));
  EXPECT_FALSE(inline_only(json::array({transform, {{"id", "d"}, {"action", "core.delay"}, {"inputs", {{"ms", 1}}}}})));
  EXPECT_FALSE(inline_only(json::array({{{"id", "h"}, {"action", "http.request"}, {"inputs", {{"url", "http://example.com/x"}}}}})));
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
  EXPECT_TRUE(fields.count("|steps[0].id"));  // an invalid id is not used to name the step
  EXPECT_TRUE(fields.count("steps[0]|colour"));
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

// ---- Issue 8, finding 7: validation costs linear time, whatever the document names ----------

json transforms(std::size_t count) {
  json steps = json::array();
  for (std::size_t i = 0; i < count; ++i) {
    steps.push_back({{"id", "s" + std::to_string(i)}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}});
  }
  return steps;
}

TEST_F(PlanTest, Finding7IdsNamesAndListsAreBounded) {
  auto one_step = [](json step) { return json{{"name", "t"}, {"steps", json::array({std::move(step)})}}; };
  const json ok_step = {{"id", std::string(64, 'a')}, {"action", "core.transform"}, {"inputs", {{"value", 1}}}};
  EXPECT_TRUE(problems(one_step(ok_step)).empty());

  json step = ok_step;
  step["id"] = std::string(65, 'a');
  expect_one(problems(one_step(step)), "", "steps[0].id", "at most 64 characters");
  step["id"] = "1abc";
  expect_one(problems(one_step(step)), "", "steps[0].id", "'1abc' is not a valid step id");

  step = ok_step;
  step["action"] = "core." + std::string(124, 't');
  expect_one(problems(one_step(step)), ok_step["id"].get<std::string>(), "action", "at most 128 characters");
  step["action"] = "core." + std::string(123, 't');  // 128: a key, just unknown (and no suggestion)
  expect_one(problems(one_step(step)), ok_step["id"].get<std::string>(), "action", "unknown action 'core.ttt");

  step = ok_step;
  step["name"] = std::string(201, 'n');
  expect_one(problems(one_step(step)), ok_step["id"].get<std::string>(), "name", "1–200 characters");

  step = ok_step;
  step["after"] = json::array();
  for (int i = 0; i < 1001; ++i) step["after"].push_back("s");
  expect_one(problems(one_step(step)), ok_step["id"].get<std::string>(), "after", "at most 1000 step ids");
  step["after"] = {std::string(100000, 'x')};
  auto got = problems(one_step(step));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["field"], "after[0]");
  EXPECT_LT(got[0].dump().size(), 400u) << got[0].dump();  // the name is not echoed

  json doc = {{"name", "t"}, {"steps", transforms(1001)}};
  expect_one(problems(doc), "", "steps", "at most 1000 steps");
  doc["steps"] = transforms(1);
  doc["trigger"] = {{"type", "manual"}, {"cron", std::string(201, '*')}};
  expect_one(problems(doc), "", "trigger.cron", "at most 200 characters");
  doc["trigger"] = {{"type", "schedule"}, {"cron", "* * * * *"}, {"timezone", std::string(65, 'z')}};
  expect_one(problems(doc), "", "trigger.timezone", "at most 64 characters");
  doc.erase("trigger");
  doc["description"] = std::string(10001, 'd');
  expect_one(problems(doc), "", "description", "at most 10000 characters");
  doc.erase("description");
  doc[std::string(100000, 'k')] = 1;
  got = problems(doc);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_LT(got[0].dump().size(), 400u) << got[0].dump();
}

TEST_F(PlanTest, Finding7NoSuggestionForLongNamesAndNoEcho) {
  json doc = {{"name", "t"}, {"steps", transforms(3)}};
  doc["steps"][2]["inputs"]["value"] = "{{steps." + std::string(100000, 's') + ".output}}";
  auto got = problems(doc);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["step"], "s2");
  EXPECT_EQ(got[0]["field"], "inputs.value");
  const std::string message = got[0]["message"];
  EXPECT_NE(message.find("names unknown step 'sss"), std::string::npos) << message;
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
  EXPECT_LT(message.size(), 400u);
  // A short typo still gets its suggestion.
  doc["steps"][2]["inputs"]["value"] = "{{steps.s11.output}}";
  expect_one(problems(doc), "s2", "inputs.value", "names unknown step 's11' (did you mean 's1'?)");
  // So does an action key, but not an overlong one.
  doc["steps"][2]["inputs"]["value"] = 1;
  doc["steps"][2]["action"] = "core.transfrom";
  expect_one(problems(doc), "s2", "action", "(did you mean 'core.transform'?)");
  doc["steps"][2]["action"] = "core.transfrom" + std::string(60, 'm');
  got = problems(doc);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["message"].get<std::string>().find("did you mean"), std::string::npos) << got[0].dump();
}

TEST_F(PlanTest, Finding7ProblemsAreCappedAtAHundredWithACount) {
  json doc = {{"name", "t"}, {"steps", transforms(1000)}};
  for (std::size_t i = 0; i < 1000; ++i) doc["steps"][i]["after"] = {"missing" + std::to_string(i)};
  auto wf = parse_workflow(doc);
  ASSERT_TRUE(wf.ok());
  auto plan = build_plan(std::move(wf).take(), env.catalog, &creds, env.org.id);
  ASSERT_FALSE(plan.ok());
  const json& details = plan.error().details;
  ASSERT_EQ(details.size(), kMaxProblems + 1);
  EXPECT_EQ(details[0]["step"], "s0");
  EXPECT_EQ(details[99]["step"], "s99");
  EXPECT_EQ(details[100].size(), 1u);  // {message}
  EXPECT_EQ(details[100]["message"], "… and 900 more problems (only the first 100 are listed)");
  EXPECT_NE(plan.error().message.find("; … and 900 more problems"), std::string::npos);

  ProblemList list;
  for (int i = 0; i < 150; ++i) list.push_back({"", "", "p" + std::to_string(i)});
  EXPECT_TRUE(list.full());
  EXPECT_EQ(list.total(), 150u);
  EXPECT_EQ(list.kept().size(), kMaxProblems);
  EXPECT_EQ(list.kept().back().message, "p99");
}

TEST_F(PlanTest, Finding7ACycleThroughAThousandStepsIsFoundWithoutDeepRecursion) {
  json doc = {{"name", "t"}, {"steps", transforms(1000)}};
  for (std::size_t i = 1; i < 1000; ++i) doc["steps"][i]["after"] = {"s" + std::to_string(i - 1)};
  EXPECT_TRUE(problems(doc).empty());
  doc["steps"][0]["after"] = {"s999"};
  auto got = problems(doc);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["field"], "after");
  EXPECT_NE(got[0]["message"].get<std::string>().find("dependency cycle: s0 → s999 → s998"), std::string::npos)
      << got[0]["message"];
}

}  // namespace
}  // namespace weft::engine

namespace weft::engine {
namespace {

// Issue 10 item 6: every problem names the JSON pointer of its field, and an anyOf of required
// lists reads as one sentence.
TEST(PlanProblems, CarryTheJsonPointerOfTheirField) {
  test::EngineEnv env;
  const json doc = json::parse(R"({"name": "p", "trigger": {"type": "schedule"}, "steps": [
      {"id": "a", "action": "core.transform", "inputs": {"value": 1}},
      {"id": "b", "action": "core.nope", "inputs": {}, "after": ["zz"]},
      {"id": "c", "action": "http.request", "inputs": {"url": 5, "headers": {"x": 1}}}]})");
  auto parsed = parse_workflow(doc);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().details[0]["pointer"], "/trigger/cron") << parsed.error().details.dump();
  json fixed = doc;
  fixed["trigger"] = {{"type", "manual"}};
  auto plan = build_plan(parse_workflow(fixed).take(), env.catalog, nullptr, env.org.id);
  ASSERT_FALSE(plan.ok());
  std::map<std::string, std::string> pointers;  // field → pointer
  for (const auto& d : plan.error().details) {
    if (d.contains("field")) pointers[d["step"].get<std::string>() + " " + d["field"].get<std::string>()] = d.value("pointer", "");
  }
  EXPECT_EQ(pointers["b action"], "/steps/1/action") << plan.error().details.dump();
  EXPECT_EQ(pointers["b after[0]"], "/steps/1/after/0") << plan.error().details.dump();
  EXPECT_EQ(pointers["c inputs.url"], "/steps/2/inputs/url") << plan.error().details.dump();
}

}  // namespace
}  // namespace weft::engine
