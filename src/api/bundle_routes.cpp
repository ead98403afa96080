// Custom integration bundles (issue 9, DESIGN.md §3 "Bundle"): upload (multipart field
// `bundle`, the seed's route), list and read what the org may see, enable / disable / delete /
// switch blocks, and the manifest's JSON Schema. The rules live in bundles/service.h; this file
// maps HTTP onto them.
#include "api/audit_log.h"
#include "api/http_json.h"
#include "api/routes.h"
#include "bundles/manifest_schema.h"
#include "bundles/service.h"
#include "bundles/version_diff.h"
#include "http/multipart.h"

namespace weft::api {

namespace {

constexpr std::size_t kUploadBodyLimit = bundles::kMaxUploadBytes + 64 * 1024;  // + multipart framing

bundles::Actor actor_of(const Call& call) {
  return {call.org(), call.caller->user.id, call.caller->is_platform_admin()};
}

bool have_service(Call& call) {
  if (call.services.bundles != nullptr) return true;
  send_error(call.res, 503, "bundles_unavailable", "this process does not manage bundles");
  return false;
}

// What the audit log keeps of a bundle event.
json audit_details(const store::BundleRecord& r) {
  json d = {{"vendorId", r.vendor_id}, {"version", r.version}, {"scope", store::to_string(r.scope)},
            {"status", store::to_string(r.status)}};
  if (!r.blocked_by.empty()) d["blockedBy"] = r.blocked_by;
  return d;
}

// ?confirm=breaking (or nothing); false after answering 400 for anything else.
bool read_confirm(Call& call, bool& confirm) {
  const std::string value = call.req.get_param_value("confirm");
  if (!value.empty() && value != "breaking") {
    send_error(call.res, 400, "invalid_input", "confirm must be 'breaking'");
    return false;
  }
  confirm = value == "breaking";
  return true;
}

// Sends 409 breaking_change and answers true when activating `record` would break saved workflows.
bool refused_as_breaking(Call& call, const store::BundleRecord& record) {
  auto check = bundles::breaking_for_workflows(*call.services.bundles, call.services.store, call.services.catalog, record);
  if (!ok_or_send(call, check)) return true;
  if (!check->breaking) return false;
  send_error(call.res, 409, bundles::kBreakingChange,
             record.vendor_id + " " + record.version + " breaks " + std::to_string(check->workflows.size()) +
                 " saved workflow step(s); review it, then repeat with ?confirm=breaking",
             check->details());
  return true;
}

json record_json(Call& call, const store::BundleRecord& record) {
  auto manifest = call.services.bundles->manifest_of(record);
  return bundles::bundle_to_json(record, manifest.ok() ? manifest->get() : nullptr);
}

void upload(Call& call) {
  if (!have_service(call)) return;
  bundles::UploadOptions options;
  const std::string scope = call.req.get_param_value("scope");
  if (scope == "platform") {
    options.scope = store::BundleScope::platform;
  } else if (!scope.empty() && scope != "organization") {
    send_error(call.res, 400, "invalid_input", "scope must be 'platform' or 'organization'");
    return;
  }
  const std::string activate = call.req.get_param_value("activate");
  if (activate == "false") {
    options.activate = false;
  } else if (!activate.empty() && activate != "true") {
    send_error(call.res, 400, "invalid_input", "activate must be true or false");
    return;
  }
  if (options.scope == store::BundleScope::platform ? !call.caller->is_platform_admin()
                                                     : !call.caller->is_org_admin()) {
    send_error(call.res, 403, "forbidden",
               options.scope == store::BundleScope::platform ? "only a platform admin may upload a platform bundle"
                                                             : "only an admin of the organization may upload a bundle");
    return;
  }
  if (!read_confirm(call, options.confirm_breaking)) return;
  auto boundary = http::multipart_boundary(call.req.get_header_value("Content-Type"));
  if (!ok_or_send(call, boundary)) return;
  auto parts = http::parse_multipart(call.req.body, *boundary);
  if (!ok_or_send(call, parts)) return;
  const http::MultipartPart* bundle = nullptr;
  for (const auto& part : *parts) {
    if (part.name == "bundle") {
      if (bundle != nullptr) {
        send_error(call.res, 400, "invalid_input", "send one file in the multipart field 'bundle', not several");
        return;
      }
      bundle = &part;
    }
  }
  if (bundle == nullptr) {
    send_error(call.res, 400, "bundle_missing", "send the .bundle.tar.gz in the multipart field 'bundle'");
    return;
  }
  if (bundle->body.size() > bundles::kMaxUploadBytes) {  // the framing fit in the route's slack
    send_error(call.res, 413, "payload_too_large", "a bundle archive may be at most 50 MB");
    return;
  }
  auto uploaded = call.services.bundles->upload(bundle->body, actor_of(call), options);
  if (!ok_or_send(call, uploaded)) return;
  const auto& r = uploaded->record;
  json out = {{"id", r.id.str()},
              {"vendorId", r.vendor_id},
              {"version", r.version},
              {"toolCount", uploaded->tool_count},
              {"productCount", uploaded->product_count},
              {"scope", store::to_string(r.scope)},
              {"status", store::to_string(r.status)}};
  if (!uploaded->warnings.empty()) out["warnings"] = uploaded->warnings;
  if (!r.blocked_by.empty()) out["blockedBy"] = r.blocked_by;
  if (!uploaded->breaking.is_null()) out["breaking"] = uploaded->breaking;
  audit(call, r.org, kAuditBundleUploaded, "bundle", r.id.str(), audit_details(r));
  send_json(call.res, 201, out);
}

void list(Call& call) {
  if (!have_service(call)) return;
  auto records = call.services.bundles->list(actor_of(call));
  if (!ok_or_send(call, records)) return;
  json out = json::array();
  for (const auto& r : *records) out.push_back(record_json(call, r));
  send_json(call.res, 200, {{"bundles", std::move(out)}});
}

void get(Call& call) {
  if (!have_service(call)) return;
  auto record = call.services.bundles->get(actor_of(call), BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  send_json(call.res, 200, record_json(call, *record));
}

void enable(Call& call) {
  if (!have_service(call)) return;
  bool confirm = false;
  if (!read_confirm(call, confirm)) return;
  if (!confirm) {
    // Not visible / not found: the lifecycle call below answers that error.
    auto record = call.services.bundles->get(actor_of(call), BundleId(call.param(1)));
    if (record.ok() && refused_as_breaking(call, *record)) return;
  }
  auto record = call.services.bundles->enable(actor_of(call), BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  audit(call, record->org, kAuditBundleEnabled, "bundle", record->id.str(), audit_details(*record));
  send_json(call.res, 200, record_json(call, *record));
}

void disable(Call& call) {
  if (!have_service(call)) return;
  auto record = call.services.bundles->disable(actor_of(call), BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  audit(call, record->org, kAuditBundleDisabled, "bundle", record->id.str(), audit_details(*record));
  send_json(call.res, 200, record_json(call, *record));
}

void remove(Call& call) {
  if (!have_service(call)) return;
  const std::string force = call.req.get_param_value("force");
  if (!force.empty() && force != "true" && force != "false") {
    send_error(call.res, 400, "invalid_input", "force must be true or false");
    return;
  }
  auto before = call.services.bundles->get(actor_of(call), BundleId(call.param(1)));
  auto removed = call.services.bundles->remove(actor_of(call), BundleId(call.param(1)), force == "true");
  if (!ok_or_send(call, removed)) return;
  if (before.ok()) {
    json details = audit_details(*before);
    details["force"] = force == "true";
    audit(call, before->org, kAuditBundleDeleted, "bundle", before->id.str(), std::move(details));
  }
  call.res.status = 204;
}

void set_block(Call& call) {
  if (!have_service(call)) return;
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  auto enabled = body->find("enabled");
  if (enabled == body->end() || !enabled->is_boolean() || body->size() != 1) {
    send_error(call.res, 400, "invalid_input", "send {\"enabled\": true} or {\"enabled\": false}");
    return;
  }
  auto record = call.services.bundles->set_block(actor_of(call), BundleId(call.param(1)), call.param(2),
                                                 enabled->get<bool>());
  if (!ok_or_send(call, record)) return;
  json details = audit_details(*record);
  details["block"] = call.param(2);
  details["enabled"] = enabled->get<bool>();
  audit(call, record->org, kAuditBundleBlockToggled, "bundle", record->id.str(), std::move(details));
  send_json(call.res, 200, record_json(call, *record));
}

void approve(Call& call) {
  if (!have_service(call)) return;
  bool confirm = false;
  if (!read_confirm(call, confirm)) return;
  if (auto pending = call.services.store.bundles().get(BundleId(call.param(1)));
      !confirm && pending.ok() && pending->status == store::BundleStatus::pending_review && pending->activate_on_approve &&
      refused_as_breaking(call, *pending)) {
    return;
  }
  auto record = call.services.bundles->approve(actor_of(call), BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  audit(call, record->org, kAuditBundleApproved, "bundle", record->id.str(), audit_details(*record));
  send_json(call.res, 200, record_json(call, *record));
}

// {"reason": "…"} (required, at most 2,000 characters): kept in the audit log with the removal.
void reject(Call& call) {
  if (!have_service(call)) return;
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (auto only = only_fields(*body, {"reason"}); !only.ok()) {
    send_error_of(call, only.error());
    return;
  }
  auto reason = required_string(*body, "reason", 2000);
  if (!ok_or_send(call, reason)) return;
  auto record = call.services.bundles->reject(actor_of(call), BundleId(call.param(1)));
  if (!ok_or_send(call, record)) return;
  json details = audit_details(*record);
  details["reason"] = *reason;
  audit(call, record->org, kAuditBundleRejected, "bundle", record->id.str(), std::move(details));
  send_json(call.res, 200, {{"id", record->id.str()}, {"vendorId", record->vendor_id}, {"version", record->version},
                            {"status", "rejected"}, {"reason", *reason}});
}

void manifest_schema(Call& call) {
  call.res.status = 200;
  call.res.set_content(std::string(bundles::manifest_schema_text()), "application/schema+json");
}

}  // namespace

void add_bundle_routes(std::vector<Route>& r) {
  // Who may upload depends on ?scope (org admin, or platform admin for the platform): checked
  // in the handler, after the route's body limit has refused an oversized upload.
  r.push_back({"POST", "/api/bundle-upload", Access::member, kUploadBodyLimit, upload});
  r.push_back({"GET", "/api/bundles", Access::member, 0, list});
  r.push_back({"GET", std::string("/api/bundles/") + kId, Access::member, 0, get});
  r.push_back({"POST", std::string("/api/bundles/") + kId + "/enable", Access::org_admin, 0, enable});
  r.push_back({"POST", std::string("/api/bundles/") + kId + "/disable", Access::org_admin, 0, disable});
  r.push_back({"DELETE", std::string("/api/bundles/") + kId, Access::org_admin, 0, remove});
  r.push_back({"PUT", std::string("/api/bundles/") + kId + "/blocks/" + kKey, Access::org_admin, 1024, set_block});
  r.push_back({"GET", "/api/schemas/manifest.json", Access::anyone, 0, manifest_schema});
  r.push_back({"POST", std::string("/api/admin/bundles/") + kId + "/approve", Access::platform_admin, 0, approve});
  r.push_back({"POST", std::string("/api/admin/bundles/") + kId + "/reject", Access::platform_admin, 16 * 1024, reject});
}

}  // namespace weft::api
