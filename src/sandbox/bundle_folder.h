// sandbox/bundle_folder.h — owns installing a vendor bundle from an unpacked folder
// (manifest.json + dist/index.js, DESIGN.md §3 "Bundle") into the catalog. Only the manifest is
// read here; the code is read and loaded into the sandbox at the first call of one of its tools.
// (Uploaded .bundle.tar.gz archives come later and will reuse parse_bundle_manifest.)
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/json_schema.h"
#include "core/result.h"
#include "sandbox/sandbox_pool.h"
#include "vault/auth.h"

namespace weft::sandbox {

struct BundleBlock {
  std::string id;  // "<vendorId>.<name>"
  std::string name;
  std::string description;
  std::string category;
  std::string product;  // id of the product that declares it
  JsonSchema input_schema;
  JsonSchema output_schema;
};

struct BundleManifest {
  std::string id;  // vendor id
  std::string name;
  std::string version;
  std::string icon;  // as written in the manifest ("" if absent)
  vault::AuthType auth_type = vault::AuthType::none;
  std::string category;  // the first product's category
  // network.allowedHosts: the only hosts ctx.fetch may reach ("api.example.com",
  // "*.example.com", "host:port"); empty = no network.
  std::vector<std::string> allowed_hosts;
  std::vector<BundleBlock> blocks;
  json raw;
};

// Validates a parsed manifest.json: required fields, vendor id /^[a-z][a-z0-9-]*$/, version,
// block ids prefixed "<vendorId>.", no duplicate product or block ids, auth type in the allowed
// set, input/output schemas that compile, network.allowedHosts a list of host patterns. Fails with "invalid_bundle" whose message lists every
// problem and whose details are {"problems": [..]}.
Result<BundleManifest> parse_bundle_manifest(const json& manifest);

// Reads <folder>/manifest.json (only) and validates it as above.
Result<BundleManifest> read_bundle_folder(const std::string& folder);

// Reads and validates the folder's manifest, then adds a Provider (id = vendor id) and one
// tool Action per block. Each action's run reads <folder>/dist/index.js at its first call
// (cached afterwards) and calls the tool in `pool` under actor "<orgId>:<vendor>:<version>",
// with ctx.fetch limited to the manifest's allowed hosts and ctx.log going to the step log.
// `pool` must outlive the catalog's use of these actions.
Status register_bundle_folder(catalog::Catalog& catalog, SandboxPool& pool, const std::string& folder);

}  // namespace weft::sandbox
