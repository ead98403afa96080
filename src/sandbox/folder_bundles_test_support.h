// sandbox/folder_bundles_test_support.h — test-only: installs unpacked bundle folders into an
// engine test environment's catalog the way `weft serve` installs first-party bundles
// (bundles::Registry, with the sandbox's BundleToolRunner), so tests call them end to end.
#pragma once

#include <memory>
#include <string>

#include "blob/fs/fs_blob_store.h"
#include "bundles/registry.h"
#include "engine/test_env.h"
#include "sandbox/bundle_tool_runner.h"
#include "testing/temp_dir.h"

namespace weft::sandbox::test {

struct FolderBundles {
  FolderBundles(engine::test::EngineEnv& env, SandboxPool& pool)
      : runner(pool, WEFT_SANDBOX_HOST_BINARY),
        blobs(blob::open_fs_blob_store(dir.file("blobs")).take()),
        registry(*env.store, *blobs, env.catalog, runner) {}

  // Registers `folder` (manifest.json + dist/index.js) and publishes the catalog.
  Status install(const std::string& folder) {
    WEFT_TRY(registry.add_first_party(folder));
    return registry.republish();
  }

  // The pool actor a first-party bundle's calls run under for `org`.
  static std::string actor(const OrgId& org, const std::string& vendor, const std::string& version) {
    return org.str() + ":" + vendor + ":" + version + ":first-party";
  }

  testing::TempDir dir;
  BundleToolRunner runner;
  std::unique_ptr<blob::BlobStore> blobs;
  bundles::Registry registry;
};

}  // namespace weft::sandbox::test
