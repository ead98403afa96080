// store/postgres/pg_shared_writes.h — owns the writes more than one aggregate or file performs:
// inserting an org (OrgStore::create, AccountStore::create_first_admin), a user and a membership
// (pg_accounts.cpp, pg_invitations.cpp) and a queued run with its job
// (RunStore::create_queued, TriggerStore::fire_schedule). One SQL text each, never duplicated.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/model.h"
#include "store/postgres/pg_types.h"

namespace weft::store::postgres {

// Inserts `org` on `db`. "conflict" naming the org when the name is taken.
Status insert_org(Connection& db, const Org& org);

// Inserts `user` on `db`. "conflict" naming the email when it is taken.
Status insert_user(Connection& db, const User& user);
// Adds the membership or changes its role, keeping its created_at, on `db`.
// "not_found" when the org or the user does not exist.
Status upsert_membership(Connection& db, const OrgId& org, const UserId& user, Role role, TimeMs now);

// Inserts `run` (status queued) and its job on `db` inside the caller's open transaction; the caller
// commits. `run.id`, org and workflow must be set ("invalid_argument" otherwise). Errors:
// "not_found" (organization), "conflict" (run id taken). The job id is taken from `clock`.
Status insert_queued_run(Connection& db, const RunRecord& run, const Clock& clock, LeaseClock leases);

}  // namespace weft::store::postgres
