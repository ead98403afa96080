// valijson aborts the process on a malformed schema unless told to throw.
#define VALIJSON_USE_EXCEPTIONS 1

#include "core/json_schema.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <exception>

namespace weft {

struct JsonSchema::Compiled {
  valijson::Schema schema;
};

namespace {

// valijson reports a context like ["<root>", "[channel]", "[0]"]; turn it into "/channel/0".
std::string to_pointer(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
      if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
        token = token.substr(1, token.size() - 2);
      }
    }
    out += '/';
    for (char c : token) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
  }
  return out;
}

}  // namespace

Result<JsonSchema> JsonSchema::compile(const json& schema) {
  if (!schema.is_object() && !schema.is_boolean()) {
    return Error::make("invalid_schema", "a JSON Schema must be an object");
  }
  auto compiled = std::make_shared<Compiled>();
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const std::exception& e) {
    return Error::make("invalid_schema", std::string("invalid JSON Schema: ") + e.what());
  }
  JsonSchema out;
  out.compiled_ = std::move(compiled);
  out.source_ = std::make_shared<const json>(schema);
  return out;
}

std::vector<SchemaViolation> JsonSchema::validate(const json& instance) const {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(instance);
  std::vector<SchemaViolation> out;
  try {
    if (validator.validate(compiled_->schema, adapter, &results)) return out;
  } catch (const std::exception& e) {
    out.push_back({"", std::string("schema validation failed: ") + e.what()});
    return out;
  }
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    out.push_back({to_pointer(error.context), error.description});
  }
  // valijson follows each specific error with summaries on its parents ("Failed to validate
  // against schema associated with property name 'x'", "Failed to validate item #0…"). Drop
  // those summaries and exact duplicates; keep every specific error, siblings included.
  std::vector<SchemaViolation> unique;
  for (auto& v : out) {
    if (v.message.rfind("Failed to validate against schema associated with", 0) == 0 ||
        v.message.rfind("Failed to validate item #", 0) == 0) {
      continue;
    }
    bool seen = false;
    for (const auto& u : unique) seen |= (u.pointer == v.pointer && u.message == v.message);
    if (!seen) unique.push_back(std::move(v));
  }
  return unique;
}

}  // namespace weft
