// Setup, login/logout, the caller's identity, org switching and API tokens.
#include "api/http_json.h"
#include "api/routes.h"
#include "api/session_cookie.h"

namespace weft::api {

namespace {

json user_json(const store::User& u) {
  return {{"id", u.id.str()}, {"email", u.email}, {"platformAdmin", u.platform_admin}};
}

json token_json(const store::ApiToken& t) {
  return {{"id", t.id}, {"name", t.name}, {"orgId", t.org.str()}, {"createdAt", format_iso8601(t.created_at)},
          {"expiresAt", t.expires_at ? json(format_iso8601(*t.expires_at)) : json(nullptr)}};
}

// Constant-time comparison of two secrets.
bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

void setup(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"email", "password", "orgName", "setupToken"}))) return;
  auto email = required_string(*body, "email", 254);
  auto password = required_string(*body, "password", 1024);
  auto org_name = required_string(*body, "orgName", 100);
  if (!ok_or_send(call, email) || !ok_or_send(call, password) || !ok_or_send(call, org_name)) return;
  // The first set-up needs the one-time token from the server log (or WEFT_SETUP_TOKEN): a page
  // that reaches this port from a browser cannot read it.
  const auto token = body->find("setupToken");
  const std::string& expected = call.services.setup_token;
  if (token == body->end() || !token->is_string() || expected.empty() ||
      !same_secret(token->get_ref<const std::string&>(), expected)) {
    auto users = call.services.store.accounts().user_count();
    if (users.ok() && *users > 0) {
      send_error(call.res, 409, "setup_done", "the owner account already exists; sign in instead");
      return;
    }
    send_error(call.res, 403, "setup_token_invalid",
               "send the set-up token printed in the server log (or set with WEFT_SETUP_TOKEN) as 'setupToken'");
    return;
  }
  auto done = call.services.accounts.setup(*email, *password, *org_name);
  if (!ok_or_send(call, done)) return;
  send_json(call.res, 201, {{"user", user_json(done->first)},
                            {"org", {{"id", done->second.id.str()}, {"name", done->second.name}}}});
}

void login(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"email", "password"}))) return;
  auto email = required_string(*body, "email", 254);
  auto password = required_string(*body, "password", 1024);
  if (!ok_or_send(call, email) || !ok_or_send(call, password)) return;
  auto result = call.services.accounts.login(*email, *password, call.req.remote_addr);
  if (!result.ok()) {
    if (result.error().code == "rate_limited" && result.error().details.contains("retryAfterSeconds")) {
      call.res.set_header("Retry-After", std::to_string(result.error().details["retryAfterSeconds"].get<std::int64_t>()));
    }
    send_error(call.res, result.error());
    return;
  }
  call.res.set_header("Set-Cookie", session_cookie(result->session_token, result->session.expires_at - call.services.clock.now_ms(), call.secure));
  auto principal = call.services.accounts.authenticate_session(result->session_token);
  if (!ok_or_send(call, principal) || !principal->has_value()) return;
  auto described = call.services.accounts.describe(**principal);
  if (!ok_or_send(call, described)) return;
  send_json(call.res, 200, *described);
}

void logout(Call& call) {
  if (call.caller->via == accounts::Principal::Via::session) {
    auto done = call.services.accounts.logout(session_token(call.req, call.secure));
    if (!ok_or_send(call, done)) return;
  }
  call.res.set_header("Set-Cookie", cleared_session_cookie(call.secure));
  call.res.status = 204;
}

void me(Call& call) {
  auto described = call.services.accounts.describe(*call.caller);
  if (!ok_or_send(call, described)) return;
  send_json(call.res, 200, *described);
}

void switch_org(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"orgId"}))) return;
  auto org = required_string(*body, "orgId", 128);
  if (!ok_or_send(call, org)) return;
  if (call.caller->via != accounts::Principal::Via::session) {
    send_error(call.res, 400, "invalid_input", "an API token is bound to one org; switch orgs with a session");
    return;
  }
  auto done = call.services.accounts.switch_org(*call.caller, OrgId(*org));
  if (!ok_or_send(call, done)) return;
  auto principal = call.services.accounts.authenticate_session(session_token(call.req, call.secure));
  if (!ok_or_send(call, principal) || !principal->has_value()) return;
  auto described = call.services.accounts.describe(**principal);
  if (!ok_or_send(call, described)) return;
  send_json(call.res, 200, *described);
}

void create_token(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"name", "expiresInDays"}))) return;
  auto name = required_string(*body, "name", 100);
  if (!ok_or_send(call, name)) return;
  std::optional<TimeMs> expires;
  if (body->contains("expiresInDays")) {
    const json& days = (*body)["expiresInDays"];
    if (!days.is_number_integer() || days.get<std::int64_t>() < 1 || days.get<std::int64_t>() > 3650) {
      send_error(call.res, 400, "invalid_input", "'expiresInDays' must be an integer from 1 to 3650");
      return;
    }
    expires = call.services.clock.now_ms() + days.get<std::int64_t>() * 86400000LL;
  }
  auto created = call.services.accounts.create_api_token(call.caller->user.id, call.org(), *name, expires);
  if (!ok_or_send(call, created)) return;
  json out = token_json(created->second);
  out["token"] = created->first;
  send_json(call.res, 201, out);
}

void list_tokens(Call& call) {
  auto tokens = call.services.store.accounts().list_api_tokens(call.caller->user.id);
  if (!ok_or_send(call, tokens)) return;
  json out = json::array();
  for (const auto& t : *tokens) out.push_back(token_json(t));
  send_json(call.res, 200, {{"tokens", out}});
}

void delete_token(Call& call) {
  auto done = call.services.store.accounts().delete_api_token(call.caller->user.id, call.param(1));
  if (!ok_or_send(call, done)) return;
  call.res.status = 204;
}

}  // namespace

void add_auth_routes(std::vector<Route>& r) {
  r.push_back({"POST", "/api/setup", Access::anyone, 4096, setup});
  r.push_back({"POST", "/api/auth/login", Access::anyone, 4096, login});
  r.push_back({"POST", "/api/auth/logout", Access::signed_in, 1024, logout});
  r.push_back({"GET", "/api/auth/me", Access::signed_in, 0, me});
  r.push_back({"POST", "/api/auth/switch-org", Access::signed_in, 1024, switch_org});
  r.push_back({"POST", "/api/auth/tokens", Access::member, 4096, create_token});
  r.push_back({"GET", "/api/auth/tokens", Access::signed_in, 0, list_tokens});
  r.push_back({"DELETE", std::string("/api/auth/tokens/") + kId, Access::signed_in, 0, delete_token});
}

}  // namespace weft::api
