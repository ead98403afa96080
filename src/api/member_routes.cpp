// Members of the caller's org (admins list and remove them; they join through invitations) and
// platform administration (orgs, users, adding a known user to an org).
#include "api/http_json.h"
#include "api/routes.h"

namespace weft::api {

namespace {


Result<store::Role> role_field(const json& body) {
  const std::string text = body.value("role", "member");
  auto role = store::parse_role(text);
  if (!role) return Error::make("invalid_input", "'role' must be \"member\" or \"admin\"");
  return *role;
}

void list_members(Call& call) {
  auto members = call.services.store.accounts().members(call.org());
  if (!ok_or_send(call, members)) return;
  json out = json::array();
  for (const auto& [m, u] : *members) {
    out.push_back({{"userId", u.id.str()}, {"email", u.email}, {"role", store::to_string(m.role)},
                   {"since", format_iso8601(m.created_at)}});
  }
  send_json(call.res, 200, {{"members", out}});
}

// Adds a member to `org` from {email, role}.
void add_member_to(Call& call, const OrgId& org) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"email", "role"}))) return;
  auto email = required_string(*body, "email", 254);
  auto role = role_field(*body);
  if (!ok_or_send(call, email) || !ok_or_send(call, role)) return;
  auto done = call.services.accounts.add_member(org, *email, *role);
  if (!ok_or_send(call, done)) return;
  send_json(call.res, 201, {{"orgId", org.str()}, {"email", *email}, {"role", store::to_string(*role)}});
}

// Adding by email told an org admin whether that email had an account anywhere on the
// platform; invitations replace it (invitation_routes.cpp), whatever the body.
void add_member(Call& call) {
  send_error(call.res, 410, "gone",
             "adding members by email is replaced by invitations: POST /api/invitations {email, role}, "
             "then the invitee accepts the link",
             {{"use", "POST /api/invitations"}});
}

void remove_member(Call& call) {
  const UserId user(call.param(1));
  auto role = call.services.store.accounts().role_of(call.org(), user);
  if (!ok_or_send(call, role)) return;
  if (!role->has_value()) {
    send_error(call.res, 404, "not_found", "member not found");
    return;
  }
  auto done = call.services.store.accounts().remove_member(call.org(), user);
  if (!ok_or_send(call, done)) return;
  call.res.status = 204;
}

void create_org(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"name"}))) return;
  auto name = required_string(*body, "name", 100);
  if (!ok_or_send(call, name)) return;
  auto org = call.services.accounts.create_org(*name);
  if (!ok_or_send(call, org)) return;
  send_json(call.res, 201, {{"id", org->id.str()}, {"name", org->name}});
}

void list_orgs(Call& call) {
  auto orgs = call.services.store.orgs().list();
  if (!ok_or_send(call, orgs)) return;
  json out = json::array();
  for (const auto& o : *orgs) out.push_back({{"id", o.id.str()}, {"name", o.name}});
  send_json(call.res, 200, {{"orgs", out}});
}

void create_user(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"email", "password", "platformAdmin"}))) return;
  auto email = required_string(*body, "email", 254);
  auto password = required_string(*body, "password", 1024);
  if (!ok_or_send(call, email) || !ok_or_send(call, password)) return;
  const json admin = body->value("platformAdmin", json(false));
  if (!admin.is_boolean()) {
    send_error(call.res, 400, "invalid_input", "'platformAdmin' must be a boolean");
    return;
  }
  auto user = call.services.accounts.create_user(*email, *password, admin.get<bool>());
  if (!ok_or_send(call, user)) return;
  send_json(call.res, 201, {{"id", user->id.str()}, {"email", user->email}, {"platformAdmin", user->platform_admin}});
}

void add_org_member(Call& call) {
  auto org = call.services.store.orgs().get(OrgId(call.param(1)));
  if (!ok_or_send(call, org)) return;
  add_member_to(call, org->id);
}

}  // namespace

void add_member_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/members", Access::member, 0, list_members});
  r.push_back({"POST", "/api/members", Access::org_admin, 4096, add_member});
  r.push_back({"DELETE", std::string("/api/members/") + kId, Access::org_admin, 0, remove_member});
  r.push_back({"GET", "/api/admin/orgs", Access::platform_admin, 0, list_orgs});
  r.push_back({"POST", "/api/admin/orgs", Access::platform_admin, 4096, create_org});
  r.push_back({"POST", std::string("/api/admin/orgs/") + kId + "/members", Access::platform_admin, 4096, add_org_member});
  r.push_back({"POST", "/api/admin/users", Access::platform_admin, 4096, create_user});
}

}  // namespace weft::api
