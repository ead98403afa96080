// vault/vault.h — owns credentials at rest: sealing secrets with libsodium XChaCha20-Poly1305
// under a per-org data key (wrapped by the master key), AAD = org + credential id. It stores
// through store::CredentialStore and never logs or returns a secret except from open().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"
#include "vault/auth.h"
#include "vault/master_key.h"

namespace weft::vault {

// Metadata of a credential: what list/create return. Never holds the secret.
struct CredentialInfo {
  CredentialId id;
  OrgId org;
  std::string provider;
  AuthType type = AuthType::none;
  std::string name;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// A decrypted credential, handed only to the step that needs it.
struct OpenCredential {
  CredentialInfo info;
  Secret<json> secret;
};

struct NewCredential {
  std::string name;
  std::string provider;
  AuthType type = AuthType::none;
  json secret = json::object();
  CredentialId id;  // optional: generated ("cred_…") when empty
};

class Vault {
 public:
  // `store` must outlive the Vault. Thread-safe.
  Vault(store::CredentialStore& store, MasterKey master_key,
        const Clock& clock = SystemClock::instance());
  ~Vault();

  // Validates the secret against its type's schema, seals and stores it.
  // Errors: invalid_credential, conflict.
  Result<CredentialInfo> create(const OrgId& org, const NewCredential& credential);
  // Replaces the secret (and name, when non-empty) of an existing credential; same type.
  Result<CredentialInfo> rotate(const OrgId& org, const CredentialId& id, const json& secret,
                                const std::string& name = "");
  Result<CredentialInfo> info(const OrgId& org, const CredentialId& id);
  Result<std::vector<CredentialInfo>> list(const OrgId& org);
  Status remove(const OrgId& org, const CredentialId& id);
  // Decrypts. Fails with "credential_corrupt" (internal) if the ciphertext was tampered with,
  // moved to another org/credential, or sealed under another master key.
  Result<OpenCredential> open(const OrgId& org, const CredentialId& id);
  // Asked before an org's data key is first created and wrapped by this vault's master key: an
  // error refuses it (a process still on a master key that was rotated away must not wrap new
  // org keys with it). Set once, before use; none by default.
  void set_new_org_key_guard(std::function<Status()> guard);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::vault
