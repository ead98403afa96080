#include "store/checks.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace weft::store {

std::string lower_email(const std::string& email) {
  std::string out = email;
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<User> new_user(const std::string& email, const std::string& password_hash, bool platform_admin,
                      const Clock& clock) {
  if (email.empty()) return Error::make("invalid_argument", "a user needs an email");
  if (password_hash.empty()) return Error::make("invalid_argument", "a user needs a password");
  return User{new_id<UserId>(clock), lower_email(email), password_hash, platform_admin, clock.now_ms()};
}

Result<Invitation> new_invitation(const Invitation& invitation, TimeMs now) {
  if (invitation.id.empty() || invitation.org.empty() || invitation.email.empty() || invitation.token_hash.empty() ||
      invitation.expires_at == 0) {
    return Error::make("invalid_argument", "an invitation needs an id, an org, an email, a token hash and an expiry");
  }
  Invitation row = invitation;
  row.email = lower_email(row.email);
  if (row.created_at == 0) row.created_at = now;
  return row;
}

Status check_new_run(const RunRecord& run) {
  if (run.id.empty() || run.org.empty() || run.workflow.empty()) {
    return Error::make("invalid_argument", "a run needs an id, an org and a workflow");
  }
  return {};
}

Status check_ending(RunStatus status, const char* verb) {
  if (is_terminal(status)) return {};
  return Error::make("invalid_argument", std::string("a run can only ") + verb +
                                             " as succeeded, failed or cancelled, not " + std::string(to_string(status)));
}

Status check_bundle_record(const BundleRecord& record) {
  if (record.id.empty() || record.vendor_id.empty() || record.version.empty()) {
    return Error::make("invalid_argument", "a bundle record needs an id, a vendor id and a version");
  }
  if ((record.scope == BundleScope::platform) != record.org.empty()) {
    return Error::make("invalid_argument", "a platform bundle has no org; an organization bundle has one");
  }
  return {};
}

Status check_advisory_batch(const std::vector<AdvisoryRecord>& records) {
  std::set<std::string> ids;
  for (const AdvisoryRecord& r : records) {
    if (r.id.empty() || r.packages.empty()) {
      return Error::make("invalid_argument", "an advisory record needs an id and at least one package");
    }
    if (!ids.insert(r.id).second) return Error::make("invalid_argument", "advisory " + r.id + " appears twice in one batch");
  }
  return {};
}

Status check_poll_trigger(const PollTrigger& want) {
  if (want.workflow.empty() || want.org.empty() || want.block.empty() || want.fingerprint.empty() || want.cron.empty()) {
    return Error::make("invalid_argument", "a poll trigger needs a workflow, an org, a block, a fingerprint and a cron");
  }
  return {};
}

Status check_poll_candidates(const PollTrigger& due, const std::vector<PollCandidate>& candidates) {
  if (candidates.size() > kMaxPollCandidates) {
    return Error::make("invalid_argument", "a poll applies at most " + std::to_string(kMaxPollCandidates) + " items");
  }
  for (const auto& c : candidates) {
    if (c.item_id.empty() || c.item_id.size() > kMaxPollItemIdBytes) {
      return Error::make("invalid_argument", "a poll item id has 1 to " + std::to_string(kMaxPollItemIdBytes) + " bytes");
    }
    if (c.run.org != due.org || c.run.workflow != due.workflow) {
      return Error::make("invalid_argument", "a polled run must belong to its trigger's workflow and org");
    }
  }
  return {};
}

}  // namespace weft::store
