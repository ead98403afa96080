#include "api/audit_log.h"

#include "core/clock.h"
#include "core/log.h"

namespace weft::api {

namespace {

void append(store::Store& store, const store::AuditEvent& event) {
  if (auto appended = store.audit().append(event); !appended.ok()) {
    log().error("audit log: could not record {} of {} {}: {}", event.action, event.target_type, event.target_id,
                appended.error().message);
  }
}

}  // namespace

void audit(Call& call, const OrgId& org, const std::string& action, const std::string& target_type,
           const std::string& target_id, json details) {
  store::AuditEvent e;
  e.org = org;
  e.at = call.services.clock.now_ms();
  if (call.caller) {
    e.actor = call.caller->user.id;
    e.actor_email = call.caller->user.email;
  }
  e.address = call.req.remote_addr;
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  e.details = std::move(details);
  append(call.services.store, e);
}

void audit_system(store::Store& store, const OrgId& org, const std::string& action, const std::string& target_type,
                  const std::string& target_id, json details) {
  store::AuditEvent e;
  e.org = org;
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  e.details = std::move(details);
  append(store, e);
}

json audit_event_json(const store::AuditEvent& e) {
  return {{"id", e.id},
          {"orgId", e.org.empty() ? json(nullptr) : json(e.org.str())},
          {"at", format_iso8601(e.at)},
          {"actor", e.actor.empty() ? json(nullptr) : json{{"id", e.actor.str()}, {"email", e.actor_email}}},
          {"address", e.address},
          {"action", e.action},
          {"target", {{"type", e.target_type}, {"id", e.target_id}}},
          {"details", e.details}};
}

}  // namespace weft::api
