// Master-key safety over the real SQLite store: the database remembers which key it belongs to
// (a keyed check, never the key), a start with another key is refused with a message naming both
// key ids, and a rotation interrupted anywhere leaves every credential readable with one of the
// two keys and finishes when run again.
#include <gtest/gtest.h>

#include <string>

#include "store/open_store.h"
#include "testing/temp_dir.h"
#include "vault/key_check.h"
#include "vault/key_rotation.h"
#include "vault/vault.h"

namespace weft::vault {
namespace {

MasterKey key_of(char c) { return *MasterKey::from_hex(std::string(64, c)); }

struct Interrupted {};

class KeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store({.url = dir.file("weft.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db = std::move(opened).take();
  }
  // `n` orgs with two credentials each, sealed under `key`.
  void populate(const MasterKey& key, int n) {
    Vault vault(db->credentials(), key);
    for (int i = 0; i < n; ++i) {
      auto org = db->orgs().create("org " + std::to_string(i));
      ASSERT_TRUE(org.ok());
      for (int c = 0; c < 2; ++c) {
        auto made = vault.create(org->id, {"cred " + std::to_string(c), "acme", AuthType::api_key,
                                           json{{"api_key", "secret-" + std::to_string(i) + "-" + std::to_string(c)}}, {}});
        ASSERT_TRUE(made.ok()) << made.error().message;
        creds.emplace_back(org->id, made->id);
      }
    }
  }
  // How many of the credentials open with `key` (a fresh vault: nothing cached).
  int readable_with(const MasterKey& key) {
    Vault vault(db->credentials(), key);
    int ok = 0;
    for (const auto& [org, id] : creds) ok += vault.open(org, id).ok();
    return ok;
  }

  testing::TempDir dir;
  std::unique_ptr<store::Store> db;
  std::vector<std::pair<OrgId, CredentialId>> creds;
};

TEST_F(KeyRotationTest, TheDatabaseRemembersItsKeyAndRefusesAnotherWithBothIds) {
  const MasterKey a = key_of('a');
  const MasterKey b = key_of('b');
  EXPECT_EQ(master_key_check(a).size(), 64u);
  EXPECT_NE(master_key_check(a), master_key_check(b));
  EXPECT_EQ(master_key_check(a).find(std::string(64, 'a')), std::string::npos);  // not the key itself
  ASSERT_TRUE(verify_master_key(*db, a, "WEFT_MASTER_KEY").ok());  // first start: recorded
  ASSERT_TRUE(verify_master_key(*db, a, "WEFT_MASTER_KEY").ok());
  Status wrong = verify_master_key(*db, b, "WEFT_MASTER_KEY");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "wrong_master_key");
  EXPECT_TRUE(wrong.error().is_public);
  EXPECT_NE(wrong.error().message.find(master_key_id(b)), std::string::npos) << wrong.error().message;
  EXPECT_NE(wrong.error().message.find(master_key_id(a)), std::string::npos) << wrong.error().message;
  EXPECT_NE(wrong.error().message.find("WEFT_MASTER_KEY"), std::string::npos);
  EXPECT_EQ(wrong.error().message.find(std::string(64, 'a')), std::string::npos);
  EXPECT_EQ(wrong.error().message.find(std::string(64, 'b')), std::string::npos);
}

TEST_F(KeyRotationTest, ADatabaseFromBeforeTheRecordIsJudgedByItsOrgKeys) {
  const MasterKey a = key_of('a');
  populate(a, 2);  // no record: vaults alone never write one
  EXPECT_EQ(verify_master_key(*db, key_of('b'), "the key file x").error().code, "wrong_master_key");
  ASSERT_TRUE(verify_master_key(*db, a, "the key file x").ok());
  auto record = read_master_key_record(db->settings());
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->id, master_key_id(a));
}

TEST_F(KeyRotationTest, AnInterruptedRotationLeavesEveryCredentialReadableAndARerunFinishesIt) {
  const MasterKey a = key_of('a');
  const MasterKey b = key_of('b');
  ASSERT_TRUE(verify_master_key(*db, a, "k").ok());
  populate(a, 6);
  EXPECT_EQ(readable_with(a), 12);

  // Stopped after three of six org keys.
  try {
    (void)rotate_master_key(*db, a, b, [](int rewrapped) {
      if (rewrapped == 3) throw Interrupted{};
    });
    FAIL() << "not interrupted";
  } catch (const Interrupted&) {
  }
  EXPECT_EQ(readable_with(a) + readable_with(b), 12);  // each credential with one of the two
  EXPECT_EQ(readable_with(b), 6);
  EXPECT_EQ(verify_master_key(*db, a, "k").error().code, "master_key_rotation_unfinished");
  EXPECT_EQ(verify_master_key(*db, b, "k").error().code, "master_key_rotation_unfinished");
  EXPECT_EQ(rotate_master_key(*db, a, key_of('c')).error().code, "conflict");  // not another key meanwhile

  auto finished = rotate_master_key(*db, a, b);
  ASSERT_TRUE(finished.ok()) << finished.error().message;
  EXPECT_EQ(finished->orgs, 6);
  EXPECT_EQ(finished->rewrapped, 3);
  EXPECT_EQ(finished->already, 3);
  EXPECT_TRUE(finished->unreadable.empty());
  EXPECT_EQ(readable_with(b), 12);
  EXPECT_EQ(readable_with(a), 0);
  EXPECT_TRUE(verify_master_key(*db, b, "k").ok());
  EXPECT_EQ(verify_master_key(*db, a, "k").error().code, "wrong_master_key");
  // The secrets themselves were never re-sealed: they open to what was stored.
  Vault vault(db->credentials(), b);
  EXPECT_EQ(vault.open(creds[5].first, creds[5].second)->secret.reveal()["api_key"], "secret-2-1");
  // And back: a second rotation works like the first.
  auto again = rotate_master_key(*db, b, a);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(readable_with(a), 12);
}

TEST_F(KeyRotationTest, ARotationRefusesTheWrongCurrentKeyAndTheSameKeyTwice) {
  const MasterKey a = key_of('a');
  ASSERT_TRUE(verify_master_key(*db, a, "k").ok());
  populate(a, 1);
  EXPECT_EQ(rotate_master_key(*db, key_of('b'), key_of('c')).error().code, "wrong_master_key");
  EXPECT_EQ(rotate_master_key(*db, a, a).error().code, "invalid_input");
  EXPECT_EQ(readable_with(a), 2);
}

// A process started before a rotation must not wrap a new org's data key with the old master key.
TEST_F(KeyRotationTest, AProcessOnTheRotatedAwayKeyCreatesNoNewOrgKey) {
  const MasterKey a = key_of('a');
  ASSERT_TRUE(verify_master_key(*db, a, "k").ok());
  populate(a, 1);
  Vault old_process(db->credentials(), a);
  const std::string check = master_key_check(a);
  old_process.set_new_org_key_guard([this, check] { return still_the_master_key(*db, check); });
  auto before = db->orgs().create("before");
  ASSERT_TRUE(old_process.create(before->id, {"x", "acme", AuthType::api_key, json{{"api_key", "k"}}, {}}).ok());
  ASSERT_TRUE(rotate_master_key(*db, a, key_of('b')).ok());
  auto after = db->orgs().create("after");
  auto refused = old_process.create(after->id, {"x", "acme", AuthType::api_key, json{{"api_key", "k"}}, {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "master_key_rotated");
  EXPECT_FALSE(db->credentials().org_key(after->id)->has_value());
}

}  // namespace
}  // namespace weft::vault
