// tests/api/bundle_upload_helpers.h — owns what the bundle API tests share: uploadable bundles
// built in test code (testing/bundle_archive.h's valid bundle under another vendor id and
// version), multipart/form-data bodies, and read-only looks at a server's blob folder and
// bundles table. Test-only; it never writes to a server's data dir.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api_harness.h"
#include "core/json.h"
#include "testing/bundle_archive.h"

namespace weft::apitest {

// testing::valid_bundle_entries() (vendor "acme", a built-in id, version "1.0.0") with every
// "acme"/"Acme" replaced by `vendor` and "1.0.0" by `version`: a bundle the server accepts.
std::vector<testing::ArchiveEntry> bundle_entries(const std::string& vendor, const std::string& version = "1.0.0");
// bundle_entries as a .bundle.tar.gz.
std::string bundle_archive(const std::string& vendor, const std::string& version = "1.0.0");

// The entry at `path` (throws std::out_of_range when absent). Valid while `entries` is unchanged.
testing::ArchiveEntry& entry_at(std::vector<testing::ArchiveEntry>& entries, const std::string& path);
// Removes the entry at `path` (throws when absent).
void remove_entry(std::vector<testing::ArchiveEntry>& entries, const std::string& path);
// Parses manifest.json, lets `edit` change it, writes it back.
void edit_manifest(std::vector<testing::ArchiveEntry>& entries, const std::function<void(json&)>& edit);

struct MultipartBody {
  std::string body;
  std::string content_type;  // multipart/form-data; boundary=…
};
// A multipart/form-data body (RFC 7578, CRLF) with one file part `field` holding `bytes`, as
// curl -F field=@filename sends it. The boundary is checked not to occur in `bytes`.
MultipartBody multipart_file(const std::string& field, const std::string& filename, const std::string& bytes);

// POST /api/bundle-upload<query> with `archive` in the multipart field "bundle".
Reply upload_bundle(WeftServer& server, const As& as, const std::string& archive, const std::string& query = "");

// The server's stored blobs, key → SHA-256 (hex): on SQLite every regular file under
// <data dir>/blobs outside .weft-tmp, on PostgreSQL every row of weft_blobs.
std::map<std::string, std::string> blob_files(const WeftServer& server);
// Every entry (any type) under <data dir>/blobs/.weft-tmp.
std::vector<std::string> blob_temp_files(const std::string& data_dir);

// The bundles table of the SQLite database at `db_path`, opened read-only: SELECT count(*), and
// every row as "id|scope|org|vendor|version|status|sha256|storage_key|disabled_blocks", by id.
// Throw std::runtime_error when the database cannot be read.
long long bundle_row_count(const WeftServer& server);
std::vector<std::string> bundle_rows(const WeftServer& server);

// A server with the principals the bundle tests need: the platform admin (the set-up owner,
// admin of its own org "Acme"), org A with an admin and a member, org B with an admin.
// Throws std::runtime_error when a step of the set-up fails.
struct Tenants {
  WeftServer& server;
  std::string org_p, org_a, org_b;
  As platform, admin_a, member_a, admin_b;

  explicit Tenants(WeftServer& server);
};

// The action keys of GET /api/catalog as `as` sees it (empty on an error).
std::vector<std::string> catalog_keys(WeftServer& server, const As& as);
bool catalog_has(WeftServer& server, const As& as, const std::string& key);

// Packs a copy of examples/bundles/weather at `version` with the SDK (weft-bundle pack) under
// `dir`; v2 and later answer "mild-v<major>" instead of "mild", so a run shows which code ran.
std::string pack_weather(const testing::TempDir& dir, const std::string& version);

}  // namespace weft::apitest
