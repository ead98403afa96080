// bundles/schema_diff.h — owns comparing two versions of one block's JSON Schema (inputSchema or
// outputSchema) and classifying each change as breaking or compatible for the side it is on.
// Pure functions over JSON: they resolve no $ref, fetch nothing, and stay bounded on any input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/json.h"

namespace weft::bundles {

// Which schema of a block is compared: what a step sends (input) or what it gets back (output).
// An input may only accept more (narrowing it breaks the steps that send what it no longer
// takes); an output may only promise more (widening it breaks the steps that read it).
enum class SchemaSide { input, output };

// Change kinds (SchemaChange::kind).
inline constexpr char kPropertyAdded[] = "property_added";                   // optional property added
inline constexpr char kRequiredPropertyAdded[] = "required_property_added";  // added and required
inline constexpr char kPropertyRemoved[] = "property_removed";
inline constexpr char kBecameRequired[] = "became_required";  // a kept property now required
inline constexpr char kBecameOptional[] = "became_optional";  // a kept property no longer required
inline constexpr char kTypeNarrowed[] = "type_narrowed";      // accepts fewer types (number → integer)
inline constexpr char kTypeWidened[] = "type_widened";        // accepts more types
inline constexpr char kTypeChanged[] = "type_changed";        // neither: string → number
inline constexpr char kEnumValuesRemoved[] = "enum_values_removed";  // or an enum/const that was not there
inline constexpr char kEnumValuesAdded[] = "enum_values_added";      // or the enum/const dropped
inline constexpr char kConstraintNarrowed[] = "constraint_narrowed";  // new/lower max*, new/higher min*, …
inline constexpr char kConstraintWidened[] = "constraint_widened";
inline constexpr char kConstraintChanged[] = "constraint_changed";  // a change not comparable (pattern, $ref…)
inline constexpr char kAdditionalPropertiesNarrowed[] = "additional_properties_narrowed";  // e.g. → false
inline constexpr char kAdditionalPropertiesWidened[] = "additional_properties_widened";
inline constexpr char kAlternativeAdded[] = "alternative_added";      // an anyOf/oneOf branch more
inline constexpr char kAlternativeRemoved[] = "alternative_removed";  // an anyOf/oneOf branch less
inline constexpr char kSchemaNarrowed[] = "schema_narrowed";  // a subschema became false
inline constexpr char kSchemaWidened[] = "schema_widened";    // a subschema that was false no longer is
inline constexpr char kDescriptionChanged[] = "description_changed";
inline constexpr char kTitleChanged[] = "title_changed";
// Where the comparison stopped: nesting past Limits::max_depth (kTooDeep) or past
// max_changes / max_nodes (kTruncated). Both are breaking: what lies beyond is unknown.
inline constexpr char kTooDeep[] = "too_deep";
inline constexpr char kTruncated[] = "truncated";

struct SchemaChange {
  std::string pointer;  // JSON pointer into the schema ("/properties/user/properties/name", "" = root)
  std::string kind;     // one of the kinds above
  bool breaking = false;
  std::string message;  // one sentence for an admin ("maxLength lowered from 10 to 5")
  json from;            // the old value when it is small (a number, a type list…), else null
  json to;              // the new value, likewise
};

struct SchemaDiffLimits {
  int max_depth = 64;            // nested subschemas followed
  std::size_t max_changes = 500;  // changes listed (then one kTruncated)
  std::size_t max_nodes = 100000;  // subschema pairs compared in all
};

struct SchemaDiff {
  std::vector<SchemaChange> changes;  // in document order of the newer schema
  bool truncated = false;             // a limit stopped the comparison (a kTooDeep/kTruncated change says where)
  bool breaking() const;
};

// Every change from `from` to `to` (two JSON Schemas, draft 4 or 7; any JSON is accepted: a
// non-schema value compares as "anything"). Recurses into properties, additionalProperties,
// items (a schema or a tuple, by position), and anyOf / oneOf / allOf by position. Thread-safe,
// allocates in proportion to the inputs, never throws.
SchemaDiff diff_schemas(const json& from, const json& to, SchemaSide side, const SchemaDiffLimits& limits = {});

// {pointer, kind, breaking, message, from?, to?}
json to_json(const SchemaChange& change);
// [change…]
json to_json(const SchemaDiff& diff);

}  // namespace weft::bundles
