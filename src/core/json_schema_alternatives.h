// core/json_schema_alternatives.h — owns saying an anyOf/oneOf of `required` lists in words.
// Schemas often write "give `text` or `blocks`" as {"anyOf":[{"required":["text"]},
// {"required":["blocks"]}]}; when it fails, valijson says "Missing required property 'text'",
// "… 'blocks'" and "Failed to validate against any schemas allowed by anyOf constraint". This
// finds such alternatives in a schema (by instance location) so JsonSchema::validate can answer
// one sentence instead. It validates nothing itself.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace weft::schema_alternatives {

struct RequiredAlternatives {
  bool one_of = false;                         // exactly one (oneOf) rather than at least one (anyOf)
  std::vector<std::vector<std::string>> sets;  // each alternative's required property names
};

// Instance-location pattern → alternatives: "" for the root, "/a" for property a, "/a/*" for
// the items of array a. Found through `properties` and `items` only (not $ref), at most 16
// levels down; an anyOf/oneOf counts only when every alternative says nothing but `required`
// (plus title/description).
std::map<std::string, RequiredAlternatives> find(const json& schema);

// "/a/0/b" → "/a/*/b": the pattern find() keys by.
std::string pattern_of(const std::string& pointer);

// "give `text` or `blocks`", "give `a` and `b`, or `c`", "give exactly one of `x` or `y`".
std::string describe(const RequiredAlternatives& alternatives);

}  // namespace weft::schema_alternatives
