// The vault over the real SQLite store: secrets must never reach the database files in clear.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/open_store.h"
#include "store/store.h"
#include "testing/temp_dir.h"
#include "vault/vault.h"

namespace weft::vault {
namespace {

constexpr const char* kCanary = "xoxb-PLAINTEXT-CANARY-12345";
constexpr const char* kCanary2 = "sk-PLAINTEXT-CANARY-67890";
constexpr const char* kVisibleName = "VISIBLE-NAME-marker-42";

// Every regular file under `dir` (the database, its -wal and -shm, the key file) with its bytes.
std::vector<std::pair<std::string, std::string>> all_files(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      out.emplace_back(entry.path().string(), weft::testing::read_file(entry.path().string()));
    }
  }
  return out;
}

void expect_no_plaintext(const std::string& dir) {
  bool name_seen = false;
  for (const auto& [path, bytes] : all_files(dir)) {
    EXPECT_EQ(bytes.find(kCanary), std::string::npos) << path;
    EXPECT_EQ(bytes.find(kCanary2), std::string::npos) << path;
    EXPECT_EQ(bytes.find("PLAINTEXT-CANARY"), std::string::npos) << path;
    if (bytes.find(kVisibleName) != std::string::npos) name_seen = true;
  }
  // The scan does see stored data: the (non-secret) name is there in clear.
  EXPECT_TRUE(name_seen) << "the credential name should be readable in the database files";
}

TEST(VaultSqlite, SecretsAreNotOnDiskInClear) {
  weft::testing::TempDir dir;
  auto key = MasterKey::resolve("", dir.path());
  ASSERT_TRUE(key.ok()) << key.error().message;

  CredentialId slack_id;
  CredentialId acme_id;
  OrgId org;
  {
    auto opened = store::open_store({.url = dir.file("weft.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto db = std::move(opened).take();
    auto created_org = db->orgs().create("acme-corp");
    ASSERT_TRUE(created_org.ok()) << created_org.error().message;
    org = created_org->id;

    Vault vault(db->credentials(), *key);
    NewCredential slack;
    slack.name = kVisibleName;
    slack.provider = "slack";
    slack.type = AuthType::bot_token;
    slack.secret = {{"bot_token", kCanary}};
    auto a = vault.create(org, slack);
    ASSERT_TRUE(a.ok()) << a.error().message;
    slack_id = a->id;

    NewCredential acme;
    acme.name = "Acme";
    acme.provider = "acme";
    acme.type = AuthType::oauth2;
    acme.secret = {{"access_token", kCanary2}, {"refresh_token", kCanary}};
    auto b = vault.create(org, acme);
    ASSERT_TRUE(b.ok()) << b.error().message;
    acme_id = b->id;
    ASSERT_TRUE(vault.rotate(org, acme_id, {{"access_token", std::string(kCanary2) + "-v2"}}).ok());

    auto listed = vault.list(org);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    EXPECT_EQ(listed->size(), 2u);

    // While the database is open (the WAL still holds the writes).
    EXPECT_TRUE(std::filesystem::exists(dir.file("weft.db")));
    EXPECT_TRUE(std::filesystem::exists(dir.file("weft.db-wal"))) << "the store runs in WAL mode";
    expect_no_plaintext(dir.path());
  }
  // After close (checkpointed into weft.db).
  expect_no_plaintext(dir.path());

  // A restart with the same key file opens both credentials from disk.
  auto again = MasterKey::resolve("", dir.path());
  ASSERT_TRUE(again.ok());
  auto reopened = store::open_store({.url = dir.file("weft.db")});
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto db = std::move(reopened).take();
  Vault vault(db->credentials(), *again);
  auto slack = vault.open(org, slack_id);
  ASSERT_TRUE(slack.ok()) << slack.error().message;
  EXPECT_EQ(slack->secret.reveal()["bot_token"], kCanary);
  EXPECT_EQ(slack->info.name, kVisibleName);
  auto acme = vault.open(org, acme_id);
  ASSERT_TRUE(acme.ok()) << acme.error().message;
  EXPECT_EQ(acme->secret.reveal(), json({{"access_token", std::string(kCanary2) + "-v2"}}));

  // Another org of the same database cannot reach it.
  auto other = db->orgs().create("other-corp");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(vault.open(other->id, slack_id).error().code, "not_found");
}

}  // namespace
}  // namespace weft::vault
