#include "vault/vault.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <spdlog/sinks/ostream_sink.h>

#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace weft::vault {
namespace {

constexpr const char* kCanary = "xoxb-PLAINTEXT-CANARY-12345";
const std::string kMasterHex = "4f1c2a9e8b7d6c5f4e3d2c1b0a99887766554433221100ffeeddccbbaa998877";
const std::string kOtherMasterHex =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

MasterKey master(const std::string& hex = kMasterHex) {
  auto key = MasterKey::from_hex(hex);
  WEFT_ASSERT(key.ok());
  return std::move(key).take();
}

// An in-memory CredentialStore with the interface's semantics (org-scoped, "not_found",
// "conflict", first org key wins). Tests reach into `records` and `org_keys` to tamper.
class FakeCredentialStore : public store::CredentialStore {
 public:
  using Key = std::pair<std::string, std::string>;  // (org, credential id)

  Status insert(const store::CredentialRecord& record) override {
    std::lock_guard lock(mutex);
    ++writes;
    if (!records.emplace(key(record.org, record.id), record).second) {
      return Error::make("conflict", "credential exists");
    }
    order.push_back(key(record.org, record.id));
    return {};
  }
  Status update(const store::CredentialRecord& record) override {
    std::lock_guard lock(mutex);
    ++writes;
    auto it = records.find(key(record.org, record.id));
    if (it == records.end()) return Error::not_found("credential");
    it->second.name = record.name;
    it->second.sealed = record.sealed;
    it->second.updated_at = record.updated_at;
    return {};
  }
  Result<store::CredentialRecord> get(const OrgId& org, const CredentialId& id) override {
    std::lock_guard lock(mutex);
    auto it = records.find(key(org, id));
    if (it == records.end()) return Error::not_found("credential");
    return it->second;
  }
  Result<std::vector<store::CredentialRecord>> list(const OrgId& org) override {
    std::lock_guard lock(mutex);
    std::vector<store::CredentialRecord> out;
    for (const auto& k : order) {
      auto it = records.find(k);
      if (it != records.end() && k.first == org.str()) out.push_back(it->second);
    }
    return out;
  }
  Status remove(const OrgId& org, const CredentialId& id) override {
    std::lock_guard lock(mutex);
    if (records.erase(key(org, id)) == 0) return Error::not_found("credential");
    return {};
  }
  Result<std::optional<std::vector<std::uint8_t>>> org_key(const OrgId& org) override {
    std::lock_guard lock(mutex);
    if (hide_org_keys) return std::optional<std::vector<std::uint8_t>>();
    auto it = org_keys.find(org.str());
    if (it == org_keys.end()) return std::optional<std::vector<std::uint8_t>>();
    return std::optional<std::vector<std::uint8_t>>(it->second);
  }
  Result<std::vector<std::uint8_t>> put_org_key_if_absent(
      const OrgId& org, const std::vector<std::uint8_t>& wrapped) override {
    std::lock_guard lock(mutex);
    ++org_key_puts;
    return org_keys.emplace(org.str(), wrapped).first->second;
  }
  Result<std::vector<std::pair<OrgId, std::vector<std::uint8_t>>>> list_org_keys() override {
    std::lock_guard lock(mutex);
    std::vector<std::pair<OrgId, std::vector<std::uint8_t>>> out;
    for (const auto& [org, wrapped] : org_keys) out.emplace_back(OrgId(org), wrapped);
    return out;
  }
  Status replace_org_key(const OrgId& org, const std::vector<std::uint8_t>& expected,
                         const std::vector<std::uint8_t>& replacement) override {
    std::lock_guard lock(mutex);
    auto it = org_keys.find(org.str());
    if (it == org_keys.end()) return Error::not_found("org key");
    if (it->second != expected) return Error::make("conflict", "re-wrapped meanwhile");
    it->second = replacement;
    return {};
  }

  store::CredentialRecord& raw(const OrgId& org, const CredentialId& id) {
    std::lock_guard lock(mutex);
    return records.at(key(org, id));
  }

