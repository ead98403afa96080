// The advisory database's routes (issue 11): platform admins import OSV documents
// (POST /api/admin/advisories, one document or an array) and list what is stored
// (GET /api/admin/advisories). After an import that changed something the server re-evaluates
// installed bundles through Services::on_advisories_changed.
#include <charconv>
#include <tuple>

#include "api/audit_log.h"
#include "api/http_json.h"
#include "api/routes.h"
#include "policy/advisory_import.h"

namespace weft::api {

namespace {

// Largest import body: the same 16 MB as one file of `weft admin advisories import`.
constexpr std::size_t kAdvisoryBodyLimit = 16 * 1024 * 1024;
constexpr int kMaxListLimit = 500;

inline constexpr char kInvalidInput[] = "invalid_input";

bool is_json_body(const http::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  constexpr std::string_view kJson = "application/json";
  return type.rfind(kJson, 0) == 0 &&
         (type.size() == kJson.size() || type[kJson.size()] == ';' || type[kJson.size()] == ' ');
}

void import_advisories(Call& call) {
  if (!is_json_body(call.req)) {
    send_error(call.res, 415, "unsupported_media_type", "send the body as application/json");
    return;
  }
  auto body = parse_json(call.req.body);
  if (!ok_or_send(call, body)) return;
  if (!body->is_object() && !body->is_array()) {
    send_error(call.res, 400, kInvalidInput, "the body must be one OSV document (an object) or an array of them");
    return;
  }
  policy::AdvisoryImport import(call.services.store.advisories());
  if (!ok_or_send(call, import.add_all(*body))) return;
  auto summary = import.finish();
  if (!ok_or_send(call, summary)) return;

  audit(call, OrgId(), kAuditAdvisoriesImported, "advisories", "",
        {{"imported", summary->imported}, {"updated", summary->updated},
         {"unchanged", summary->unchanged}, {"skipped", summary->skipped_count}});

  if (summary->changed() && call.services.on_advisories_changed) call.services.on_advisories_changed();
  send_json(call.res, 200, summary->to_json());
}

json advisory_json(const store::AdvisoryRecord& r) {
  json out = {{"id", r.id}, {"modified", r.modified}, {"importedAt", r.imported_at}, {"packages", r.packages}};
  auto parsed = policy::parse_advisory(r.document);
  if (!parsed.ok()) return out;  // stored by a more lenient Weft: shown without the parsed fields
  out["summary"] = parsed->summary;
  out["aliases"] = parsed->aliases;
  out["severity"] = policy::to_string(parsed->severity);
  out["severitySource"] = parsed->severity_source;
  out["withdrawn"] = parsed->withdrawn.empty() ? json(nullptr) : json(parsed->withdrawn);
  json affected = json::array();
  for (const std::string& name : r.packages) {
    affected.push_back({{"name", name},
                        {"range", policy::range_text(*parsed, name)},
                        {"severity", policy::to_string(policy::severity_for(*parsed, name))}});
  }
  out["affected"] = std::move(affected);
  return out;
}

void list_advisories(Call& call) {
  store::AdvisoryFilter filter;
  const auto& req = call.req;
  if (req.has_param("limit")) {
    const std::string text = req.get_param_value("limit");
    int limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > kMaxListLimit) {
      send_error(call.res, 400, kInvalidInput, "'limit' must be an integer from 1 to 500");
      return;
    }
    filter.limit = limit;
  }
  for (auto [name, slot, max] : {std::tuple{"package", &filter.package, policy::kMaxPackageNameLength},
                                 std::tuple{"before", &filter.before_id, policy::kMaxAdvisoryIdLength}}) {
    if (!req.has_param(name)) continue;
    const std::string value = req.get_param_value(name);
    if (value.empty() || value.size() > max) {
      send_error(call.res, 400, kInvalidInput,
                 std::string("'") + name + "' must be 1 to " + std::to_string(max) + " characters");
      return;
    }
    *slot = value;
  }
  auto records = call.services.store.advisories().list(filter);
  if (!ok_or_send(call, records)) return;
  auto total = call.services.store.advisories().count();
  if (!ok_or_send(call, total)) return;
  json items = json::array();
  for (const store::AdvisoryRecord& r : *records) items.push_back(advisory_json(r));
  json out = {{"advisories", std::move(items)}, {"total", *total}};
  // A full page may have a next one: ask with before=<next>.
  out["next"] = static_cast<int>(records->size()) == filter.limit ? json(records->back().id) : json(nullptr);
  send_json(call.res, 200, out);
}

}  // namespace

void add_advisory_routes(std::vector<Route>& r) {
  r.push_back({"POST", "/api/admin/advisories", Access::platform_admin, kAdvisoryBodyLimit, import_advisories});
  r.push_back({"GET", "/api/admin/advisories", Access::platform_admin, 0, list_advisories});
}

}  // namespace weft::api
