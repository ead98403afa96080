#include "vault/auth.h"

#include <gtest/gtest.h>

#include <string>

namespace weft::vault {
namespace {

constexpr const char* kCanary = "SECRET-CANARY-9f8e7d";

// Asserts `status` is an invalid_credential error naming `field` and never quoting the canary
// (in its message or its details).
void expect_refused(const Status& status, const std::string& field) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "invalid_credential");
  EXPECT_TRUE(status.error().is_public);
  EXPECT_NE(status.error().message.find(field), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find(kCanary), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().details.dump().find(kCanary), std::string::npos);
  bool listed = false;
  for (const auto& problem : status.error().details) {
    if (problem.value("field", "") == field) listed = true;
  }
  EXPECT_TRUE(listed) << status.error().details.dump();
}

TEST(AuthType, NamesRoundTrip) {
  for (auto type : {AuthType::api_key, AuthType::bearer_token, AuthType::oauth2,
                    AuthType::bot_token, AuthType::none}) {
    const auto parsed = parse_auth_type(to_string(type));
    ASSERT_TRUE(parsed.has_value()) << to_string(type);
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_EQ(to_string(AuthType::api_key), "api_key");
  EXPECT_EQ(to_string(AuthType::bearer_token), "bearer_token");
  EXPECT_EQ(to_string(AuthType::oauth2), "oauth2");
  EXPECT_EQ(to_string(AuthType::bot_token), "bot_token");
  EXPECT_EQ(to_string(AuthType::none), "none");
  EXPECT_FALSE(parse_auth_type("API_KEY").has_value());
  EXPECT_FALSE(parse_auth_type("").has_value());
  EXPECT_FALSE(parse_auth_type("basic").has_value());
}

TEST(ValidateSecret, EachTypeAcceptsItsShape) {
  EXPECT_TRUE(validate_secret(AuthType::api_key, {{"api_key", "k-1"}}).ok());
  EXPECT_TRUE(validate_secret(AuthType::bearer_token, {{"token", "t-1"}}).ok());
  EXPECT_TRUE(validate_secret(AuthType::bot_token, {{"bot_token", "xoxb-1"}}).ok());
  EXPECT_TRUE(validate_secret(AuthType::oauth2, {{"access_token", "a-1"}}).ok());
  EXPECT_TRUE(validate_secret(AuthType::oauth2, {{"access_token", "a-1"},
                                                 {"refresh_token", "r-1"},
                                                 {"expires_at", 1700000000},
                                                 {"token_type", "Bearer"},
                                                 {"scope", "chat:write"}})
                  .ok());
  EXPECT_TRUE(validate_secret(AuthType::oauth2,
                              {{"access_token", "a-1"}, {"expires_at", "2026-01-01T00:00:00Z"}})
                  .ok());
  EXPECT_TRUE(validate_secret(AuthType::none, json::object()).ok());
}

TEST(ValidateSecret, RefusesMissingField) {
  expect_refused(validate_secret(AuthType::api_key, json::object()), "/api_key");
  expect_refused(validate_secret(AuthType::bearer_token, json::object()), "/token");
  expect_refused(validate_secret(AuthType::bot_token, json::object()), "/bot_token");
  expect_refused(validate_secret(AuthType::oauth2, {{"refresh_token", kCanary}}), "/access_token");
}

TEST(ValidateSecret, RefusesEmptyString) {
  expect_refused(validate_secret(AuthType::api_key, {{"api_key", ""}}), "/api_key");
  expect_refused(validate_secret(AuthType::bearer_token, {{"token", ""}}), "/token");
  expect_refused(validate_secret(AuthType::bot_token, {{"bot_token", ""}}), "/bot_token");
  expect_refused(validate_secret(AuthType::oauth2, {{"access_token", ""}}), "/access_token");
}

TEST(ValidateSecret, RefusesWrongType) {
  expect_refused(validate_secret(AuthType::api_key, {{"api_key", 12345}}), "/api_key");
  expect_refused(validate_secret(AuthType::bearer_token, {{"token", json::array({kCanary})}}),
                 "/token");
  expect_refused(validate_secret(AuthType::bot_token, {{"bot_token", {{"v", kCanary}}}}),
                 "/bot_token");
  expect_refused(
      validate_secret(AuthType::oauth2, {{"access_token", kCanary}, {"expires_at", 1.5}}),
      "/expires_at");
  expect_refused(
      validate_secret(AuthType::oauth2, {{"access_token", kCanary}, {"refresh_token", 7}}),
      "/refresh_token");
  expect_refused(validate_secret(AuthType::oauth2, {{"access_token", kCanary}, {"scope", true}}),
                 "/scope");
}

TEST(ValidateSecret, RefusesExtraField) {
  expect_refused(validate_secret(AuthType::api_key, {{"api_key", kCanary}, {"password", kCanary}}),
                 "/password");
  expect_refused(validate_secret(AuthType::bearer_token, {{"token", kCanary}, {"api_key", "x"}}),
                 "/api_key");
  expect_refused(validate_secret(AuthType::none, {{"token", kCanary}}), "/token");
}

TEST(ValidateSecret, RefusesNonObject) {
  const auto status = validate_secret(AuthType::api_key, json(kCanary));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "invalid_credential");
  EXPECT_EQ(status.error().message.find(kCanary), std::string::npos);
  EXPECT_FALSE(validate_secret(AuthType::none, json::array()).ok());
  EXPECT_FALSE(validate_secret(AuthType::none, nullptr).ok());
}