  std::mutex mutex;
  std::map<Key, store::CredentialRecord> records;
  std::vector<Key> order;
  std::map<std::string, std::vector<std::uint8_t>> org_keys;
  bool hide_org_keys = false;  // simulates losing the race between org_key() and put
  int writes = 0;
  int org_key_puts = 0;

 private:
  static Key key(const OrgId& org, const CredentialId& id) { return {org.str(), id.str()}; }
};

const OrgId kOrgA("org_A");
const OrgId kOrgB("org_B");

NewCredential slack_bot(const std::string& token = kCanary) {
  NewCredential c;
  c.name = "Slack (ops)";
  c.provider = "slack";
  c.type = AuthType::bot_token;
  c.secret = {{"bot_token", token}};
  return c;
}

std::string bytes_as_string(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// White-box: unwraps org `from`'s data key (format: version byte, 24-byte nonce, ciphertext;
// AAD "weft:org-key:v1:<org>") and wraps the same key for org `to`, as only a holder of the
// master key could.
std::vector<std::uint8_t> rewrap_org_key(const std::vector<std::uint8_t>& wrapped,
                                         const OrgId& from, const OrgId& to) {
  const auto key = master().bytes();
  const std::string from_aad = "weft:org-key:v1:" + from.str();
  const std::string to_aad = "weft:org-key:v1:" + to.str();
  std::vector<std::uint8_t> data_key(wrapped.size() - 1 - 24 - 16);
  unsigned long long size = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      data_key.data(), &size, nullptr, wrapped.data() + 25, wrapped.size() - 25,
      reinterpret_cast<const unsigned char*>(from_aad.data()), from_aad.size(),
      wrapped.data() + 1, key.data());
  WEFT_ASSERT(rc == 0 && size == 32);
  std::vector<std::uint8_t> out(wrapped.size());
  out[0] = 1;
  randombytes_buf(out.data() + 1, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + 25, &size, data_key.data(), data_key.size(),
      reinterpret_cast<const unsigned char*>(to_aad.data()), to_aad.size(), nullptr,
      out.data() + 1, key.data());
  return out;
}

class VaultTest : public ::testing::Test {
 protected:
  FakeCredentialStore store;
  ManualClock clock{1'700'000'000'000};
  Vault vault{store, master(), clock};
};

TEST_F(VaultTest, CreateThenOpenRoundTrips) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->id.str().rfind("cred_", 0), 0u) << created->id.str();
  EXPECT_EQ(created->org, kOrgA);
  EXPECT_EQ(created->provider, "slack");
  EXPECT_EQ(created->type, AuthType::bot_token);
  EXPECT_EQ(created->name, "Slack (ops)");
  EXPECT_EQ(created->created_at, 1'700'000'000'000);
  EXPECT_EQ(created->updated_at, created->created_at);

  const auto& record = store.raw(kOrgA, created->id);
  EXPECT_EQ(record.type, "bot_token");
  EXPECT_EQ(record.sealed.at(0), 1) << "format version byte";
  EXPECT_EQ(bytes_as_string(record.sealed).find(kCanary), std::string::npos);
  EXPECT_EQ(bytes_as_string(record.sealed).find("bot_token"), std::string::npos);

  auto opened = vault.open(kOrgA, created->id);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->info.id, created->id);
  EXPECT_EQ(opened->info.type, AuthType::bot_token);
  EXPECT_EQ(opened->secret.reveal(), json({{"bot_token", kCanary}}));
  EXPECT_EQ(primary_token(opened->info.type, opened->secret.reveal()), kCanary);
  EXPECT_EQ(fmt::format("{}", opened->secret), "[redacted]");

  auto info = vault.info(kOrgA, created->id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->name, "Slack (ops)");
}

TEST_F(VaultTest, SameSecretSealsDifferentlyEachTime) {
  auto a = vault.create(kOrgA, slack_bot());
  auto b = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
  EXPECT_NE(store.raw(kOrgA, a->id).sealed, store.raw(kOrgA, b->id).sealed);
}

