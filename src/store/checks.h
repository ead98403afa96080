// store/checks.h — owns what every backend checks of a record before it writes it (the same
// invalid_argument for the same mistake, whatever the database) and the new-user and new-
// invitation records they build. No SQL, nothing written.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/model.h"
#include "store/store.h"

namespace weft::store {

// ASCII lower-casing, as emails are stored (the tables CHECK email = lower(email)).
std::string lower_email(const std::string& email);

// A new user record (id from `clock`, email lower-cased); "invalid_argument" without an email
// or a password hash.
Result<User> new_user(const std::string& email, const std::string& password_hash, bool platform_admin,
                      const Clock& clock);

// `invitation` as stored: email lower-cased, created_at = now when unset; "invalid_argument"
// without an id, an org, an email, a token hash or an expiry.
Result<Invitation> new_invitation(const Invitation& invitation, TimeMs now);

// A run to insert names an id, an org and a workflow.
Status check_new_run(const RunRecord& run);
// A run ends as succeeded, failed or cancelled; `verb` says how ("finish", "end").
Status check_ending(RunStatus status, const char* verb);
// An id, a vendor id and a version; an org exactly when the scope is organization.
Status check_bundle_record(const BundleRecord& record);
// Each record has an id and a package, and no id comes twice.
Status check_advisory_batch(const std::vector<AdvisoryRecord>& records);
// A workflow, an org, a block, a fingerprint and a cron.
Status check_poll_trigger(const PollTrigger& trigger);
// At most kMaxPollCandidates, ids of 1 to kMaxPollItemIdBytes bytes, runs of the trigger's
// workflow and org.
inline constexpr std::size_t kMaxPollItemIdBytes = 1024;
Status check_poll_candidates(const PollTrigger& due, const std::vector<PollCandidate>& candidates);

}  // namespace weft::store
