// engine/credential_source.h — owns how the engine finds a step's credential: metadata for
// validation, and the decrypted secret for the one step that runs with it. The vault is the
// normal source; the CLI may overlay credentials read from a file for one run.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "catalog/action.h"
#include "core/ids.h"
#include "core/result.h"
#include "vault/auth.h"
#include "vault/vault.h"

namespace weft::engine {

struct CredentialMeta {
  CredentialId id;
  std::string provider;
  vault::AuthType type = vault::AuthType::none;
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Metadata only ("not_found" if the org has no such credential). Thread-safe.
  virtual Result<CredentialMeta> describe(const OrgId& org, const CredentialId& id) = 0;
  // The decrypted credential. Call only right before the step that needs it. Thread-safe.
  virtual Result<catalog::StepAuth> open(const OrgId& org, const CredentialId& id) = 0;
};

// Reads credentials from the vault (the store, sealed). `vault` must outlive this.
class VaultCredentialSource final : public CredentialSource {
 public:
  explicit VaultCredentialSource(vault::Vault& vault) : vault_(vault) {}
  Result<CredentialMeta> describe(const OrgId& org, const CredentialId& id) override;
  Result<catalog::StepAuth> open(const OrgId& org, const CredentialId& id) override;

 private:
  vault::Vault& vault_;
};

// Credentials held in memory (from a `--credentials FILE`), looked up before `fallback`.
// They are never written anywhere. Any org sees them (the CLI runs as one org).
class MemoryCredentialSource final : public CredentialSource {
 public:
  explicit MemoryCredentialSource(CredentialSource* fallback) : fallback_(fallback) {}

  // Loads {"credentials":[{"id","provider","type","secret"}]} (or a bare array); each secret is
  // validated against its type. Errors name the entry, never a secret value.
  Status load_file(const std::string& path);
  Status add(const CredentialMeta& meta, const json& secret);

  Result<CredentialMeta> describe(const OrgId& org, const CredentialId& id) override;
  Result<catalog::StepAuth> open(const OrgId& org, const CredentialId& id) override;

 private:
  struct Entry {
    CredentialMeta meta;
    Secret<json> secret;
  };
  std::map<std::string, Entry> entries_;
  CredentialSource* fallback_;
};

// The credential `credential` opened for one call of `action` (a step, or a trigger's poll):
// empty when the action takes none. Error "credential_unavailable" (public) when it is not given,
// does not exist or cannot be opened (the cause is logged), or does not fit the action's auth
// types and provider.
Result<std::optional<catalog::StepAuth>> open_for_action(CredentialSource& credentials, const OrgId& org,
                                                         const catalog::Action& action,
                                                         const std::optional<CredentialId>& credential);

}  // namespace weft::engine