TEST_F(VaultTest, GivenIdIsKeptAndDuplicateConflicts) {
  NewCredential c = slack_bot();
  c.id = CredentialId("cred_fixed-1");
  auto created = vault.create(kOrgA, c);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->id.str(), "cred_fixed-1");
  auto again = vault.create(kOrgA, c);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");

  c.id = CredentialId("../etc/passwd");
  auto unsafe = vault.create(kOrgA, c);
  ASSERT_FALSE(unsafe.ok());
  EXPECT_EQ(unsafe.error().code, "invalid_credential");
  EXPECT_NE(unsafe.error().message.find("/id"), std::string::npos);
}

TEST_F(VaultTest, ListHoldsNoSecretAndNeverDecrypts) {
  auto a = vault.create(kOrgA, slack_bot());
  NewCredential key;
  key.name = "Acme";
  key.provider = "acme-cloud";
  key.type = AuthType::api_key;
  key.secret = {{"api_key", "acme-SECRET-777"}};
  auto b = vault.create(kOrgA, key);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(vault.create(kOrgB, slack_bot()).ok());

  // Corrupt both blobs: list must not care, because it never decrypts.
  store.raw(kOrgA, a->id).sealed.assign(3, 0);
  store.raw(kOrgA, b->id).sealed.clear();

  auto listed = vault.list(kOrgA);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, a->id);
  EXPECT_EQ((*listed)[0].type, AuthType::bot_token);
  EXPECT_EQ((*listed)[0].provider, "slack");
  EXPECT_EQ((*listed)[1].id, b->id);
  EXPECT_EQ((*listed)[1].name, "Acme");
  EXPECT_EQ((*listed)[1].type, AuthType::api_key);
}

TEST_F(VaultTest, RotateChangesCiphertextAndValue) {
  auto created = vault.create(kOrgA, slack_bot("xoxb-old"));
  ASSERT_TRUE(created.ok());
  const auto before = store.raw(kOrgA, created->id).sealed;

  clock.advance_ms(5000);
  auto rotated = vault.rotate(kOrgA, created->id, {{"bot_token", "xoxb-new"}});
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->type, AuthType::bot_token);
  EXPECT_EQ(rotated->name, "Slack (ops)") << "an empty name keeps the old one";
  EXPECT_EQ(rotated->created_at, created->created_at);
  EXPECT_EQ(rotated->updated_at, created->created_at + 5000);
  EXPECT_NE(store.raw(kOrgA, created->id).sealed, before);

  auto opened = vault.open(kOrgA, created->id);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->secret.reveal()["bot_token"], "xoxb-new");

  // Rotating to the same value still re-seals under a fresh nonce; a new name is applied.
  const auto middle = store.raw(kOrgA, created->id).sealed;
  auto renamed = vault.rotate(kOrgA, created->id, {{"bot_token", "xoxb-new"}}, "Slack (prod)");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "Slack (prod)");
  EXPECT_NE(store.raw(kOrgA, created->id).sealed, middle);
  EXPECT_EQ(vault.info(kOrgA, created->id)->name, "Slack (prod)");
}

