#include "policy/policy_document.h"

#include <algorithm>

#include "core/json_schema.h"

namespace weft::policy {

namespace {

json capability_enum() {
  json e = json::array();
  for (const char* c : kCapabilities) e.push_back(c);
  return e;
}

json string_list(json item, int max_items) {
  return {{"type", "array"}, {"items", std::move(item)}, {"uniqueItems", true}, {"maxItems", max_items}};
}

json build_schema(PolicyKind kind) {
  json properties;
  switch (kind) {
    case PolicyKind::execution:
      properties = {
          {"maxConcurrentExecutions",
           {{"type", "integer"}, {"minimum", 0}, {"maximum", 10000},
            {"description", "sandboxed calls of the org running at once; 0 = no limit"}}},
          {"maxTimeoutSeconds", {{"type", "integer"}, {"minimum", 1}, {"maximum", 86400}}},
          {"allowedCapabilities", string_list({{"enum", capability_enum()}}, 16)},
          {"codeNetwork", {{"type", "boolean"}, {"description", "core.code snippets may fetch public hosts"}}},
      };
      break;
    case PolicyKind::governance:
      properties = {
          {"allowedVendorScopes",
           string_list({{"enum", json::array({"first-party", "platform", "organization"})}}, 3)},
          {"allowOrgUploads", {{"type", "boolean"}}},
          {"requireApprovalForUploads", {{"type", "boolean"}}},
          {"blockedVendorIds",
           string_list({{"type", "string"}, {"pattern", "^[a-z][a-z0-9-]*$"}, {"maxLength", 64}}, 1000)},
      };
      break;
    case PolicyKind::dependency:
      properties = {
          {"maxRisk", {{"enum", json::array({"low", "medium", "high", "critical"})}}},
          {"blockedPackages",
           string_list({{"type", "string"}, {"minLength", 1}, {"maxLength", 512},
                        {"description", "a package name or purl; '*' matches any run of characters"}},
                       1000)},
          {"blockInstallScripts", {{"type", "boolean"}}},
      };
      break;
  }
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"$id", "https://weft.dev/schemas/policies/" + std::string(to_string(kind)) + ".json"},
          {"title", "Weft " + std::string(to_string(kind)) + " policy"},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties", std::move(properties)}};
}

struct Compiled {
  json source;
  JsonSchema schema;
};

const Compiled& compiled(PolicyKind kind) {
  static const Compiled all[3] = {
      {build_schema(PolicyKind::execution), JsonSchema::compile(build_schema(PolicyKind::execution)).take()},
      {build_schema(PolicyKind::governance), JsonSchema::compile(build_schema(PolicyKind::governance)).take()},
      {build_schema(PolicyKind::dependency), JsonSchema::compile(build_schema(PolicyKind::dependency)).take()},
  };
  return all[static_cast<int>(kind)];
}

}  // namespace

std::string_view to_string(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::execution: return "execution";
    case PolicyKind::governance: return "governance";
    case PolicyKind::dependency: return "dependency";
  }
  return "execution";
}

std::optional<PolicyKind> parse_policy_kind(std::string_view text) {
  for (PolicyKind k : kPolicyKinds) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

const json& policy_schema(PolicyKind kind) { return compiled(kind).source; }

Status check_policy_document(PolicyKind kind, const json& document) {
  auto violations = compiled(kind).schema.validate(document);
  if (violations.empty()) return {};
  json details = json::array();
  for (const auto& v : violations) {
    if (details.size() >= 50) break;
    details.push_back({{"pointer", v.pointer}, {"message", v.message}});
  }
  std::string first = violations.front().pointer.empty() ? violations.front().message
                                                         : violations.front().pointer + ": " + violations.front().message;
  return Error::make(kInvalidPolicy, "the " + std::string(to_string(kind)) + " policy is not valid (" + first + ")",
                     std::move(details));
}

json without_read_only_keys(json document) {
  if (document.is_object()) {
    for (const char* key : {"orgId", "kind", "platform"}) document.erase(key);
  }
  return document;
}

json to_json(const std::vector<Loosened>& found) {
  json out = json::array();
  for (const auto& l : found) {
    out.push_back({{"field", l.field}, {"limit", l.limit}, {"value", l.value}, {"message", l.message}});
  }
  return out;
}

}  // namespace weft::policy
