// The audit log (issue 11): GET /api/audit — an org admin sees their org's events, a platform
// admin every event (or one org's with ?orgId=), newest first, paginated with ?before=<id>.
#include "api/audit_log.h"
#include "api/http_json.h"
#include "api/routes.h"

#include <charconv>

namespace weft::api {

namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

bool parse_int(const std::string& text, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= lo && out <= hi;
}

void list_audit(Call& call) {
  store::AuditFilter filter;
  filter.limit = kDefaultPage;
  if (const std::string limit = call.req.get_param_value("limit"); !limit.empty()) {
    std::int64_t n = 0;
    if (!parse_int(limit, 1, kMaxPage, n)) {
      send_error(call.res, 400, "invalid_input", "limit must be an integer from 1 to " + std::to_string(kMaxPage));
      return;
    }
    filter.limit = static_cast<int>(n);
  }
  if (const std::string before = call.req.get_param_value("before"); !before.empty()) {
    std::int64_t id = 0;
    if (!parse_int(before, 1, INT64_MAX, id)) {
      send_error(call.res, 400, "invalid_input", "before must be the id of an audit event");
      return;
    }
    filter.before_id = id;
  }
  const std::string org = call.req.get_param_value("orgId");
  if (call.caller->is_platform_admin()) {
    if (!org.empty()) filter.org = OrgId(org);
  } else if (call.caller->is_org_admin()) {
    if (!org.empty() && org != call.org().str()) {
      send_error(call.res, 403, "forbidden", "an organization admin sees only their organization's audit log");
      return;
    }
    filter.org = call.org();
  } else {
    send_error(call.res, 403, "forbidden", "only admins may read the audit log");
    return;
  }
  // One more than asked tells whether there is a next page.
  const int asked = filter.limit;
  filter.limit = asked + 1;
  auto events = call.services.store.audit().list(filter);
  if (!ok_or_send(call, events)) return;
  json out = json::array();
  for (std::size_t i = 0; i < events->size() && static_cast<int>(i) < asked; ++i) out.push_back(audit_event_json((*events)[i]));
  json next = nullptr;
  if (static_cast<int>(events->size()) > asked) next = std::to_string((*events)[asked - 1].id);
  send_json(call.res, 200, {{"events", std::move(out)}, {"nextBefore", next}});
}

}  // namespace

void add_audit_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/audit", Access::signed_in, 0, list_audit});
}

}  // namespace weft::api
