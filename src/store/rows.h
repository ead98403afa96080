// store/rows.h — owns reading a row into a record, for every backend: each reader takes a row
// (a backend's Query: text, int64, optional_int64, is_null, blob, json_value by column) whose
// columns are in the order its comment or record names. The backends' SELECTs keep these orders;
// no SQL here.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/model.h"
#include "store/store.h"

namespace weft::store {

template <typename T>
struct result_value;
template <typename T>
struct result_value<Result<T>> {
  using type = T;
};

// Steps through every remaining row of `q`, reading each with `read` (returning Result<T>); the
// first failure ends it.
template <typename Row, typename Read>
Result<std::vector<typename result_value<std::invoke_result_t<Read&, const Row&>>::type>> read_rows(Row& q,
                                                                                                  Read read) {
  std::vector<typename result_value<std::invoke_result_t<Read&, const Row&>>::type> out;
  while (true) {
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) break;
    WEFT_TRY_ASSIGN(auto record, read(q));
    out.push_back(std::move(record));
  }
  return out;
}

template <typename Row>
Org read_org(const Row& q) { return Org{OrgId(q.text(0)), q.text(1), q.int64(2)}; }

template <typename Row>
User read_user(const Row& q, int first) {
  User user;
  user.id = UserId(q.text(first));
  user.email = q.text(first + 1);
  user.password_hash = q.text(first + 2);
  user.platform_admin = q.int64(first + 3) != 0;
  user.created_at = q.int64(first + 4);
  return user;
}

template <typename Row>
Result<Role> read_role(const Row& q, int column) {
  const std::string text = q.text(column);
  auto role = parse_role(text);
  if (!role) return Error::internal("membership has unknown role " + text);
  return *role;
}

template <typename Row>
// Membership columns: org_id, user_id, role, created_at starting at `first`.
Result<Membership> read_membership(const Row& q, int first) {
  Membership membership;
  membership.org = OrgId(q.text(first));
  membership.user = UserId(q.text(first + 1));
  WEFT_TRY_ASSIGN(membership.role, read_role(q, first + 2));
  membership.created_at = q.int64(first + 3);
  return membership;
}

template <typename Row>
Session read_session(const Row& q) {
  Session session;
  session.token_hash = q.text(0);
  session.user = UserId(q.text(1));
  session.active_org = OrgId(q.text(2));  // NULL reads as empty: no active org
  session.created_at = q.int64(3);
  session.expires_at = q.int64(4);
  return session;
}

template <typename Row>
ApiToken read_token(const Row& q) {
  ApiToken token;
  token.id = q.text(0);
  token.token_hash = q.text(1);
  token.user = UserId(q.text(2));
  token.org = OrgId(q.text(3));
  token.name = q.text(4);
  token.created_at = q.int64(5);
  token.expires_at = q.optional_int64(6);
  return token;
}

template <typename Row>
Result<AdvisoryRecord> read_advisory(const Row& q) {
  AdvisoryRecord r;
  r.id = q.text(0);
  r.modified = q.text(1);
  r.modified_ms = q.int64(2);
  WEFT_TRY_ASSIGN(json packages, q.json_value(3));
  if (packages.is_array()) {
    for (const auto& p : packages) {
      if (p.is_string()) r.packages.push_back(p.get<std::string>());
    }
  }
  WEFT_TRY_ASSIGN(r.document, q.json_value(4));
  r.imported_at = q.int64(5);
  return r;
}