TEST_F(VaultTest, RotateKeepsTypeAndValidates) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  const auto before = store.raw(kOrgA, created->id).sealed;
  const int writes = store.writes;

  // A secret of another type's shape is refused: the type never changes on rotation.
  auto wrong = vault.rotate(kOrgA, created->id, {{"api_key", "SECRET-NOPE"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "invalid_credential");
  EXPECT_NE(wrong.error().message.find("/secret/bot_token"), std::string::npos);
  EXPECT_EQ(wrong.error().message.find("SECRET-NOPE"), std::string::npos);
  EXPECT_EQ(store.writes, writes);
  EXPECT_EQ(store.raw(kOrgA, created->id).sealed, before);

  auto missing = vault.rotate(kOrgA, CredentialId("cred_nope"), {{"bot_token", "x"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "not_found");
  auto other_org = vault.rotate(kOrgB, created->id, {{"bot_token", "x"}});
  ASSERT_FALSE(other_org.ok());
  EXPECT_EQ(other_org.error().code, "not_found");
}

TEST_F(VaultTest, TamperingWithAnySealedByteFails) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  const auto original = store.raw(kOrgA, created->id).sealed;
  // Every byte: version, nonce, ciphertext and tag.
  for (std::size_t i = 0; i < original.size(); ++i) {
    auto tampered = original;
    tampered[i] ^= 0x01;
    store.raw(kOrgA, created->id).sealed = tampered;
    auto opened = vault.open(kOrgA, created->id);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error().code, "credential_corrupt") << "byte " << i;
    EXPECT_FALSE(opened.error().is_public);
  }
  // Truncated and extended blobs fail too.
  for (auto blob : {std::vector<std::uint8_t>(original.begin(), original.end() - 1),
                    std::vector<std::uint8_t>(original.begin(), original.begin() + 25),
                    std::vector<std::uint8_t>{}}) {
    store.raw(kOrgA, created->id).sealed = blob;
    auto opened = vault.open(kOrgA, created->id);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "credential_corrupt");
  }
  auto extended = original;
  extended.push_back(0);
  store.raw(kOrgA, created->id).sealed = extended;
  EXPECT_FALSE(vault.open(kOrgA, created->id).ok());

  store.raw(kOrgA, created->id).sealed = original;
  EXPECT_TRUE(vault.open(kOrgA, created->id).ok()) << "the untouched blob still opens";
}

TEST_F(VaultTest, BlobSwappedOntoAnotherCredentialFails) {
  auto x = vault.create(kOrgA, slack_bot("xoxb-X"));
  auto y = vault.create(kOrgA, slack_bot("xoxb-Y"));
  ASSERT_TRUE(x.ok() && y.ok());
  store.raw(kOrgA, y->id).sealed = store.raw(kOrgA, x->id).sealed;

  auto opened = vault.open(kOrgA, y->id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "credential_corrupt");
  EXPECT_TRUE(vault.open(kOrgA, x->id).ok());
}

TEST_F(VaultTest, CredentialMovedToAnotherOrgFails) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(vault.create(kOrgB, slack_bot("xoxb-B")).ok());  // org B has its own data key

  // Org B cannot name org A's credential.
  auto cross = vault.open(kOrgB, created->id);
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.error().code, "not_found");
  EXPECT_EQ(vault.info(kOrgB, created->id).error().code, "not_found");
  EXPECT_EQ(vault.remove(kOrgB, created->id).error().code, "not_found");

  // A row copied into org B (same id, same sealed bytes) does not decrypt there.
  auto moved = store.raw(kOrgA, created->id);
  moved.org = kOrgB;
  ASSERT_TRUE(store.insert(moved).ok());
  auto opened = vault.open(kOrgB, created->id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "credential_corrupt");

  // Even if org B had the very same data key (re-wrapped for org B under the master key), the
  // credential's AAD still binds it to org A.
  store.org_keys[kOrgB.str()] = rewrap_org_key(store.org_keys.at(kOrgA.str()), kOrgA, kOrgB);
  Vault fresh(store, master(), clock);  // no cached keys
  ASSERT_TRUE(fresh.create(kOrgB, slack_bot()).ok()) << "the re-wrapped key is valid for org B";
  auto with_key = fresh.open(kOrgB, created->id);
  ASSERT_FALSE(with_key.ok());
  EXPECT_EQ(with_key.error().code, "credential_corrupt");
  EXPECT_TRUE(fresh.open(kOrgA, created->id).ok());
}

