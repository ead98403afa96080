// policy/policy_document.h — owns what the three organization policies (DESIGN.md §4) have in
// common: their kinds, the JSON Schema each document must satisfy (served to clients), and the
// shape of a "this would loosen the policy" finding. Knows no storage and enforces nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft::policy {

enum class PolicyKind { execution, governance, dependency };
std::string_view to_string(PolicyKind kind);
std::optional<PolicyKind> parse_policy_kind(std::string_view text);
inline constexpr PolicyKind kPolicyKinds[] = {PolicyKind::execution, PolicyKind::governance, PolicyKind::dependency};

// Error codes (public).
inline constexpr char kInvalidPolicy[] = "invalid_policy";      // 400: the document breaks its schema
inline constexpr char kPolicyLoosened[] = "policy_loosened";    // 403: an org admin tried to loosen it

// The capabilities a manifest may declare and an execution policy may allow.
inline constexpr const char* kCapabilities[] = {"tools", "llm", "stt", "tts", "embedding"};

// The JSON Schema (draft 7) of a policy document of `kind`. Thread-safe; lives as long as the process.
const json& policy_schema(PolicyKind kind);

// Every schema violation of `document` as invalid_policy, details [{pointer, message}]; ok when
// it is valid. The read-only keys GET adds (orgId, kind, platform) are not part of a document:
// strip them first (without_read_only_keys).
Status check_policy_document(PolicyKind kind, const json& document);
json without_read_only_keys(json document);

// A field that a proposed policy sets looser than the limit it must stay within.
struct Loosened {
  std::string field;    // "maxRisk"
  json limit;           // the ceiling's value
  json value;           // the proposed value
  std::string message;  // "maxRisk 'critical' is looser than the platform's 'medium'"
};
json to_json(const std::vector<Loosened>& found);

}  // namespace weft::policy
