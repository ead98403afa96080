#include "catalog/catalog.h"

#include <gtest/gtest.h>

namespace weft::catalog {
namespace {

Action make(const std::string& key, const std::string& provider) {
  Action a;
  a.key = key;
  a.name = key;
  a.provider = provider;
  a.input_schema = JsonSchema::compile({{"type", "object"}}).take();
  a.output_schema = JsonSchema::compile(json::object()).take();
  a.display = {"Title", "Does a thing", "data:image/svg+xml,<svg/>", "Core"};
  a.run = [](ActionContext&) -> Result<json> { return json::object(); };
  return a;
}

TEST(Catalog, RegistersLooksUpAndGroupsByProvider) {
  Catalog c;
  c.add_provider({"slack", "Slack", "icon", "Communication"});
  c.add_provider({"core", "Core", "icon", "Core"});
  ASSERT_TRUE(c.add(make("slack.sendMessage", "slack")).ok());
  ASSERT_TRUE(c.add(make("core.transform", "core")).ok());
  ASSERT_NE(c.find("slack.sendMessage"), nullptr);
  EXPECT_EQ(c.find("slack.nope"), nullptr);
  const json j = c.to_json();
  ASSERT_EQ(j["providers"].size(), 2u);
  EXPECT_EQ(j["providers"][0]["id"], "core");
  EXPECT_EQ(j["providers"][1]["actions"][0]["key"], "slack.sendMessage");
  EXPECT_EQ(j["providers"][1]["actions"][0]["display"]["category"], "Core");
}

TEST(Catalog, RejectsBadDefinitions) {
  Catalog c;
  c.add_provider({"slack", "Slack", "icon", "Communication"});
  EXPECT_FALSE(c.add(make("sendMessage", "slack")).ok());           // no provider prefix
  EXPECT_FALSE(c.add(make("acme.ping", "acme")).ok());              // unknown provider
  EXPECT_FALSE(c.add(make("gmail.send", "slack")).ok());            // prefix ≠ provider
  Action no_run = make("slack.x", "slack");
  no_run.run = nullptr;
  EXPECT_FALSE(c.add(no_run).ok());
  ASSERT_TRUE(c.add(make("slack.post", "slack")).ok());
  auto dup = c.add(make("slack.post", "slack"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "invalid_action");
}

TEST(Catalog, AuthTypeIsAlwaysAccepted) {
  Catalog c;
  c.add_provider({"slack", "Slack", "icon", "Communication"});
  Action a = make("slack.sendMessage", "slack");
  a.auth_type = vault::AuthType::oauth2;
  a.accepted_auth = {vault::AuthType::bot_token};
  ASSERT_TRUE(c.add(a).ok());
  const Action* got = c.find("slack.sendMessage");
  EXPECT_TRUE(got->accepts(vault::AuthType::oauth2));
  EXPECT_TRUE(got->accepts(vault::AuthType::bot_token));
  EXPECT_FALSE(got->accepts(vault::AuthType::api_key));
  EXPECT_EQ(to_json(*got)["acceptedAuthTypes"], json({"oauth2", "bot_token"}));
}

TEST(Catalog, SuggestsCloseKeys) {
  Catalog c;
  c.add_provider({"slack", "Slack", "icon", "Communication"});
  ASSERT_TRUE(c.add(make("slack.sendMessage", "slack")).ok());
  auto s = c.suggest("slack.sendMesage");
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0], "slack.sendMessage");
  EXPECT_TRUE(c.suggest("zzzzzz.qqqqqqqqqqqqqqq").empty());
}

}  // namespace
}  // namespace weft::catalog
