// bundles/sbom.h — owns reading a bundle's meta/sbom.cdx.json: a CycloneDX 1.6 JSON document
// (what `weft-bundle build` writes, sdk/lib/sbom.mjs) reduced to the components an admin reviews
// and a dependency policy evaluates. Judges no component (that is the dependency policy's job).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bundles/problem.h"
#include "core/json.h"
#include "core/result.h"

namespace weft::bundles {

// Problem codes of the SBOM's rules (Problem::code).
inline constexpr char kSbomFormat[] = "sbom_format";                // not an object, bomFormat != "CycloneDX"
inline constexpr char kSbomSpecVersion[] = "sbom_spec_version";     // specVersion != "1.6"
inline constexpr char kSbomSerialNumber[] = "sbom_serial_number";   // serialNumber not urn:uuid:<lower-case uuid>
inline constexpr char kSbomComponent[] = "sbom_component";          // a component (or a field of one) malformed

// Where SBOM problems point: kSbomFile + "#" + JSON pointer ("meta/sbom.cdx.json#/components/2/name").
inline constexpr char kSbomFile[] = "meta/sbom.cdx.json";

struct SbomComponent {
  std::string type;     // "library", "application", … (CycloneDX 1.6 component types)
  std::string name;
  std::string version;  // "" when absent
  std::string purl;     // "" when absent ("pkg:npm/zod@3.24.0")
  std::string license;  // the first license: its SPDX id, else its name, else an SPDX expression; "" if none
  std::vector<std::string> evidence;  // evidence.occurrences[].location: the bundled files
  std::vector<std::pair<std::string, std::string>> properties;  // [{name, value}] ("" when value is absent)
};

struct Sbom {
  std::string spec_version;   // "1.6"
  std::string serial_number;  // "" when absent
  std::vector<SbomComponent> components;
};

// Every problem of `document` (the parsed meta/sbom.cdx.json), each with path
// "meta/sbom.cdx.json#<pointer>": bomFormat "CycloneDX", specVersion "1.6", serialNumber (if
// present) "urn:uuid:" + a lower-case RFC 4122 UUID, components (if present) an array of objects
// each with a known `type` and a non-empty `name`, and optional version, purl (strings),
// licenses ([{license:{id|name}}|{expression}]), evidence.occurrences ([{location}]) and
// properties ([{name, value?}]). Other fields are ignored. Fills `out` with what could be read.
std::vector<Problem> check_sbom(const json& document, Sbom& out);

// The SBOM model, or invalid_bundle (problem.h) listing every problem of check_sbom.
Result<Sbom> parse_sbom(const json& document);

}  // namespace weft::bundles
