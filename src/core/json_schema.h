// core/json_schema.h — owns JSON Schema validation (valijson over nlohmann::json). A schema is
// compiled once and then validated against many times; violations name the JSON pointer. Schemas
// may come from untrusted bundle manifests: compiling and validating stay bounded (RE2 patterns,
// hand-written formats, bounded depth and size, no network).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft {

struct SchemaViolation {
  std::string pointer;  // JSON pointer into the instance, "" for the root ("/channel", "/to/0")
  std::string message;
};

// Longest string (in bytes) matched against a `pattern`; a longer one is a violation. Property
// names matched against `patternProperties` have the same limit.
inline constexpr std::size_t kMaxPatternSubjectBytes = 64 * 1024;

enum class SchemaDraft { k4, k7 };

struct SchemaOptions {
  // nullopt: draft 4 when the root's "$schema" names draft-04, else draft 7.
  std::optional<SchemaDraft> draft;
  // Test-only: serves the documents that $refs to other URIs name (the JSON Schema Test Suite's
  // remotes). The product never sets it: its schemas must be self-contained (a $ref to another
  // document fails to compile), and nothing is ever fetched over the network.
  std::function<std::optional<json>(const std::string& uri)> remote_documents;
};

class JsonSchema {
 public:
  // Compiles `schema` (draft 7, or draft 4; see SchemaOptions). Fails with "invalid_schema" for a
  // malformed schema, a `pattern` RE2 cannot run (lookaround, backreferences; the message names
  // the pattern and where it is), a $ref that points nowhere or to another document, a $ref
  // cycle that never descends into the instance, or a limit crossed: 64 nested levels, 20,000
  // subschemas, chains of 2,048 subschemas through $ref, $ref/$id strings of 1 KiB, 128
  // distinct patterns of 8 KiB (512 KiB compiled) each (schema_lowering::Limits, EcmaRegex).
  // Checked formats: date, time, date-time, email, hostname, ipv4, ipv6, uri, uri-reference,
  // json-pointer (string_formats.h); other formats are annotations.
  static Result<JsonSchema> compile(const json& schema, const SchemaOptions& options = {});

  // For a schema this build ships (a built-in action's, which a test compiles): kept as given and
  // compiled by the first validate(), so a start compiles no schema that no step uses. Should it
  // not compile, every validate() answers one violation at "" that says why.
  static JsonSchema compile_on_first_use(json schema);

  // Every violation of `instance` (empty when valid). A value nested deeper than the schema can
  // validate within a bounded stack is one violation at "" (json_schema_lowering.h). Thread-safe:
  // a compiled schema is read-only.
  std::vector<SchemaViolation> validate(const json& instance) const;

  // The schema as given to compile (not its lowered form).
  const json& source() const { return *source_; }

 private:
  struct Compiled;
  struct Deferred;
  static std::vector<SchemaViolation> validate_with(const Compiled& compiled, const json& instance);
  std::shared_ptr<const Compiled> compiled_;  // null until a deferred schema's first validate()
  std::shared_ptr<Deferred> deferred_;        // compile_on_first_use only
  std::shared_ptr<const json> source_;
};

}  // namespace weft
