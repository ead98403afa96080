#include "engine/credential_source.h"

#include "core/log.h"

#include <fstream>
#include <sstream>

namespace weft::engine {

Result<CredentialMeta> VaultCredentialSource::describe(const OrgId& org, const CredentialId& id) {
  WEFT_TRY_ASSIGN(auto info, vault_.info(org, id));
  return CredentialMeta{info.id, info.provider, info.type};
}

Result<catalog::StepAuth> VaultCredentialSource::open(const OrgId& org, const CredentialId& id) {
  WEFT_TRY_ASSIGN(auto cred, vault_.open(org, id));
  catalog::StepAuth auth;
  auth.type = cred.info.type;
  auth.provider = cred.info.provider;
  auth.credential_id = cred.info.id;
  auth.credential_name = cred.info.name;
  auth.secret = std::move(cred.secret);
  return auth;
}

Status MemoryCredentialSource::add(const CredentialMeta& meta, const json& secret) {
  WEFT_TRY(vault::validate_secret(meta.type, secret));
  entries_[meta.id.str()] = Entry{meta, Secret<json>(secret)};
  return {};
}

Status MemoryCredentialSource::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make("file_not_found", "cannot read credentials file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  WEFT_TRY_ASSIGN(json doc, parse_json(buffer.str()));
  const json* list = &doc;
  if (doc.is_object() && doc.contains("credentials")) list = &doc["credentials"];
  if (!list->is_array()) {
    return Error::make("invalid_credentials_file",
                       path + ": expected {\"credentials\": [ {id, provider, type, secret}, … ]}");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& e = (*list)[i];
    const std::string where = path + ": credentials[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("id") || !e["id"].is_string() || !is_safe_id(e["id"].get<std::string>()) ||
        !e.contains("provider") || !e["provider"].is_string() || !e.contains("type") ||
        !e["type"].is_string() || !e.contains("secret") || !e["secret"].is_object()) {
      return Error::make("invalid_credentials_file",
                         where + " needs string fields id, provider, type and an object secret");
    }
    auto type = vault::parse_auth_type(e["type"].get<std::string>());
    if (!type) {
      return Error::make("invalid_credentials_file", where + " has unknown type '" +
                                                         e["type"].get<std::string>() + "'");
    }
    auto added = add({CredentialId(e["id"].get<std::string>()), e["provider"].get<std::string>(), *type},
                     e["secret"]);
    if (!added.ok()) {
      return Error::make("invalid_credentials_file", where + ": " + added.error().message);
    }
  }
  return {};
}

Result<CredentialMeta> MemoryCredentialSource::describe(const OrgId& org, const CredentialId& id) {
  if (auto it = entries_.find(id.str()); it != entries_.end()) return it->second.meta;
  if (fallback_ != nullptr) return fallback_->describe(org, id);
  return Error::not_found("credential '" + id.str() + "'");
}

Result<catalog::StepAuth> MemoryCredentialSource::open(const OrgId& org, const CredentialId& id) {
  if (auto it = entries_.find(id.str()); it != entries_.end()) {
    catalog::StepAuth auth;
    auth.type = it->second.meta.type;
    auth.provider = it->second.meta.provider;
    auth.credential_id = it->second.meta.id;
    auth.credential_name = it->second.meta.id.str();  // a credentials file names them by id
    auth.secret = it->second.secret;
    return auth;
  }
  if (fallback_ != nullptr) return fallback_->open(org, id);
  return Error::not_found("credential '" + id.str() + "'");
}

Result<std::optional<catalog::StepAuth>> open_for_action(CredentialSource& credentials, const OrgId& org,
                                                         const catalog::Action& action,
                                                         const std::optional<CredentialId>& credential) {
  if (action.auth_type == vault::AuthType::none) return std::optional<catalog::StepAuth>();
  if (!credential) return Error::make("credential_unavailable", "step has no credential");
  auto opened = credentials.open(org, *credential);
  if (!opened.ok()) {
    const bool missing = opened.error().code == "not_found";
    if (!opened.error().is_public) {
      log().error("org {} credential {}: internal error: {}", org.str(), credential->str(), opened.error().message);
    }
    return Error::make("credential_unavailable",
                       "credential '" + credential->str() + "' " + (missing ? "does not exist" : "cannot be opened"));
  }
  if (!action.accepts(opened->type) || opened->provider != action.provider) {
    return Error::make("credential_unavailable",
                       "credential '" + credential->str() + "' does not fit action '" + action.key + "'");
  }
  return std::optional<catalog::StepAuth>(std::move(opened).take());
}

}  // namespace weft::engine