TEST_F(VaultTest, OrgKeysAreWrappedPerOrgAndCreatedOnce) {
  ASSERT_TRUE(vault.create(kOrgA, slack_bot()).ok());
  ASSERT_TRUE(vault.create(kOrgA, slack_bot()).ok());
  ASSERT_TRUE(vault.create(kOrgB, slack_bot()).ok());
  EXPECT_EQ(store.org_key_puts, 2) << "one data key per org, cached afterwards";
  ASSERT_EQ(store.org_keys.size(), 2u);
  const auto& wrapped = store.org_keys.at(kOrgA.str());
  EXPECT_EQ(wrapped.size(), 1u + 24u + 32u + 16u);
  EXPECT_EQ(wrapped[0], 1);
  EXPECT_NE(wrapped, store.org_keys.at(kOrgB.str()));
}

TEST_F(VaultTest, WrappedOrgKeyMovedToAnotherOrgIsRefused) {
  ASSERT_TRUE(vault.create(kOrgA, slack_bot()).ok());
  store.org_keys[kOrgB.str()] = store.org_keys.at(kOrgA.str());
  auto created = vault.create(kOrgB, slack_bot());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "credential_corrupt");
  EXPECT_TRUE(store.list(kOrgB)->empty());
}

TEST_F(VaultTest, RacingVaultsUseTheStoredOrgKey) {
  auto first = vault.create(kOrgA, slack_bot("xoxb-first"));
  ASSERT_TRUE(first.ok());
  // Another process's vault saw no key, made its own, and lost the race to store it: it must
  // adopt the stored key, so both vaults can open both credentials.
  store.hide_org_keys = true;
  Vault racer(store, master(), clock);
  auto second = racer.create(kOrgA, slack_bot("xoxb-second"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  store.hide_org_keys = false;
  EXPECT_EQ(store.org_keys.size(), 1u);

  auto a = vault.open(kOrgA, second->id);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->secret.reveal()["bot_token"], "xoxb-second");
  auto b = racer.open(kOrgA, first->id);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->secret.reveal()["bot_token"], "xoxb-first");
}

TEST_F(VaultTest, AnotherMasterKeyCannotOpen) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  Vault other(store, master(kOtherMasterHex), clock);
  auto opened = other.open(kOrgA, created->id);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "credential_corrupt");
  EXPECT_EQ(opened.error().message.find(kCanary), std::string::npos);
  // The same master key in a fresh vault (a restart) opens it.
  Vault restarted(store, master(), clock);
  EXPECT_TRUE(restarted.open(kOrgA, created->id).ok());
}

TEST_F(VaultTest, InvalidSecretIsRefusedAndNothingStored) {
  NewCredential c = slack_bot();
  c.secret = {{"bot_token", kCanary}, {"extra", kCanary}};
  auto created = vault.create(kOrgA, c);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "invalid_credential");
  EXPECT_NE(created.error().message.find("/secret/extra"), std::string::npos)
      << created.error().message;
  EXPECT_EQ(created.error().message.find(kCanary), std::string::npos);
  EXPECT_EQ(created.error().details.dump().find(kCanary), std::string::npos);

  c.secret = {{"api_key", kCanary}};  // the shape of another type
  EXPECT_EQ(vault.create(kOrgA, c).error().code, "invalid_credential");
  c.secret = {{"bot_token", ""}};
  EXPECT_EQ(vault.create(kOrgA, c).error().code, "invalid_credential");

  EXPECT_EQ(store.writes, 0);
  EXPECT_TRUE(store.records.empty());
  EXPECT_TRUE(vault.list(kOrgA)->empty());
}

