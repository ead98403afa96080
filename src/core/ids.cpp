#include "core/ids.h"

#include <sodium.h>

#include "core/assert.h"

#include <array>
#include <cstdint>

namespace weft {

namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string new_id_string(std::string_view prefix, const Clock& clock) {
  static const bool sodium_ready = sodium_init() >= 0;
  WEFT_ASSERT(sodium_ready);
  // 128 bits: 48-bit timestamp, then 80 random bits; encoded as 26 base32 digits (130 bits).
  std::array<std::uint8_t, 16> bytes{};
  const auto ms = static_cast<std::uint64_t>(clock.now_ms());
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  randombytes_buf(bytes.data() + 6, 10);

  std::string out;
  out.reserve(prefix.size() + 1 + 26);
  out.append(prefix);
  out.push_back('_');
  // Read the 128 bits as a big-endian number, padded with 2 leading zero bits to 130.
  unsigned __int128 value = 0;
  for (auto b : bytes) value = (value << 8) | b;
  char digits[26];
  for (int i = 25; i >= 0; --i) {
    digits[i] = kCrockford[static_cast<unsigned>(value & 31)];
    value >>= 5;
  }
  out.append(digits, 26);
  return out;
}

bool is_safe_id(std::string_view text) {
  if (text.empty() || text.size() > 128) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace weft
