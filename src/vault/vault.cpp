#include "vault/vault.h"

#include <sodium.h>

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "core/ids.h"
#include "vault/sealing.h"
#include "vault/sodium_init.h"

namespace weft::vault {

namespace {

constexpr std::size_t kKeySize = kSealKeySize;
static_assert(kKeySize == MasterKey::kSize);

constexpr std::size_t kMaxNameLength = 200;

// A 32-byte key that wipes itself when destroyed.
struct KeyBytes {
  std::array<std::uint8_t, kKeySize> bytes{};
  KeyBytes() = default;
  KeyBytes(const KeyBytes&) = default;
  KeyBytes& operator=(const KeyBytes&) = default;
  ~KeyBytes() { sodium_memzero(bytes.data(), bytes.size()); }
};

// Wipes a buffer that held plaintext before it is freed.
template <typename Buffer>
class WipeOnExit {
 public:
  explicit WipeOnExit(Buffer& buffer) : buffer_(buffer) {}
  ~WipeOnExit() { sodium_memzero(buffer_.data(), buffer_.size()); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  Buffer& buffer_;
};

std::string credential_aad(const OrgId& org, const CredentialId& id) {
  return "weft:cred:v1:" + org.str() + ":" + id.str();
}

Error corrupt(std::string message) {
  return Error{"credential_corrupt", std::move(message), nullptr, /*is_public=*/false};
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool is_provider_name(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z') return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Collects problems as {"field": JSON pointer, "message"} and turns them into one
// invalid_credential error. Messages never quote a secret.
class Problems {
 public:
  void add(std::string field, std::string message) {
    list_.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
  }
  void check_name(const std::string& name) {
    if (name.empty()) {
      add("/name", "must not be empty");
    } else if (utf8_length(name) > kMaxNameLength) {
      add("/name", fmt::format("must be at most {} characters", kMaxNameLength));
    }
  }
  void check_secret(AuthType type, const json& secret) {
    auto status = validate_secret(type, secret);
    if (status.ok()) return;
    for (const auto& problem : status.error().details) {
      add("/secret" + problem.value("field", ""), problem.value("message", "is invalid"));
    }
  }
  bool empty() const { return list_.empty(); }
  Error error() const {
    std::string message = "invalid credential: ";
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (i > 0) message += "; ";
      message += list_[i]["field"].get<std::string>() + " " + list_[i]["message"].get<std::string>();
    }
    return Error::make("invalid_credential", std::move(message), list_);
  }

 private:
  json list_ = json::array();
};

Result<CredentialInfo> to_info(const store::CredentialRecord& record) {
  const auto type = parse_auth_type(record.type);
  if (!type) {
    return corrupt(fmt::format("credential {} of org {} has an unknown auth type",
                               record.id.str(), record.org.str()));
  }
  return CredentialInfo{record.id,   record.org,        record.provider, *type,
                        record.name, record.created_at, record.updated_at};
}

}  // namespace

struct Vault::Impl {
  Impl(store::CredentialStore& store_, MasterKey master_key_, const Clock& clock_)
      : store(store_), master_key(std::move(master_key_)), clock(clock_) {}

  store::CredentialStore& store;
  MasterKey master_key;
  const Clock& clock;
  std::function<Status()> new_org_key_guard;
  std::mutex mutex;  // guards data_keys
  std::unordered_map<OrgId, KeyBytes> data_keys;

  // The org's data key: from the cache, else unwrapped from the store, else created, wrapped
  // and stored (if another process stored one first, that one is used).
  Result<KeyBytes> data_key(const OrgId& org) {
    {
      std::lock_guard lock(mutex);
      if (auto it = data_keys.find(org); it != data_keys.end()) return it->second;
    }
    WEFT_TRY_ASSIGN(auto stored, store.org_key(org));
    std::vector<std::uint8_t> wrapped;
    if (stored) {
      wrapped = std::move(*stored);
    } else {
      if (new_org_key_guard) WEFT_TRY(new_org_key_guard());
      KeyBytes fresh;
      randombytes_buf(fresh.bytes.data(), fresh.bytes.size());
      const auto sealed =
          seal(master_key.bytes(), org_key_aad(org), fresh.bytes.data(), fresh.bytes.size());
      WEFT_TRY_ASSIGN(wrapped, store.put_org_key_if_absent(org, sealed));
    }
    auto plain = unseal(master_key.bytes(), org_key_aad(org), wrapped);
    if (!plain || plain->size() != kKeySize) {
      if (plain) sodium_memzero(plain->data(), plain->size());
      log().error("vault: the data key of org {} cannot be unwrapped (wrong master key?)",
                  org.str());
      return corrupt(fmt::format(
          "the data key of org {} cannot be unwrapped: wrong master key or tampered key",
          org.str()));
    }
    KeyBytes key;
    std::memcpy(key.bytes.data(), plain->data(), kKeySize);
    sodium_memzero(plain->data(), plain->size());
    std::lock_guard lock(mutex);
    // A concurrent caller may have cached it meanwhile; both unwrapped the same stored key.
    return data_keys.emplace(org, key).first->second;
  }

