// bundles/bundle_check.h — owns the static check of a whole bundle read into memory: the files it
// must hold (manifest.json, dist/index.js, meta/sbom.cdx.json, the icon), their size and encoding
// bounds, and the manifest's and SBOM's own rules. Loads no code (the sandbox does) and computes
// no hash or storage key (the upload pipeline does).
#pragma once

#include <cstddef>
#include <string>

#include "bundles/bundle_files.h"
#include "bundles/manifest.h"
#include "bundles/problem.h"
#include "bundles/sbom.h"
#include "core/result.h"

namespace weft::bundles {

// The files check_bundle reads.
inline constexpr char kCodeFile[] = "dist/index.js";
// kManifestFile ("manifest.json") is in manifest.h, kSbomFile ("meta/sbom.cdx.json") in sbom.h.

// Size bounds (bytes) of the files parsed as JSON.
inline constexpr std::size_t kMaxManifestBytes = 1024 * 1024;
inline constexpr std::size_t kMaxSbomBytes = 8 * 1024 * 1024;

// Problem codes of the bundle's file rules (Problem::code); the manifest's rules are in
// manifest.h, the SBOM's in sbom.h.
inline constexpr char kManifestMissing[] = "manifest_missing";
inline constexpr char kManifestTooLarge[] = "manifest_too_large";
inline constexpr char kManifestNotJson[] = "manifest_not_json";
inline constexpr char kCodeMissing[] = "code_missing";
inline constexpr char kCodeEmpty[] = "code_empty";
inline constexpr char kCodeNotUtf8[] = "code_not_utf8";
inline constexpr char kIconMissing[] = "icon_missing";
inline constexpr char kSbomMissing[] = "sbom_missing";
inline constexpr char kSbomTooLarge[] = "sbom_too_large";
inline constexpr char kSbomNotJson[] = "sbom_not_json";

struct CheckedBundle {
  BundleManifest manifest;
  Sbom sbom;
  json sbom_json;      // meta/sbom.cdx.json as parsed (kept with the record for later reviews)
  std::string source;  // dist/index.js, valid UTF-8, not empty
};

// Checks `files` and answers the parsed bundle, or invalid_bundle (problem.h) listing EVERY
// problem found: manifest.json missing, over kMaxManifestBytes, not JSON (parse_json, depth
// bounded) or breaking a manifest rule (check_manifest); dist/index.js missing, empty or not
// valid UTF-8; the manifest's icon, when it is not an https: or data: URL, not a file of the
// bundle; meta/sbom.cdx.json missing, over kMaxSbomBytes, not JSON or not CycloneDX 1.6
// (check_sbom). Each rule has its own Problem code. Copies what it keeps; `files` is only read.
Result<CheckedBundle> check_bundle(const BundleFiles& files);

// True when `bytes` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace weft::bundles
