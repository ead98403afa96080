// bundles/manifest.h — owns the bundle manifest (manifest.json, DESIGN.md §3 "Bundle"): its model
// and every rule it must satisfy — first the JSON Schema in manifest.schema.json, then what a
// schema cannot say. Reads no file and loads no code; the other files of a bundle are
// bundle_check.h's business.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bundles/problem.h"
#include "core/semver.h"
#include "core/json.h"
#include "core/json_schema.h"
#include "core/result.h"
#include "vault/auth.h"

namespace weft::bundles {

// Problem codes of the manifest's rules (Problem::code).
inline constexpr char kManifestSchema[] = "manifest_schema";            // manifest.schema.json says no
inline constexpr char kBlockIdPrefix[] = "block_id_prefix";             // block id not "<vendorId>.…"
inline constexpr char kDuplicateProductId[] = "duplicate_product_id";
inline constexpr char kDuplicateBlockId[] = "duplicate_block_id";
inline constexpr char kBlockSchemaInvalid[] = "block_schema_invalid";   // inputSchema/outputSchema do not compile
inline constexpr char kVersionNotSemver[] = "version_not_semver";

// Where manifest problems point: kManifestFile + "#" + JSON pointer ("manifest.json#/products/0/id").
inline constexpr char kManifestFile[] = "manifest.json";

// What a block is, from its category: "tools" → tool (the default), "blocks" → block,
// "triggers" → trigger.
enum class BlockKind { tool, block, trigger };
std::string_view to_string(BlockKind kind);

struct BundleBlock {
  std::string id;  // "<vendorId>.<name>"
  std::string name;
  std::string description;  // "" when absent
  std::string category;     // "tools" | "blocks" | "triggers" ("tools" when absent)
  BlockKind kind = BlockKind::tool;
  std::string product;  // id of the product that declares it
  JsonSchema input_schema;
  JsonSchema output_schema;
};

// A package a product says it relies on (defineProduct({dependencies})); evaluated against the
// organization's dependency policy elsewhere.
struct DeclaredDependency {
  std::string name;
  std::string version;  // as written: a version or a range, not necessarily SemVer
  std::string reason;
};

struct BundleProduct {
  std::string id;
  std::string name;
  std::string category;  // "" when absent
  std::vector<DeclaredDependency> dependencies;
  std::vector<std::string> block_ids;  // in manifest order
};

struct BundleAuth {
  vault::AuthType type = vault::AuthType::none;
  // oauth2 only (required there, https URLs); empty otherwise.
  std::string authorize_url;
  std::string token_url;
  std::vector<std::string> scopes;
};

struct BundleManifest {
  std::string id;  // vendor id
  std::string name;
  std::string version;  // as written; `semver` is its parsed form
  SemVer semver;
  std::string icon;  // as written in the manifest ("" if absent): a bundle path or a URL
  vault::AuthType auth_type = vault::AuthType::none;  // == auth.type
  BundleAuth auth;
  std::string category;  // the first product's category
  // ["tools"] when absent; each one of "tools", "llm", "stt", "tts", "embedding".
  std::vector<std::string> capabilities;
  // network.allowedHosts: the only hosts ctx.fetch may reach ("api.example.com",
  // "*.example.com", "host:port"); empty = no network.
  std::vector<std::string> allowed_hosts;
  std::vector<BundleProduct> products;
  std::vector<BundleBlock> blocks;  // every product's blocks, in manifest order
  json raw;                         // the manifest as parsed
};

// The JSON Schema manifest.json must satisfy, compiled once from manifest_schema_text().
// Thread-safe; the reference lives as long as the process.
const JsonSchema& manifest_schema();

// Every problem of `manifest` (a parsed manifest.json), in document order: first the schema's
// violations (code kManifestSchema, path "manifest.json#<instance pointer>"), then the rules a
// schema cannot say — block ids prefixed "<vendorId>.", no duplicate product or block ids,
// inputSchema/outputSchema that compile, version a SemVer. A rule is not applied to a value
// the schema already refused (one problem per mistake). Fills `out` with what could be read;
// `out` is complete only when no problem is returned.
std::vector<Problem> check_manifest(const json& manifest, BundleManifest& out);

// The manifest model, or invalid_bundle (problem.h) listing every problem of check_manifest.
Result<BundleManifest> parse_bundle_manifest(const json& manifest);

// "manifest.json#" + `pointer`: the Problem path of a manifest value.
std::string manifest_path(std::string_view pointer);

}  // namespace weft::bundles
