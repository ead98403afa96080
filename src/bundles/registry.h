// bundles/registry.h — owns what the catalog knows of installed bundles: the first-party
// folders (read-only, every org) and the uploaded records (platform: every org; organization:
// that org), turned into catalog entries and published as one ordered set — per vendor the
// newest SemVer first (then organization over platform over first-party, then the latest
// upload). Only manifests are read at boot; a bundle's code is fetched from the blob store,
// verified against its SHA-256 and cached in this process at its first call. A blob whose hash
// does not match is never run: the record becomes `failed` with "content hash mismatch".
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "bundles/manifest.h"
#include "bundles/tool_runner.h"
#include "catalog/catalog.h"
#include "store/store.h"

namespace weft::bundles {

inline constexpr char kContentHashMismatch[] = "content hash mismatch";

class Registry {
 public:
  // Every reference must outlive the Registry, and the Registry every catalog use of the actions
  // it publishes. Thread-safe.
  Registry(store::Store& store, blob::BlobStore& blobs, catalog::Catalog& catalog, ToolRunner& runner);
  ~Registry();

  // Registers every sub-folder of `dir` holding a manifest.json as a first-party bundle
  // (manifest and icon read now, dist/index.js at the first call). A folder that does not pass
  // the manifest rules is skipped and named in the returned warnings. A missing `dir` is fine.
  std::vector<std::string> scan_first_party(const std::string& dir);
  // Registers one first-party bundle folder (as scan_first_party does for each). Errors:
  // bundle_invalid (the manifest's problems), or vendor_reserved. Call republish() after.
  Status add_first_party(const std::string& folder);

  // Reads every record and publishes the catalog's bundle set: active records only, minus
  // switched-off blocks. Manifests are parsed once per record and kept. Call after every change.
  Status republish();

  // What the last republish saw.
  struct Counts {
    std::size_t first_party = 0;
    std::size_t records = 0;
    std::size_t active = 0;  // records published (active, manifest still valid)
  };
  Counts counts() const;

  // Forgets the cached code of `id` (enable retries a failed load; delete frees it).
  void forget(const BundleId& id);

  // Marks `id` failed with `why` and republishes (a load failure at a first call).
  void mark_failed(const BundleId& id, const std::string& why);

  // The parsed manifest of a record (cached), or the manifest error.
  Result<std::shared_ptr<const BundleManifest>> manifest_of(const store::BundleRecord& record);

  // The ordered bundle set as it would be published from `records` (tests, delete's check of
  // which workflows would lose a tool). Records not active are left out.
  std::vector<std::shared_ptr<const catalog::VendorEntry>> entries_for(const std::vector<store::BundleRecord>& records);

 private:
  struct Parsed;
  struct Code;
  Result<std::shared_ptr<Parsed>> parsed_locked(const store::BundleRecord& record);

  store::Store& store_;
  blob::BlobStore& blobs_;
  catalog::Catalog& catalog_;
  ToolRunner& runner_;
  mutable std::mutex mu_;  // guards the maps; never held while calling the store's writer or the sandbox
  std::mutex publish_mu_;  // one republish at a time, so the newest state is published last
  std::vector<std::shared_ptr<const catalog::VendorEntry>> first_party_;  // full entries
  std::map<std::string, std::shared_ptr<Parsed>> parsed_;  // by record id
  Counts counts_;
};

}  // namespace weft::bundles
