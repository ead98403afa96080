// bundles/validate.h — owns "is this a bundle Weft will run": every static rule (archive or
// folder already read safely, then check_bundle), the vendor id not taken by a built-in, and,
// with a ToolRunner, the runtime rule: the code loads in a jailed sandbox, exports defineVendor
// with the manifest's id and a tool for every block. The server's upload and `weft bundle test`
// both call this, so they give the same messages. Stores nothing.
#pragma once

#include <string>
#include <vector>

#include "bundles/bundle_check.h"
#include "bundles/bundle_files.h"
#include "bundles/tool_runner.h"
#include "catalog/catalog.h"

namespace weft::bundles {

// Problem codes of the rules checked here (besides archive_reader.h's and bundle_check.h's).
inline constexpr char kVendorReserved[] = "vendor_reserved";  // the id of a built-in provider
inline constexpr char kCodeLoad[] = "code_load";              // the code does not load
inline constexpr char kCodeVendor[] = "code_vendor";          // defineVendor id ≠ manifest id
inline constexpr char kCodeMissingTool[] = "code_missing_tool";  // a block without a tool
inline constexpr char kIconUnusable[] = "icon_unusable";      // icon not svg/png/jpg or too big

inline constexpr std::size_t kMaxIconBytes = 256 * 1024;

struct ValidatedBundle {
  CheckedBundle checked;
  std::string icon_data_uri;      // the icon file as a data: URI, or an https:/data: icon as written
  std::vector<std::string> warnings;  // tools in the code that the manifest does not declare
};

// Checks `files`. `builtins`, when given, refuses a vendor id that is a built-in provider;
// `runner`, when given, loads the code (else static rules only). Error: bundle_invalid listing
// every problem (the runtime rule runs only when the static ones pass), or the runner's own
// error when the sandbox itself could not be used.
Result<ValidatedBundle> validate_bundle(const BundleFiles& files, const catalog::Catalog* builtins,
                                        ToolRunner* runner);

// The icon of `manifest` as shown in the catalog: a data: URI of its file in `files` (svg, png,
// jpg up to kMaxIconBytes), an https:/data: URL as written, or "" (no icon / not usable).
std::string icon_data_uri(const BundleManifest& manifest, const BundleFiles& files);

}  // namespace weft::bundles
