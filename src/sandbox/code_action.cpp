#include "sandbox/code_action.h"

#include <sodium.h>

#include "core/digest.h"
#include "sandbox/step_host_calls.h"

namespace weft::sandbox {
namespace {

constexpr std::string_view kInputSchema = R"({
  "type": "object",
  "properties": {
    "code": {"type": "string", "minLength": 1, "maxLength": 65536,
             "description": "The body of an async function (input, ctx); return the output."},
    "input": {"description": "Any JSON, passed as `input` (templates are rendered first)."}
  },
  "required": ["code"],
  "additionalProperties": false
})";

constexpr std::string_view kOutputSchema = R"({"description": "What the code returned (undefined becomes null)."})";

constexpr std::string_view kIcon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">)"
    R"(<rect x="2" y="2" width="20" height="20" rx="5" fill="#0f766e"/>)"
    R"(<path d="M9 8l-4 4 4 4M15 8l4 4-4 4" fill="none" stroke="#fff" stroke-width="2")"
    R"( stroke-linecap="round" stroke-linejoin="round"/></svg>)";

// The first line of the module is the wrapper's; the snippet starts on line 2.
constexpr char kPrefix[] = "export default defineVendor({ id: \"code\", tools: { \"core.code\": async (input, ctx) => { const __weft_out = await (async () => {\n";
constexpr char kSuffix[] = "\n})(); return __weft_out === undefined ? null : __weft_out; } } });\n";

std::string digest(const std::string& text) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

// A syntax error names the snippet's own line, not the wrapper's.
Error code_error(Error e) {
  if (e.code != "bundle_load_failed") return e;
  Error out = Error::make("code_error", "the code does not compile: " + e.message);
  if (e.details.is_object() && e.details.contains("line") && e.details["line"].is_number_integer()) {
    const int line = e.details["line"].get<int>() - 1;
    out.details = {{"line", line}};
    out.message += " (line " + std::to_string(line) + ")";
  }
  return out;
}

}  // namespace

std::string code_module(const std::string& code) { return kPrefix + code + kSuffix; }

namespace {
Result<JsonSchema> schema_literal(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed.ok()) return Error::internal("core.code: a schema literal is not valid JSON");
  return JsonSchema::compile(*parsed);
}
}  // namespace

Status register_code_action(catalog::Catalog& catalog, SandboxPool& pool) {
  catalog::Action action;
  action.key = "core.code";
  action.name = "Code";
  action.provider = "core";
  action.auth_type = vault::AuthType::none;
  action.kind = catalog::ActionKind::block;
  WEFT_TRY_ASSIGN(action.input_schema, schema_literal(kInputSchema));
  WEFT_TRY_ASSIGN(action.output_schema, schema_literal(kOutputSchema));
  action.display = {"Code", "Run a JavaScript snippet on the data (sandboxed; no network unless the org allows it).",
                    "data:image/svg+xml;base64," + base64(kIcon), "Core"};
  SandboxPool* p = &pool;
  action.run = [p](catalog::ActionContext& ctx) -> Result<json> {
    const std::string code = ctx.input.at("code").get<std::string>();
    if (code.size() > kMaxCodeBytes) {
      return Error::make("invalid_input", "the code is larger than " + std::to_string(kMaxCodeBytes) + " bytes");
    }
    const std::string org = ctx.org.str();
    const std::string actor = org + ":code:" + digest(code);
    net::EgressPolicy egress;
    if (p->policy_for(org).code_network) egress.allowed_hosts = {"*"};
    egress.allow_private_addresses = p->limits().allow_private_egress;
    const json input = ctx.input.contains("input") ? ctx.input["input"] : json(nullptr);
    // core.code takes no credential: ctx.auth is null.
    auto out = call_for_step(*p, ctx, actor, [&code] { return Result<std::string>(code_module(code)); },
                             "core.code", input, std::move(egress));
    if (!out.ok()) return code_error(out.error());
    return out;
  };
  return catalog.add(std::move(action));
}

}  // namespace weft::sandbox
