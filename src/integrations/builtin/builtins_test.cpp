#include "integrations/builtin/builtins.h"

#include <gtest/gtest.h>

#include <set>

#include "integrations/builtin/test_support.h"

namespace weft::integrations {
namespace {

using testing::BuiltinCatalog;

const std::set<std::string> kKeys = {"core.transform", "core.delay", "core.fail",
                                     "http.request",   "acme.ping",  "slack.sendMessage",
                                     "gmail.sendEmail"};

TEST(Builtins, RegistersEveryActionWithCompleteDefinitions) {
  BuiltinCatalog builtins{BuiltinOptions{}};
  ASSERT_TRUE(builtins.status().ok()) << builtins.status().error().message;

  std::set<std::string> keys;
  for (const catalog::Action* action : builtins.catalog().actions()) {
    SCOPED_TRACE(action->key);
    keys.insert(action->key);
    EXPECT_FALSE(action->name.empty());
    EXPECT_FALSE(action->display.title.empty());
    EXPECT_FALSE(action->display.description.empty());
    EXPECT_EQ(action->display.icon.rfind("data:image/svg+xml;base64,", 0), 0u);
    EXPECT_FALSE(action->display.category.empty());
    EXPECT_TRUE(static_cast<bool>(action->run));
    // Both schemas compile from their source (the catalog compiles them at their first use).
    EXPECT_EQ(action->input_schema.source().value("type", ""), "object");
    EXPECT_TRUE(JsonSchema::compile(action->input_schema.source()).ok());
    EXPECT_TRUE(JsonSchema::compile(action->output_schema.source()).ok());
    EXPECT_FALSE(action->input_schema.validate(json::object()).empty())
        << "an empty input should miss a required field";
    const bool core = action->provider == "core";
    EXPECT_EQ(action->kind, core ? catalog::ActionKind::block : catalog::ActionKind::tool);
  }
  EXPECT_EQ(keys, kKeys);

  const json catalog_json = builtins.catalog().to_json();
  ASSERT_EQ(catalog_json["providers"].size(), 5u);
  for (const auto& provider : catalog_json["providers"]) {
    EXPECT_FALSE(provider["name"].get<std::string>().empty());
    EXPECT_EQ(provider["icon"].get<std::string>().rfind("data:image/svg+xml;base64,", 0), 0u);
    EXPECT_FALSE(provider["category"].get<std::string>().empty());
  }
}

TEST(Builtins, AuthTypes) {
  BuiltinCatalog builtins{BuiltinOptions{}};
  ASSERT_TRUE(builtins.status().ok());
  using vault::AuthType;
  EXPECT_EQ(builtins.action("core.delay").auth_type, AuthType::none);
  EXPECT_EQ(builtins.action("http.request").auth_type, AuthType::none);
  EXPECT_EQ(builtins.action("acme.ping").auth_type, AuthType::api_key);
  EXPECT_EQ(builtins.action("gmail.sendEmail").auth_type, AuthType::oauth2);
  const auto& slack = builtins.action("slack.sendMessage");
  EXPECT_EQ(slack.auth_type, AuthType::oauth2);
  EXPECT_TRUE(slack.accepts(AuthType::oauth2));
  EXPECT_TRUE(slack.accepts(AuthType::bot_token));
  EXPECT_FALSE(slack.accepts(AuthType::api_key));
  EXPECT_FALSE(builtins.action("gmail.sendEmail").accepts(AuthType::bot_token));
}

TEST(Builtins, RegisteringTwiceFails) {
  catalog::Catalog catalog;
  ASSERT_TRUE(register_builtins(catalog, BuiltinOptions{}).ok());
  auto again = register_builtins(catalog, BuiltinOptions{});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "invalid_action");
}

TEST(Builtins, OptionsFromConfig) {
  Config config;
  config.slack_api_base = "http://slack.test/api";
  config.gmail_api_base = "http://gmail.test";
  config.acme_api_base = "http://acme.test:8080";
  config.http_max_response_bytes = 1234;
  config.http_max_redirects = 2;
  config.http_default_timeout_ms = 999;
  config.http_allow_private = false;
  const BuiltinOptions options = BuiltinOptions::from_config(config);
  EXPECT_EQ(options.slack_api_base, "http://slack.test/api");
  EXPECT_EQ(options.gmail_api_base, "http://gmail.test");
  EXPECT_EQ(options.acme_api_base, "http://acme.test:8080");
  EXPECT_EQ(options.http_max_response_bytes, 1234);
  EXPECT_EQ(options.http_max_redirects, 2);
  EXPECT_EQ(options.http_default_timeout_ms, 999);
  EXPECT_FALSE(options.outbound().allow_private_addresses);
  EXPECT_EQ(options.outbound().max_redirects, 2);
}

TEST(Builtins, InputSchemasRejectCommonMistakes) {
  BuiltinCatalog builtins{BuiltinOptions{}};
  ASSERT_TRUE(builtins.status().ok());
  auto invalid = [&](const std::string& key, const json& input) {
    return !builtins.action(key).input_schema.validate(input).empty();
  };
  EXPECT_TRUE(invalid("slack.sendMessage", {{"channel", "#ops"}}));  // no text nor blocks
  EXPECT_FALSE(invalid("slack.sendMessage", {{"channel", "#ops"}, {"blocks", json::array()}}));
  EXPECT_TRUE(invalid("slack.sendMessage", {{"channel", "#ops"}, {"text", "x"}, {"txt", "y"}}));
  EXPECT_TRUE(invalid("http.request", {{"url", "ftp://example.com"}}));
  EXPECT_TRUE(invalid("http.request", {{"url", "https://x.test"}, {"method", "TRACE"}}));
  EXPECT_TRUE(invalid("http.request", {{"url", "https://x.test"}, {"headers", {{"A", 1}}}}));
  EXPECT_FALSE(invalid("http.request", {{"url", "HTTPS://x.test/p"}, {"query", {{"n", 1}}}}));
  EXPECT_TRUE(invalid("acme.ping", {{"endpoint", "example.com"}}));
  EXPECT_TRUE(invalid("gmail.sendEmail", {{"to", json::array()}, {"subject", "s"}}));
  EXPECT_TRUE(invalid("gmail.sendEmail", {{"to", "a@x.test"}}));
  EXPECT_FALSE(invalid("gmail.sendEmail", {{"to", {"a@x.test", "b@x.test"}}, {"subject", ""}}));
  EXPECT_TRUE(invalid("core.delay", {{"ms", -1}}));
  EXPECT_TRUE(invalid("core.delay", {{"ms", 3600001}}));
  EXPECT_TRUE(invalid("core.fail", {{"message", "m"}, {"code", "Bad Code"}}));
  EXPECT_TRUE(invalid("core.transform", json::object()));
}

}  // namespace
}  // namespace weft::integrations
