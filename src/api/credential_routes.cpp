// Credentials of the caller's org: secrets go in once and never come out.
#include "api/http_json.h"
#include "api/routes.h"

namespace weft::api {

namespace {


json info_json(const vault::CredentialInfo& c) {
  return {{"id", c.id.str()},       {"name", c.name},
          {"provider", c.provider}, {"type", vault::to_string(c.type)},
          {"createdAt", format_iso8601(c.created_at)}, {"updatedAt", format_iso8601(c.updated_at)}};
}

void list(Call& call) {
  auto all = call.services.vault.list(call.org());
  if (!ok_or_send(call, all)) return;
  json out = json::array();
  for (const auto& c : *all) out.push_back(info_json(c));
  send_json(call.res, 200, {{"credentials", out}});
}

void create(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"name", "provider", "type", "secret"}))) return;
  auto name = required_string(*body, "name", 200);
  auto provider = required_string(*body, "provider", 64);
  auto type_name = required_string(*body, "type", 32);
  if (!ok_or_send(call, name) || !ok_or_send(call, provider) || !ok_or_send(call, type_name)) return;
  auto type = vault::parse_auth_type(*type_name);
  if (!type) {
    send_error(call.res, 400, "invalid_input", "'type' must be api_key, bearer_token, oauth2, bot_token or none");
    return;
  }
  const json secret = body->value("secret", json::object());
  if (!secret.is_object()) {
    send_error(call.res, 400, "invalid_input", "'secret' must be an object");
    return;
  }
  auto created = call.services.vault.create(call.org(), {*name, *provider, *type, secret, {}});
  if (!ok_or_send(call, created)) return;
  send_json(call.res, 201, info_json(*created));
}

void rotate(Call& call) {
  auto body = read_object(call.req);
  if (!ok_or_send(call, body)) return;
  if (!ok_or_send(call, only_fields(*body, {"secret", "name"}))) return;
  if (!body->contains("secret") || !(*body)["secret"].is_object()) {
    send_error(call.res, 400, "invalid_input", "'secret' must be an object");
    return;
  }
  std::string name;
  if (body->contains("name")) {
    auto n = required_string(*body, "name", 200);
    if (!ok_or_send(call, n)) return;
    name = *n;
  }
  auto rotated = call.services.vault.rotate(call.org(), CredentialId(call.param(1)), (*body)["secret"], name);
  if (!ok_or_send(call, rotated)) return;
  send_json(call.res, 200, info_json(*rotated));
}

// Workflows (latest versions) of the org whose steps name credential `id`.
Result<json> workflows_using(Services& s, const OrgId& org, const std::string& id) {
  WEFT_TRY_ASSIGN(auto workflows, s.store.workflows().list(org));
  json users = json::array();
  for (const auto& wf : workflows) {
    const json& steps = wf.definition.contains("steps") ? wf.definition["steps"] : json::array();
    for (const auto& step : steps) {
      if (step.is_object() && step.value("credential", json()).is_string() && step["credential"] == id) {
        users.push_back({{"id", wf.id.str()}, {"name", wf.name}});
        break;
      }
    }
  }
  return users;
}

void remove(Call& call) {
  const std::string id = call.param(1);
  auto exists = call.services.vault.info(call.org(), CredentialId(id));
  if (!ok_or_send(call, exists)) return;
  if (call.req.get_param_value("force") != "true") {
    auto users = workflows_using(call.services, call.org(), id);
    if (!ok_or_send(call, users)) return;
    if (!users->empty()) {
      send_error(call.res, 409, "credential_in_use",
                 "credential is used by " + std::to_string(users->size()) +
                     " workflow(s); remove it from them or delete with ?force=true",
                 {{"workflows", *users}});
      return;
    }
  }
  auto done = call.services.vault.remove(call.org(), CredentialId(id));
  if (!ok_or_send(call, done)) return;
  call.res.status = 204;
}

}  // namespace

void add_credential_routes(std::vector<Route>& r) {
  r.push_back({"GET", "/api/credentials", Access::member, 0, list});
  r.push_back({"POST", "/api/credentials", Access::org_admin, 64 * 1024, create});
  r.push_back({"POST", std::string("/api/credentials/") + kId + "/rotate", Access::org_admin, 64 * 1024, rotate});
  r.push_back({"DELETE", std::string("/api/credentials/") + kId, Access::org_admin, 0, remove});
}

}  // namespace weft::api