TEST_F(VaultTest, NameAndProviderAreValidated) {
  NewCredential c = slack_bot();
  c.name = "";
  c.provider = "Slack";
  auto both = vault.create(kOrgA, c);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, "invalid_credential");
  EXPECT_NE(both.error().message.find("/name"), std::string::npos);
  EXPECT_NE(both.error().message.find("/provider"), std::string::npos);

  for (const std::string provider : {"", "1slack", "slack_bot", "slack bot", "-slack"}) {
    c = slack_bot();
    c.provider = provider;
    EXPECT_EQ(vault.create(kOrgA, c).error().code, "invalid_credential") << provider;
  }
  c = slack_bot();
  c.name = std::string(201, 'n');
  EXPECT_EQ(vault.create(kOrgA, c).error().code, "invalid_credential");
  EXPECT_EQ(store.writes, 0);

  c.name = std::string(200, 'n');
  c.provider = "google-sheets2";
  EXPECT_TRUE(vault.create(kOrgA, c).ok());
  c.name = "";
  for (int i = 0; i < 200; ++i) c.name += "\xC3\xA9";  // 200 characters, 400 bytes
  EXPECT_TRUE(vault.create(kOrgA, c).ok());
}

TEST_F(VaultTest, RemoveDeletes) {
  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(vault.remove(kOrgA, created->id).ok());
  EXPECT_EQ(vault.open(kOrgA, created->id).error().code, "not_found");
  EXPECT_EQ(vault.remove(kOrgA, created->id).error().code, "not_found");
}

TEST_F(VaultTest, EveryAuthTypeRoundTrips) {
  const std::vector<std::pair<AuthType, json>> cases = {
      {AuthType::api_key, {{"api_key", "k"}}},
      {AuthType::bearer_token, {{"token", "t"}}},
      {AuthType::oauth2,
       {{"access_token", "a"}, {"refresh_token", "r"}, {"expires_at", 17}, {"scope", "s"}}},
      {AuthType::bot_token, {{"bot_token", "b"}}},
      {AuthType::none, json::object()},
  };
  for (const auto& [type, secret] : cases) {
    NewCredential c;
    c.name = std::string(to_string(type));
    c.provider = "acme";
    c.type = type;
    c.secret = secret;
    auto created = vault.create(kOrgA, c);
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto opened = vault.open(kOrgA, created->id);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->info.type, type);
    EXPECT_EQ(opened->secret.reveal(), secret);
  }
}

TEST_F(VaultTest, ConcurrentUseOfANewOrg) {
  std::vector<std::thread> threads;
  std::vector<CredentialId> ids(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto created = vault.create(kOrgA, slack_bot("xoxb-" + std::to_string(i)));
      if (created.ok()) ids[i] = created->id;
    });
  }
  for (auto& t : threads) t.join();
  Vault restarted(store, master(), clock);
  for (int i = 0; i < 8; ++i) {
    ASSERT_FALSE(ids[i].empty());
    auto opened = restarted.open(kOrgA, ids[i]);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->secret.reveal()["bot_token"], "xoxb-" + std::to_string(i));
  }
  EXPECT_EQ(store.org_keys.size(), 1u);
}

TEST_F(VaultTest, SecretsNeverReachTheLog) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto& logger = log();
  const auto level = logger.level();
  logger.sinks().push_back(sink);
  logger.set_level(spdlog::level::trace);

  auto created = vault.create(kOrgA, slack_bot());
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(vault.open(kOrgA, created->id).ok());
  ASSERT_TRUE(vault.rotate(kOrgA, created->id, {{"bot_token", std::string(kCanary) + "-2"}}).ok());
  EXPECT_FALSE(vault.create(kOrgA, [] {
                         NewCredential c = slack_bot();
                         c.secret["extra"] = kCanary;
                         return c;
                       }()).ok());
  store.raw(kOrgA, created->id).sealed[30] ^= 1;
  EXPECT_FALSE(vault.open(kOrgA, created->id).ok());
  Vault other(store, master(kOtherMasterHex), clock);
  EXPECT_FALSE(other.open(kOrgA, created->id).ok());
  ASSERT_TRUE(vault.remove(kOrgA, created->id).ok());

  logger.sinks().pop_back();
  logger.set_level(level);
  const std::string text = captured.str();
  EXPECT_NE(text.find(created->id.str()), std::string::npos) << "the log did capture lines";
  EXPECT_EQ(text.find("PLAINTEXT-CANARY"), std::string::npos) << text;
}

}  // namespace
}  // namespace weft::vault
