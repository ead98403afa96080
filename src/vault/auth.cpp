#include "vault/auth.h"

#include <array>
#include <string>
#include <vector>

#include "core/json_schema.h"

namespace weft::vault {

namespace {

struct TypeName {
  AuthType type;
  std::string_view name;
};

constexpr std::array<TypeName, 5> kTypeNames{{
    {AuthType::api_key, "api_key"},
    {AuthType::bearer_token, "bearer_token"},
    {AuthType::oauth2, "oauth2"},
    {AuthType::bot_token, "bot_token"},
    {AuthType::none, "none"},
}};

// Each property schema carries a "description" that doubles as the error text for that field
// ("must be …"): valijson's own messages are generic, and ours must never quote the value.
json non_empty_string() {
  return {{"type", "string"}, {"minLength", 1}, {"description", "a non-empty string"}};
}
json any_string() { return {{"type", "string"}, {"description", "a string"}}; }

json object_schema(json properties, json required) {
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

json schema_source(AuthType type) {
  switch (type) {
    case AuthType::api_key:
      return object_schema({{"api_key", non_empty_string()}}, {"api_key"});
    case AuthType::bearer_token:
      return object_schema({{"token", non_empty_string()}}, {"token"});
    case AuthType::oauth2:
      return object_schema(
          {{"access_token", non_empty_string()},
           {"refresh_token", any_string()},
           {"expires_at",
            {{"type", {"integer", "string"}},
             {"description", "an integer (epoch seconds) or a string"}}},
           {"token_type", any_string()},
           {"scope", any_string()}},
          {"access_token"});
    case AuthType::bot_token:
      return object_schema({{"bot_token", non_empty_string()}}, {"bot_token"});
    case AuthType::none:
      return object_schema(json::object(), json::array());
  }
  WEFT_ASSERT(false);
}

// One compiled schema per type, built on first use and read-only afterwards.
const JsonSchema& schema_for(AuthType type) {
  static const std::array<JsonSchema, kTypeNames.size()> schemas = [] {
    std::array<JsonSchema, kTypeNames.size()> out;
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
      auto compiled = JsonSchema::compile(schema_source(kTypeNames[i].type));
      WEFT_ASSERT(compiled.ok());
      out[i] = std::move(compiled).take();
    }
    return out;
  }();
  return schemas[static_cast<std::size_t>(type)];
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// The field a violation pointer lies under: "/api_key" for "/api_key" or "/api_key/0".
std::string top_field(const std::string& pointer) {
  const auto next = pointer.find('/', 1);
  return next == std::string::npos ? pointer : pointer.substr(0, next);
}

}  // namespace

std::vector<SecretField> secret_fields(AuthType type) {
  const json source = schema_source(type);
  std::vector<SecretField> out;
  for (const auto& name : source["required"]) out.push_back({name.get<std::string>(), true});
  for (const auto& [name, schema] : source["properties"].items()) {
    bool listed = false;
    for (const auto& f : out) listed = listed || f.name == name;
    if (!listed) out.push_back({name, false});
  }
  return out;
}

std::string_view to_string(AuthType type) {
  for (const auto& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  WEFT_ASSERT(false);
}

std::optional<AuthType> parse_auth_type(std::string_view text) {
  for (const auto& entry : kTypeNames) {
    if (entry.name == text) return entry.type;
  }
  return std::nullopt;
}

Status validate_secret(AuthType type, const json& secret) {
  const JsonSchema& schema = schema_for(type);
  const std::vector<SchemaViolation> violations = schema.validate(secret);
  if (violations.empty()) return {};

  // The schema decided the secret is invalid; now say why, field by field. valijson reports
  // missing and unknown fields at the root (and only the first unknown one), so those two are
  // read off the schema itself; field-level problems come from the violations' pointers.
  // Every message is built from the schema, never from the offending value.
  const json& source = schema.source();
  json problems = json::array();
  auto add = [&](std::string field, std::string message) {
    problems.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
  };

  if (!secret.is_object()) {
    add("", std::string("must be a JSON object, not ") + json_type_name(secret));
  } else {
    const json& properties = source.at("properties");
    for (const auto& name : source.at("required")) {
      const auto& key = name.get_ref<const std::string&>();
      if (!secret.contains(key)) add("/" + escape_pointer_token(key), "is required");
    }
    for (const auto& item : secret.items()) {
      const std::string field = "/" + escape_pointer_token(item.key());
      if (!properties.contains(item.key())) {
        add(field, "is not allowed for " + std::string(to_string(type)) + " credentials");
        continue;
      }
      for (const auto& violation : violations) {
        if (!violation.pointer.empty() && top_field(violation.pointer) == field) {
          add(field, "must be " + properties.at(item.key()).at("description").get<std::string>());
          break;
        }
      }
    }
  }
  if (problems.empty()) add("", "does not match the " + std::string(to_string(type)) + " shape");

  std::string message = "invalid " + std::string(to_string(type)) + " credential: ";
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) message += "; ";
    const auto& field = problems[i]["field"].get_ref<const std::string&>();
    message += (field.empty() ? std::string("secret") : field) + " " +
               problems[i]["message"].get<std::string>();
  }
  return Error::make("invalid_credential", std::move(message), std::move(problems));
}

std::string primary_token(AuthType type, const json& secret) {
  const char* field = nullptr;
  switch (type) {
    case AuthType::api_key: field = "api_key"; break;
    case AuthType::bearer_token: field = "token"; break;
    case AuthType::oauth2: field = "access_token"; break;
    case AuthType::bot_token: field = "bot_token"; break;
    case AuthType::none: return "";
  }
  if (!secret.is_object()) return "";
  const auto it = secret.find(field);
  if (it == secret.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace weft::vault
