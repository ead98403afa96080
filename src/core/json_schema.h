// core/json_schema.h — owns JSON Schema validation (valijson over nlohmann::json). A schema is
// compiled once and then validated against many times; violations name the JSON pointer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft {

struct SchemaViolation {
  std::string pointer;  // JSON pointer into the instance, "" for the root ("/channel", "/to/0")
  std::string message;
};

class JsonSchema {
 public:
  // Compiles `schema` (draft 4/7 keywords valijson knows). Fails with "invalid_schema".
  static Result<JsonSchema> compile(const json& schema);

  // Every violation of `instance` (empty when valid). Thread-safe: a compiled schema is
  // read-only.
  std::vector<SchemaViolation> validate(const json& instance) const;

  const json& source() const { return *source_; }

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  std::shared_ptr<const json> source_;
};

}  // namespace weft
