#include "vault/sealing.h"

#include <sodium.h>

#include "core/assert.h"

namespace weft::vault {

namespace {

constexpr std::uint8_t kFormatV1 = 1;
constexpr std::size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kHeaderSize = 1 + kNonceSize;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kSealKeySize);

}  // namespace

std::string org_key_aad(const OrgId& org) { return "weft:org-key:v1:" + org.str(); }

std::vector<std::uint8_t> seal(const SealKey& key,
                               std::string_view aad, const std::uint8_t* plaintext,
                               std::size_t size) {
  std::vector<std::uint8_t> out(kHeaderSize + size + kTagSize);
  out[0] = kFormatV1;
  std::uint8_t* nonce = out.data() + 1;
  randombytes_buf(nonce, kNonceSize);
  unsigned long long ciphertext_size = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kHeaderSize, &ciphertext_size, plaintext, size,
      reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), nullptr, nonce, key.data());
  WEFT_ASSERT(ciphertext_size == size + kTagSize);
  return out;
}

std::optional<std::vector<std::uint8_t>> unseal(const SealKey& key,
                                                std::string_view aad,
                                                const std::vector<std::uint8_t>& sealed) {
  if (sealed.size() < kHeaderSize + kTagSize || sealed[0] != kFormatV1) return std::nullopt;
  std::vector<std::uint8_t> plaintext(sealed.size() - kHeaderSize - kTagSize);
  unsigned long long plaintext_size = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plaintext.data(), &plaintext_size, nullptr, sealed.data() + kHeaderSize,
      sealed.size() - kHeaderSize, reinterpret_cast<const unsigned char*>(aad.data()), aad.size(),
      sealed.data() + 1, key.data());
  if (rc != 0 || plaintext_size != plaintext.size()) return std::nullopt;
  return plaintext;
}

}  // namespace weft::vault