TEST(ValidateSecret, ListsEveryProblem) {
  // Wrong type, unknown fields and a missing required field, all in one answer.
  const auto status = validate_secret(
      AuthType::oauth2,
      {{"refresh_token", 1}, {"client_secret", kCanary}, {"password", kCanary}});
  expect_refused(status, "/access_token");
  expect_refused(status, "/refresh_token");
  expect_refused(status, "/client_secret");
  expect_refused(status, "/password");
  EXPECT_EQ(status.error().details.size(), 4u) << status.error().details.dump();
}

TEST(PrimaryToken, ReturnsTheTypesTokenField) {
  EXPECT_EQ(primary_token(AuthType::api_key, {{"api_key", "k-1"}}), "k-1");
  EXPECT_EQ(primary_token(AuthType::bearer_token, {{"token", "t-1"}}), "t-1");
  EXPECT_EQ(primary_token(AuthType::oauth2, {{"access_token", "a-1"}, {"refresh_token", "r-1"}}),
            "a-1");
  EXPECT_EQ(primary_token(AuthType::bot_token, {{"bot_token", "xoxb-1"}}), "xoxb-1");
  EXPECT_EQ(primary_token(AuthType::none, json::object()), "");
  // The field of another type is not this type's token.
  EXPECT_EQ(primary_token(AuthType::api_key, {{"token", "t-1"}}), "");
  EXPECT_EQ(primary_token(AuthType::bot_token, nullptr), "");
}

// The fields a form must ask for are exactly the ones validate_secret takes.
TEST(AuthSchema, SecretFieldsListWhatValidateSecretTakes) {
  auto names = [](AuthType t) {
    std::vector<std::string> out;
    for (const auto& f : secret_fields(t)) out.push_back(f.name + (f.required ? "*" : ""));
    return out;
  };
  EXPECT_EQ(names(AuthType::api_key), (std::vector<std::string>{"api_key*"}));
  EXPECT_EQ(names(AuthType::bearer_token), (std::vector<std::string>{"token*"}));
  EXPECT_EQ(names(AuthType::bot_token), (std::vector<std::string>{"bot_token*"}));
  EXPECT_EQ(names(AuthType::oauth2),
            (std::vector<std::string>{"access_token*", "expires_at", "refresh_token", "scope", "token_type"}));
  EXPECT_TRUE(secret_fields(AuthType::none).empty());
  for (auto t : {AuthType::api_key, AuthType::bearer_token, AuthType::oauth2, AuthType::bot_token}) {
    json secret = json::object();
    for (const auto& f : secret_fields(t)) {
      if (f.required) secret[f.name] = "x";
    }
    EXPECT_TRUE(validate_secret(t, secret).ok()) << to_string(t);
    secret["not_a_field"] = "x";
    EXPECT_FALSE(validate_secret(t, secret).ok()) << to_string(t);
  }
}

}  // namespace
}  // namespace weft::vault
