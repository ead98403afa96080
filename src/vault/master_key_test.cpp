#include "vault/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "testing/temp_dir.h"

namespace weft::vault {
namespace {

using weft::testing::TempDir;

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(MasterKey, FromHexParsesBytes) {
  auto key = MasterKey::from_hex(kHex);
  ASSERT_TRUE(key.ok()) << key.error().message;
  for (std::size_t i = 0; i < MasterKey::kSize; ++i) EXPECT_EQ(key->bytes()[i], i);
  auto upper = MasterKey::from_hex("FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->bytes()[0], 0xFF);
  EXPECT_EQ(upper->bytes()[31], 0x00);
}

TEST(MasterKey, FromHexRefusesBadInputWithoutEchoingIt) {
  const std::string not_hex = "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  for (const std::string& bad :
       {std::string(""), kHex.substr(0, 63), kHex + "0", kHex + "\n", not_hex,
        std::string(64, ' ')}) {
    auto key = MasterKey::from_hex(bad);
    ASSERT_FALSE(key.ok()) << "accepted: " << bad;
    EXPECT_EQ(key.error().code, "invalid_master_key");
    if (!bad.empty() && bad.find_first_not_of(' ') != std::string::npos) {
      EXPECT_EQ(key.error().message.find(bad.substr(2, 20)), std::string::npos)
          << key.error().message;
    }
  }
}

TEST(MasterKey, FileIsCreatedWith0600AndReused) {
  TempDir dir;
  const std::string data_dir = dir.file("data/nested");  // missing parents are created
  const std::string path = data_dir + "/master.key";
  auto first = MasterKey::load_or_create_file(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(mode_of(path), 0600);
  EXPECT_EQ(mode_of(data_dir), 0700);

  const std::string content = weft::testing::read_file(path);
  ASSERT_EQ(content.size(), 65u);
  EXPECT_EQ(content.back(), '\n');
  auto parsed = MasterKey::from_hex(content.substr(0, 64));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->bytes(), first->bytes());
  EXPECT_NE(first->bytes(), MasterKey().bytes()) << "a random key is not all zero";

  auto second = MasterKey::load_or_create_file(path);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->bytes(), first->bytes());
  EXPECT_EQ(weft::testing::read_file(path), content);

  // Another file gets another random key.
  auto other = MasterKey::load_or_create_file(dir.file("other.key"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->bytes(), first->bytes());
}

TEST(MasterKey, ExistingFileIsRead) {
  TempDir dir;
  const std::string path = dir.file("master.key");
  weft::testing::write_file(path, kHex + "\n");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto key = MasterKey::load_or_create_file(path);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->bytes(), MasterKey::from_hex(kHex)->bytes());
}

TEST(MasterKey, GroupOrOtherAccessibleFileIsRefused) {
  TempDir dir;
  const std::string path = dir.file("master.key");
  weft::testing::write_file(path, kHex + "\n");
  for (mode_t mode : {0640, 0604, 0660, 0644, 0700 | 0010}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto key = MasterKey::load_or_create_file(path);
    ASSERT_FALSE(key.ok()) << std::oct << mode;
    EXPECT_EQ(key.error().code, "insecure_key_file");
    EXPECT_NE(key.error().message.find("chmod 600"), std::string::npos) << key.error().message;
    EXPECT_EQ(key.error().message.find(kHex.substr(0, 16)), std::string::npos);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(MasterKey::load_or_create_file(path).ok());
}

TEST(MasterKey, FileWithBadHexIsRefused) {
  TempDir dir;
  const std::string path = dir.file("master.key");
  const std::string bad = "this-is-not-a-key-but-it-is-secret-ish-0123456789abcdef0123456789";
  weft::testing::write_file(path, bad);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto key = MasterKey::load_or_create_file(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, "invalid_master_key");
  EXPECT_EQ(key.error().message.find("secret-ish"), std::string::npos) << key.error().message;
  // The bad file is left alone, never replaced by a new key.
  EXPECT_EQ(weft::testing::read_file(path), bad);
}

TEST(MasterKey, ResolvePrefersEnvironment) {
  TempDir dir;
  auto from_env = MasterKey::resolve(kHex, dir.path());
  ASSERT_TRUE(from_env.ok()) << from_env.error().message;
  EXPECT_EQ(from_env->bytes(), MasterKey::from_hex(kHex)->bytes());
  EXPECT_TRUE(weft::testing::read_file(dir.file("master.key")).empty())
      << "no key file is created when the environment provides the key";

  auto bad_env = MasterKey::resolve("not-hex", dir.path());
  ASSERT_FALSE(bad_env.ok());
  EXPECT_EQ(bad_env.error().code, "invalid_master_key");
  EXPECT_EQ(bad_env.error().message.find("not-hex"), std::string::npos);

  auto from_file = MasterKey::resolve("", dir.path());
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(mode_of(dir.file("master.key")), 0600);
  auto again = MasterKey::resolve("", dir.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes(), from_file->bytes());
  EXPECT_NE(from_file->bytes(), from_env->bytes());
}

}  // namespace
}  // namespace weft::vault
