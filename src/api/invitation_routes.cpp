// Invitations: an org admin invites an email with a role (the one-time token is shown once),
// lists and revokes its org's invitations; the invitee accepts with the token. Nothing an admin
// sees depends on whether the email already has an account anywhere on the platform.
#include "api/http_json.h"
#include "api/routes.h"
#include "api/session_cookie.h"

namespace weft::api {

namespace {

Result<store::Role> role_field(const json& body) {
  auto role = store::parse_role(body.value("role", "member"));
  if (!role) return Error::make("invalid_input", "'role' must be \"member\" or \"admin\"", {{"field", "role"}});
  return *role;
}

std::string_view status_of(const store::Invitation& invitation, TimeMs now) {
  if (invitation.accepted_at) return "accepted";
  return invitation.expires_at > now ? "pending" : "expired";
}

json invitation_json(const store::Invitation& invitation, TimeMs now) {
  return {{"id", invitation.id},
          {"email", invitation.email},
          {"role", store::to_string(invitation.role)},
          {"status", status_of(invitation, now)},
          {"createdAt", format_iso8601(invitation.created_at)},
          {"expiresAt", format_iso8601(invitation.expires_at)},
          {"acceptedAt", invitation.accepted_at ? json(format_iso8601(*invitation.accepted_at)) : json(nullptr)}};
}

// Where the invitee opens the link: the first configured public origin, else this server as
// the admin reached it (the server has already refused a Host it does not serve). The token
// sits in the fragment, so it never reaches a server log or a Referer.
std::string invite_url(const Call& call, const std::string& token) {
  const std::string& configured = call.services.config.allowed_origins;
  std::string origin = configured.substr(0, configured.find(','));
  origin.erase(0, origin.find_first_not_of(" \t"));
  origin.erase(origin.find_last_not_of(" \t/") + 1);
  if (origin.empty()) origin = (call.secure ? "https://" : "http://") + call.req.get_header_value("Host");
  return origin + "/invite#token=" + token;
}

void create_invitation(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"email", "role"}))) return;
  auto email = required_string(*body, "email", 254);
  auto role = role_field(*body);
  if (!ok_or_send(call, email) || !ok_or_send(call, role)) return;
  auto created = call.services.accounts.invite(call.org(), call.caller->user.id, *email, *role);
  if (!ok_or_send(call, created)) return;
  const auto& [token, invitation] = *created;
  send_json(call.res, 201, {{"id", invitation.id},
                            {"email", invitation.email},
                            {"role", store::to_string(invitation.role)},
                            {"expiresAt", format_iso8601(invitation.expires_at)},
                            {"inviteUrl", invite_url(call, token)},
                            {"token", token}});
}

void list_invitations(Call& call) {
  auto invitations = call.services.store.accounts().list_invitations(call.org());
  if (!ok_or_send(call, invitations)) return;
  const TimeMs now = call.services.clock.now_ms();
  json out = json::array();
  for (const auto& invitation : *invitations) out.push_back(invitation_json(invitation, now));
  send_json(call.res, 200, {{"invitations", out}});
}

void revoke_invitation(Call& call) {
  auto done = call.services.store.accounts().delete_invitation(call.org(), call.param(1));
  if (!ok_or_send(call, done)) return;
  call.res.status = 204;
}

// Anyone with the token. Signed in: as the invited email; anonymous: {token, password} creates
// the account and signs it in.
void accept_invitation(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"token", "password"}))) return;
  auto token = required_string(*body, "token", 512);
  if (!ok_or_send(call, token)) return;
  std::optional<std::string> password;
  if (body->contains("password")) {
    auto given = required_string(*body, "password", 1024);
    if (!ok_or_send(call, given)) return;
    password = *given;
  }
  const accounts::Principal* caller = call.caller ? &*call.caller : nullptr;
  auto accepted = call.services.accounts.accept_invitation(*token, caller, password);
  if (!ok_or_send(call, accepted)) return;
  const store::Invitation& invitation = accepted->invitation;
  if (accepted->login) {
    const auto& login = *accepted->login;
    call.res.set_header("Set-Cookie",
                        session_cookie(login.session_token, login.session.expires_at - call.services.clock.now_ms(),
                                       call.secure));
  } else if (caller->via == accounts::Principal::Via::session) {
    // The session moves into the org just joined.
    auto switched = call.services.accounts.switch_org(*caller, invitation.org);
    if (!ok_or_send(call, switched)) return;
  }
  send_json(call.res, 200, {{"orgId", invitation.org.str()},
                            {"role", store::to_string(invitation.role)},
                            {"user",
                             {{"id", accepted->user.id.str()},
                              {"email", accepted->user.email},
                              {"platformAdmin", accepted->user.platform_admin}}}});
}

}  // namespace

void add_invitation_routes(std::vector<Route>& r) {
  r.push_back({"POST", "/api/invitations", Access::org_admin, 4096, create_invitation});
  r.push_back({"GET", "/api/invitations", Access::org_admin, 0, list_invitations});
  r.push_back({"DELETE", std::string("/api/invitations/") + kId, Access::org_admin, 0, revoke_invitation});
  r.push_back({"POST", "/api/invitations/accept", Access::anyone, 4096, accept_invitation});
}

}  // namespace weft::api
