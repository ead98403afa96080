#include "vault/key_rotation.h"

#include <sodium.h>

#include <fmt/format.h>

#include "core/log.h"
#include "vault/key_check.h"
#include "vault/sealing.h"

namespace weft::vault {

namespace {

enum class Rewrap { done, already, unreadable, raced };

// Re-wraps one org key from `from` to `to` unless `to` opens it already.
Result<Rewrap> rewrap(store::CredentialStore& creds, const OrgId& org, const std::vector<std::uint8_t>& wrapped,
                      const MasterKey& from, const MasterKey& to) {
  auto plain = unseal(from.bytes(), org_key_aad(org), wrapped);
  if (!plain) {
    auto by_new = unseal(to.bytes(), org_key_aad(org), wrapped);
    if (!by_new) return Rewrap::unreadable;
    sodium_memzero(by_new->data(), by_new->size());
    return Rewrap::already;
  }
  const auto sealed = seal(to.bytes(), org_key_aad(org), plain->data(), plain->size());
  sodium_memzero(plain->data(), plain->size());
  Status replaced = creds.replace_org_key(org, wrapped, sealed);
  if (!replaced.ok() && replaced.error().code == "conflict") return Rewrap::raced;
  WEFT_TRY(replaced);
  return Rewrap::done;
}

}  // namespace

Result<RotationReport> rotate_master_key(store::Store& store, const MasterKey& current, const MasterKey& next,
                                         const std::function<void(int)>& after_each) {
  RotationReport report;
  report.from_id = master_key_id(current);
  report.to_id = master_key_id(next);
  const std::string from_check = master_key_check(current);
  const std::string to_check = master_key_check(next);
  if (from_check == to_check) return Error::make("invalid_input", "the new master key is the current one");

  WEFT_TRY_ASSIGN(auto record, read_master_key_record(store.settings()));
  if (!record) {
    WEFT_TRY(verify_master_key(store, current, "the current master key"));
    WEFT_TRY_ASSIGN(record, read_master_key_record(store.settings()));
  }
  // Recorded as done already (a run stopped in its last sweep): sweep again, nothing else.
  const bool recorded_done = record->check == to_check && !record->rotating_to_check;
  if (!recorded_done && record->check != from_check) {
    return Error::make("wrong_master_key",
                       fmt::format("the current master key (key id {}) is not this database's (key id {}): start "
                                   "the rotation with the key the database uses now",
                                   report.from_id, record->id));
  }
  if (record->rotating_to_check && *record->rotating_to_check != to_check) {
    return Error::make("conflict", fmt::format("an interrupted rotation to key id {} is unfinished; finish it with "
                                               "that key first (this new key is key id {})",
                                               *record->rotating_to_id, report.to_id));
  }
  // Recorded before the first re-wrap: from now on a start with either key is refused until done.
  if (!recorded_done) {
    WEFT_TRY(write_master_key_record(store.settings(), {from_check, report.from_id, to_check, report.to_id}));
  }

  auto& creds = store.credentials();
  // Two passes: the second catches org keys a process still on the old key created meanwhile.
  for (int pass = recorded_done ? 1 : 0; pass < 2; ++pass) {
    WEFT_TRY_ASSIGN(auto keys, creds.list_org_keys());
    if (pass == 0 || recorded_done) report.orgs = static_cast<int>(keys.size());
    for (auto& [org, wrapped] : keys) {
      for (int attempt = 0;; ++attempt) {
        WEFT_TRY_ASSIGN(Rewrap outcome, rewrap(creds, org, wrapped, current, next));
        if (outcome == Rewrap::raced && attempt < 3) {
          WEFT_TRY_ASSIGN(auto now, creds.org_key(org));
          if (!now) break;  // the org is gone
          wrapped = std::move(*now);
          continue;
        }
        if (outcome == Rewrap::done) {
          ++report.rewrapped;
          if (after_each) after_each(report.rewrapped);
        } else if (outcome == Rewrap::already && pass == 0) {
          ++report.already;
        } else if (outcome == Rewrap::unreadable && pass == 0) {
          log().error("master-key rotation: the data key of org {} opens with neither key; left as it is", org.str());
          report.unreadable.push_back(org);
        } else if (outcome == Rewrap::raced) {
          return Error::make("conflict", "org " + org.str() + "'s data key keeps changing; run the rotation again");
        }
        break;
      }
    }
    if (pass == 0) WEFT_TRY(write_master_key_record(store.settings(), {to_check, report.to_id, std::nullopt, std::nullopt}));
  }
  log().info("master-key rotation from key id {} to key id {}: {} org keys, {} re-wrapped, {} already, {} unreadable",
             report.from_id, report.to_id, report.orgs, report.rewrapped, report.already, report.unreadable.size());
  return report;
}

}  // namespace weft::vault
