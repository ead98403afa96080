// Seeds a data dir with N installed bundles for bench/bundle_boot.sh: N records (spread over
// N/10 organizations, every tenth a platform bundle) with their archives in the blob store, each
// a copy of one real .bundle.tar.gz under its own vendor id. Boot reads only the records.
// Usage: bundle_boot_seed DATA_DIR N ARCHIVE
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "blob/fs/fs_blob_store.h"
#include "bundles/archive_reader.h"
#include "bundles/service.h"
#include "core/digest.h"
#include "store/open_store.h"
#include "store/store.h"

using namespace weft;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bundle_boot_seed DATA_DIR N ARCHIVE\n";
    return 2;
  }
  const std::string data_dir = argv[1];
  const int n = std::atoi(argv[2]);
  std::ifstream in(argv[3], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string archive = ss.str();
  auto files = bundles::read_bundle_archive(archive);
  if (!files.ok()) {
    std::cerr << files.error().message << "\n";
    return 1;
  }
  const json manifest = json::parse(*files->find("manifest.json"));
  store::StoreOptions options;
  options.url = "sqlite://" + data_dir + "/weft.db";
  auto store = store::open_store(options);
  auto blobs = blob::open_fs_blob_store(data_dir + "/blobs");
  if (!store.ok() || !blobs.ok()) {
    std::cerr << "cannot open the data dir\n";
    return 1;
  }
  std::vector<OrgId> orgs;
  for (int i = 0; i < std::max(1, n / 10); ++i) {
    auto org = (*store)->orgs().ensure("bench-org-" + std::to_string(i));
    if (!org.ok()) return 1;
    orgs.push_back(org->id);
  }
  const std::string sha = sha256_hex(archive);
  for (int i = 0; i < n; ++i) {
    const std::string vendor = "vendor-" + std::to_string(i);
    json m = manifest;
    m["id"] = vendor;
    m["name"] = "Vendor " + std::to_string(i);
    for (auto& product : m["products"]) {
      for (auto& block : product["blocks"]) {
        const std::string id = block["id"];
        block["id"] = vendor + id.substr(id.find('.'));
      }
    }
    store::BundleRecord r;
    r.id = new_id<BundleId>();
    r.scope = i % 10 == 0 ? store::BundleScope::platform : store::BundleScope::organization;
    if (r.scope == store::BundleScope::organization) r.org = orgs[static_cast<std::size_t>(i) % orgs.size()];
    r.vendor_id = vendor;
    r.version = m["version"];
    r.manifest = m;
    r.storage_key = bundles::storage_key(r.scope, r.org, vendor, r.version);
    r.sha256 = sha;
    r.size = static_cast<std::int64_t>(archive.size());
    if (auto put = (*blobs)->put(r.storage_key, archive); !put.ok()) {
      std::cerr << put.error().message << "\n";
      return 1;
    }
    if (auto inserted = (*store)->bundles().insert(r); !inserted.ok()) {
      std::cerr << inserted.error().message << "\n";
      return 1;
    }
  }
  std::cout << "seeded " << n << " bundles in " << orgs.size() << " organizations\n";
  return 0;
}
