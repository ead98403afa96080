// Password hashing: argon2id strings, verification, and the dummy hashes' parameters.
#include "accounts/passwords.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace weft::accounts {
namespace {

TEST(Passwords, HashVerifies) {
  auto hash = hash_password("correct horse battery", PasswordCost::min);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery "));
  EXPECT_FALSE(verify_password(*hash, ""));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*hash, hash_password("correct horse battery", PasswordCost::min).value());
}

TEST(Passwords, CostSelectsParameters) {
  EXPECT_EQ(parse_password_cost("min"), PasswordCost::min);
  EXPECT_EQ(parse_password_cost("interactive"), PasswordCost::interactive);
  EXPECT_EQ(parse_password_cost(""), PasswordCost::interactive);
  auto min = hash_password("0123456789", PasswordCost::min).take();
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(min.c_str(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
}

TEST(Passwords, MalformedHashNeverMatches) {
  EXPECT_FALSE(verify_password("", "anything at all"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything at all"));
  EXPECT_FALSE(verify_password(std::string(500, 'x'), "anything at all"));
}

TEST(Passwords, DummyHashesCostWhatRealHashesCost) {
  ensure_sodium();
  const auto& interactive = dummy_password_hash(PasswordCost::interactive);
  const auto& min = dummy_password_hash(PasswordCost::min);
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(interactive.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(min.c_str(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
  EXPECT_FALSE(verify_password(min, "0123456789"));
}

}  // namespace
}  // namespace weft::accounts