  Result<std::vector<std::uint8_t>> seal_secret(const OrgId& org, const CredentialId& id,
                                                const json& secret) {
    std::string plaintext;
    try {
      plaintext = secret.dump();
    } catch (const json::type_error&) {
      return Error::make("invalid_credential", "invalid credential: /secret must be valid UTF-8");
    }
    WipeOnExit wipe(plaintext);
    WEFT_TRY_ASSIGN(KeyBytes key, data_key(org));
    return seal(key.bytes, credential_aad(org, id),
                reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size());
  }

  Result<json> open_secret(const OrgId& org, const CredentialId& id,
                           const std::vector<std::uint8_t>& sealed) {
    WEFT_TRY_ASSIGN(KeyBytes key, data_key(org));
    auto plaintext = unseal(key.bytes, credential_aad(org, id), sealed);
    if (!plaintext) {
      log().warn("vault: credential {} of org {} failed authentication", id.str(), org.str());
      return corrupt(fmt::format("credential {} of org {} cannot be decrypted: tampered, moved "
                                 "or sealed under another key",
                                 id.str(), org.str()));
    }
    WipeOnExit wipe(*plaintext);
    auto secret = parse_json(std::string_view(reinterpret_cast<const char*>(plaintext->data()), plaintext->size()));
    if (!secret.ok()) {
      return corrupt(fmt::format("credential {} of org {} decrypts to malformed JSON", id.str(),
                                 org.str()));
    }
    return secret;
  }
};

Vault::Vault(store::CredentialStore& store, MasterKey master_key, const Clock& clock)
    : impl_(std::make_unique<Impl>(store, std::move(master_key), clock)) {
  detail::ensure_sodium();
}

// Impl's members wipe themselves: KeyBytes (cached data keys) and MasterKey.
Vault::~Vault() = default;

Result<CredentialInfo> Vault::create(const OrgId& org, const NewCredential& credential) {
  Problems problems;
  problems.check_name(credential.name);
  if (!is_provider_name(credential.provider)) {
    problems.add("/provider", "must match ^[a-z][a-z0-9-]*$");
  }
  if (!credential.id.empty() && !is_safe_id(credential.id.str())) {
    problems.add("/id", "must be 1-128 characters of A-Z, a-z, 0-9, _ and -");
  }
  problems.check_secret(credential.type, credential.secret);
  if (!problems.empty()) return problems.error();

  store::CredentialRecord record;
  record.id = credential.id.empty() ? new_id<CredentialId>(impl_->clock) : credential.id;
  record.org = org;
  record.provider = credential.provider;
  record.type = std::string(to_string(credential.type));
  record.name = credential.name;
  WEFT_TRY_ASSIGN(record.sealed, impl_->seal_secret(org, record.id, credential.secret));
  record.created_at = record.updated_at = impl_->clock.now_ms();
  WEFT_TRY(impl_->store.insert(record));
  log().info("vault: created credential {} ({}, {}) in org {}", record.id.str(), record.provider,
             record.type, org.str());
  return to_info(record);
}

Result<CredentialInfo> Vault::rotate(const OrgId& org, const CredentialId& id, const json& secret,
                                     const std::string& name) {
  WEFT_TRY_ASSIGN(store::CredentialRecord record, impl_->store.get(org, id));
  WEFT_TRY_ASSIGN(CredentialInfo current, to_info(record));
  Problems problems;
  if (!name.empty()) problems.check_name(name);
  problems.check_secret(current.type, secret);
  if (!problems.empty()) return problems.error();

  WEFT_TRY_ASSIGN(record.sealed, impl_->seal_secret(org, id, secret));
  if (!name.empty()) record.name = name;
  record.updated_at = impl_->clock.now_ms();
  WEFT_TRY(impl_->store.update(record));
  log().info("vault: rotated credential {} in org {}", id.str(), org.str());
  return to_info(record);
}

Result<CredentialInfo> Vault::info(const OrgId& org, const CredentialId& id) {
  WEFT_TRY_ASSIGN(store::CredentialRecord record, impl_->store.get(org, id));
  return to_info(record);
}

Result<std::vector<CredentialInfo>> Vault::list(const OrgId& org) {
  WEFT_TRY_ASSIGN(std::vector<store::CredentialRecord> records, impl_->store.list(org));
  std::vector<CredentialInfo> out;
  out.reserve(records.size());
  for (const auto& record : records) {
    WEFT_TRY_ASSIGN(CredentialInfo info, to_info(record));
    out.push_back(std::move(info));
  }
  return out;
}

Status Vault::remove(const OrgId& org, const CredentialId& id) {
  WEFT_TRY(impl_->store.remove(org, id));
  log().info("vault: removed credential {} from org {}", id.str(), org.str());
  return {};
}

void Vault::set_new_org_key_guard(std::function<Status()> guard) { impl_->new_org_key_guard = std::move(guard); }

Result<OpenCredential> Vault::open(const OrgId& org, const CredentialId& id) {
  WEFT_TRY_ASSIGN(store::CredentialRecord record, impl_->store.get(org, id));
  WEFT_TRY_ASSIGN(CredentialInfo info, to_info(record));
  // The AAD is rebuilt from the org and id asked for, never from the row: a row moved to
  // another org or credential fails authentication.
  WEFT_TRY_ASSIGN(json secret, impl_->open_secret(org, id, record.sealed));
  return OpenCredential{std::move(info), Secret<json>(std::move(secret))};
}

}  // namespace weft::vault