inline std::vector<std::string> strings_of(const json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

template <typename Row>
Result<BundleRecord> read_bundle(const Row& q) {
  BundleRecord r;
  r.id = BundleId(q.text(0));
  auto scope = parse_bundle_scope(q.text(1));
  if (!scope) return Error::internal("bundle " + r.id.str() + " has an unknown scope");
  r.scope = *scope;
  if (!q.is_null(2)) r.org = OrgId(q.text(2));
  r.vendor_id = q.text(3);
  r.version = q.text(4);
  WEFT_TRY_ASSIGN(r.manifest, q.json_value(5));
  r.storage_key = q.text(6);
  r.sha256 = q.text(7);
  r.size = q.int64(8);
  if (!q.is_null(9)) r.uploaded_by = UserId(q.text(9));
  r.uploaded_at = q.int64(10);
  auto status = parse_bundle_status(q.text(11));
  if (!status) return Error::internal("bundle " + r.id.str() + " has an unknown status");
  r.status = *status;
  r.error = q.text(12);
  WEFT_TRY_ASSIGN(json blocks, q.json_value(13));
  r.disabled_blocks = strings_of(blocks);
  r.icon = q.text(14);
  WEFT_TRY_ASSIGN(r.sbom, q.json_value(15));
  WEFT_TRY_ASSIGN(json blocked_by, q.json_value(16));
  r.blocked_by = strings_of(blocked_by);
  r.activate_on_approve = q.int64(17) != 0;
  return r;
}

template <typename Row>
CredentialRecord read_credential(const Row& q) {
  CredentialRecord record;
  record.id = CredentialId(q.text(0));
  record.org = OrgId(q.text(1));
  record.provider = q.text(2);
  record.type = q.text(3);
  record.name = q.text(4);
  record.sealed = q.blob(5);
  record.created_at = q.int64(6);
  record.updated_at = q.int64(7);
  return record;
}

template <typename Row>
Result<Invitation> read_invitation(const Row& q) {
  Invitation invitation;
  invitation.id = q.text(0);
  invitation.org = OrgId(q.text(1));
  invitation.email = q.text(2);
  const std::string role = q.text(3);
  auto parsed = parse_role(role);
  if (!parsed) return Error::internal("invitation has unknown role " + role);
  invitation.role = *parsed;
  invitation.token_hash = q.text(4);
  invitation.invited_by = UserId(q.text(5));  // NULL reads as empty
  invitation.created_at = q.int64(6);
  invitation.expires_at = q.int64(7);
  invitation.accepted_at = q.optional_int64(8);
  invitation.accepted_by = UserId(q.text(9));
  return invitation;
}

template <typename Row>
Result<PollTrigger> read_trigger(const Row& q) {
  PollTrigger t;
  t.workflow = WorkflowId(q.text(0));
  t.org = OrgId(q.text(1));
  t.block = q.text(2);
  t.fingerprint = q.text(3);
  t.cron = q.text(4);
  t.timezone = q.text(5);
  t.next_poll_at = q.int64(6);
  WEFT_TRY_ASSIGN(t.state, q.json_value(7));
  t.primed = q.int64(8) != 0;
  t.failures = static_cast<int>(q.int64(9));
  t.last_error = q.text(10);
  t.last_poll_at = q.optional_int64(11);
  t.generation = q.int64(12);
  return t;
}

template <typename Row>
Result<RunRecord> read_run(const Row& q) {
  RunRecord run;
  run.id = RunId(q.text(0));
  run.org = OrgId(q.text(1));
  run.workflow = WorkflowId(q.text(2));
  run.workflow_version = static_cast<int>(q.int64(3));
  const std::string status = q.text(4);
  auto parsed = parse_run_status(status);
  if (!parsed) return Error::internal("run " + run.id.str() + " has unknown status " + status);
  run.status = *parsed;
  WEFT_TRY_ASSIGN(run.input, q.json_value(5));
  WEFT_TRY_ASSIGN(run.output, q.json_value(6));
  WEFT_TRY_ASSIGN(run.error, q.json_value(7));
  run.cancel_requested = q.int64(8) != 0;
  run.created_at = q.int64(9);
  run.started_at = q.optional_int64(10);
  run.finished_at = q.optional_int64(11);
  return run;
}

template <typename Row>
Result<StepRunRecord> read_step(const Row& q) {
  StepRunRecord step;
  step.run = RunId(q.text(0));
  step.org = OrgId(q.text(1));
  step.step_id = q.text(2);
  const std::string status = q.text(3);
  auto parsed = parse_step_status(status);
  if (!parsed) return Error::internal("step " + step.step_id + " has unknown status " + status);
  step.status = *parsed;
  step.attempts = static_cast<int>(q.int64(4));
  WEFT_TRY_ASSIGN(step.input, q.json_value(5));
  WEFT_TRY_ASSIGN(step.output, q.json_value(6));
  WEFT_TRY_ASSIGN(step.logs, q.json_value(7));
  WEFT_TRY_ASSIGN(step.error, q.json_value(8));
  step.started_at = q.int64(9);
  step.finished_at = q.int64(10);
  if (!q.is_null(11)) step.bundle_vendor = q.text(11);
  if (!q.is_null(12)) step.bundle_version = q.text(12);
  return step;
}

template <typename Row>
Schedule read_schedule(const Row& q) {
  Schedule schedule;
  schedule.workflow = WorkflowId(q.text(0));
  schedule.org = OrgId(q.text(1));
  schedule.cron = q.text(2);
  schedule.timezone = q.text(3);
  schedule.next_fire_at = q.int64(4);
  return schedule;
}

template <typename Row>
Result<WorkflowRecord> read_workflow(const Row& q) {
  WorkflowRecord record;
  record.id = WorkflowId(q.text(0));
  record.org = OrgId(q.text(1));
  record.name = q.text(2);
  record.version = static_cast<int>(q.int64(3));
  WEFT_TRY_ASSIGN(record.definition, q.json_value(4));
  record.created_at = q.int64(5);
  record.updated_at = q.int64(6);
  return record;
}

// Columns: id, org_id, at, actor_id, actor_email, address, action, target_type, target_id, details.
template <typename Row>
Result<AuditEvent> read_audit_event(const Row& q) {
  AuditEvent e;
  e.id = q.int64(0);
  if (!q.is_null(1)) e.org = OrgId(q.text(1));
  e.at = q.int64(2);
  e.actor = UserId(q.text(3));
  e.actor_email = q.text(4);
  e.address = q.text(5);
  e.action = q.text(6);
  e.target_type = q.text(7);
  e.target_id = q.text(8);
  WEFT_TRY_ASSIGN(e.details, q.json_value(9));
  return e;
}

}  // namespace weft::store
