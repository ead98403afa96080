// api/audit_log.h — owns writing and showing the audit log of bundle and policy events (issue
// 11): who (the caller), when, what, from which address. A failed audit write is logged, never
// turned into a failed request (the change it records already happened).
#pragma once

#include <string>

#include "api/context.h"
#include "core/json.h"
#include "store/model.h"

namespace weft::api {

// Audit actions.
inline constexpr char kAuditBundleUploaded[] = "bundle.uploaded";
inline constexpr char kAuditBundleApproved[] = "bundle.approved";
inline constexpr char kAuditBundleRejected[] = "bundle.rejected";
inline constexpr char kAuditBundleEnabled[] = "bundle.enabled";
inline constexpr char kAuditBundleDisabled[] = "bundle.disabled";
inline constexpr char kAuditBundleDeleted[] = "bundle.deleted";
inline constexpr char kAuditBundleBlockToggled[] = "bundle.block_toggled";
inline constexpr char kAuditBundleBlockedByPolicy[] = "bundle.blocked_by_policy";  // re-evaluation disabled it
inline constexpr char kAuditPolicyChanged[] = "policy.changed";
inline constexpr char kAuditAdvisoriesImported[] = "advisories.imported";

// Appends one event by the caller of `call`. `org` empty: a platform-wide event.
void audit(Call& call, const OrgId& org, const std::string& action, const std::string& target_type,
           const std::string& target_id, json details = json::object());
// Events written by the system rather than a caller (re-evaluation), still naming who caused it.
void audit_system(store::Store& store, const OrgId& org, const std::string& action, const std::string& target_type,
                  const std::string& target_id, json details);

// {id, orgId, at, actor:{id,email}|null, address, action, target:{type,id}, details}
json audit_event_json(const store::AuditEvent& event);

}  // namespace weft::api
