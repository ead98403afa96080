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

std::shared_ptr<const VendorEntry> entry(const std::string& vendor, const std::string& version, Origin origin,
                                         const OrgId& org = OrgId()) {
  auto e = std::make_shared<VendorEntry>();
  e->provider = {vendor, vendor, "", ""};
  e->version = version;
  e->origin = origin;
  e->org = org;
  auto a = make(vendor + ".ping", vendor);
  a.version = version;
  e->actions.push_back(std::make_shared<const Action>(std::move(a)));
  return e;
}

TEST(Catalog, AVendorFilterHidesVersionsPerOrgAndSaysWhy) {
  Catalog c;
  const OrgId mine("org_mine"), other("org_other");
  // Newest first: mine's own 2.0.0, then the platform's 1.0.0 of the same vendor.
  c.publish_bundles({entry("acme", "2.0.0", Origin::organization, mine), entry("acme", "1.0.0", Origin::platform),
                     entry("zorp", "1.0.0", Origin::first_party)});
  EXPECT_EQ(c.view(mine)->find("acme.ping")->version, "2.0.0");
  const auto before = c.view(mine);
  c.set_vendor_filter([mine](const OrgId& org) -> VendorFilter {
    if (org != mine) return {};
    return [](const VendorEntry& e) -> std::optional<std::string> {
      if (e.origin == Origin::organization) return "organization scope not allowed";
      if (e.provider.id == "zorp") return "zorp is blocked";
      return std::nullopt;
    };
  });
  // The org's own version is hidden: it falls back to the platform's, with no blocked reason.
  auto view = c.view(mine);
  ASSERT_NE(view->find("acme.ping"), nullptr);
  EXPECT_EQ(view->find("acme.ping")->version, "1.0.0");
  EXPECT_EQ(view->blocked_reason("acme.ping"), nullptr);
  // Every version of zorp is hidden: gone, and the view says why.
  EXPECT_EQ(view->find("zorp.ping"), nullptr);
  ASSERT_NE(view->blocked_reason("zorp.ping"), nullptr);
  EXPECT_EQ(*view->blocked_reason("zorp.ping"), "zorp is blocked");
  EXPECT_EQ(view->blocked_reason("slack.sendMessage"), nullptr);
  EXPECT_GT(view->generation(), before->generation());
  // Views handed out before are unchanged; other orgs see everything.
  EXPECT_EQ(before->find("acme.ping")->version, "2.0.0");
  EXPECT_NE(c.view(other)->find("zorp.ping"), nullptr);
  EXPECT_EQ(c.view(other)->find("acme.ping")->version, "1.0.0");  // mine's own version is mine only
  // The filter survives the next publish.
  c.publish_bundles({entry("zorp", "1.1.0", Origin::first_party)});
  EXPECT_EQ(c.view(mine)->find("zorp.ping"), nullptr);
  EXPECT_NE(c.view(mine)->blocked_reason("zorp.ping"), nullptr);
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
