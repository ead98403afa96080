#include "bundle_upload_helpers.h"


#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/digest.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::apitest {

namespace {

namespace fs = std::filesystem;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::vector<testing::ArchiveEntry> bundle_entries(const std::string& vendor, const std::string& version) {
  auto entries = testing::valid_bundle_entries();
  for (auto& e : entries) {
    replace_all(e.content, "acme", vendor);
    replace_all(e.content, "Acme", vendor);
    replace_all(e.content, "1.0.0", version);
  }
  return entries;
}

std::string bundle_archive(const std::string& vendor, const std::string& version) {
  return testing::build_tar_gz(bundle_entries(vendor, version));
}

testing::ArchiveEntry& entry_at(std::vector<testing::ArchiveEntry>& entries, const std::string& path) {
  for (auto& e : entries) {
    if (e.path == path) return e;
  }
  throw std::out_of_range("no entry " + path);
}

void remove_entry(std::vector<testing::ArchiveEntry>& entries, const std::string& path) {
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.path == path; });
  if (it == entries.end()) throw std::out_of_range("no entry " + path);
  entries.erase(it);
}

void edit_manifest(std::vector<testing::ArchiveEntry>& entries, const std::function<void(json&)>& edit) {
  auto& manifest = entry_at(entries, "manifest.json");
  json m = json::parse(manifest.content);
  edit(m);
  manifest.content = m.dump(2);
}

MultipartBody multipart_file(const std::string& field, const std::string& filename, const std::string& bytes) {
  static std::atomic<int> counter{0};
  const std::string boundary = "------------------------weftTestBoundary" + std::to_string(++counter);
  if (bytes.find(boundary) != std::string::npos) throw std::logic_error("the boundary occurs in the file");
  MultipartBody out;
  out.content_type = "multipart/form-data; boundary=" + boundary;
  out.body.reserve(bytes.size() + 512);
  out.body += "--" + boundary + "\r\n";
  out.body += "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n";
  out.body += "Content-Type: application/gzip\r\n\r\n";
  out.body += bytes;
  out.body += "\r\n--" + boundary + "--\r\n";
  return out;
}

Reply upload_bundle(WeftServer& server, const As& as, const std::string& archive, const std::string& query) {
  const MultipartBody mp = multipart_file("bundle", "upload.bundle.tar.gz", archive);
  return server.request_raw("POST", "/api/bundle-upload" + query, as, mp.body, mp.content_type);
}

std::map<std::string, std::string> blob_files(const WeftServer& server) {
  std::map<std::string, std::string> out;
  if (!server.database_url().empty()) {  // PostgreSQL: the shared table, key → SHA-256 of the bytes
    for (const std::string& row : server.sql("SELECT key, sha256 FROM weft_blobs ORDER BY key")) {
      out[row.substr(0, row.find('|'))] = row.substr(row.find('|') + 1);
    }
    return out;
  }
  const fs::path root = fs::path(server.data_dir()) / "blobs";
  if (!fs::exists(root)) return out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = fs::relative(it->path(), root);
    if (rel == ".weft-tmp") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink() || !it->is_directory()) {
      out[rel.generic_string()] = sha256_hex(testing::read_file(it->path().string()));
    }
  }
  return out;
}

std::vector<std::string> blob_temp_files(const std::string& data_dir) {
  std::vector<std::string> out;
  const fs::path tmp = fs::path(data_dir) / "blobs" / ".weft-tmp";
  if (!fs::exists(tmp)) return out;
  for (const auto& e : fs::recursive_directory_iterator(tmp)) out.push_back(e.path().string());
  return out;
}

long long bundle_row_count(const WeftServer& server) {
  return std::stoll(server.sql_text("SELECT count(*) FROM bundles"));
}

std::vector<std::string> bundle_rows(const WeftServer& server) {
  return server.sql(
      "SELECT id, scope, org_id, vendor_id, version, status, sha256, storage_key, disabled_blocks FROM bundles "
      "ORDER BY id");
}

namespace {

Reply must(Reply reply, int status, const std::string& what) {
  if (reply.status != status) {
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " + std::to_string(reply.status) +
                             " " + reply.text);
  }
  return reply;
}

constexpr const char* kPassword = "correct horse battery";

}  // namespace

Tenants::Tenants(WeftServer& s) : server(s) {
  must(server.setup(), 201, "setup");
  platform = As::session(server.login("owner@example.com"));
  org_p = must(server.request("GET", "/api/auth/me", platform), 200, "me").body["activeOrg"]["id"];
  auto create_org = [&](const std::string& name) -> std::string {
    return must(server.request("POST", "/api/admin/orgs", platform, json{{"name", name}}), 201, "org " + name)
        .body["id"];
  };
  org_a = create_org("Org A");
  org_b = create_org("Org B");
  auto user_in = [&](const std::string& org, const std::string& email, const std::string& role) {
    must(server.request("POST", "/api/admin/users", platform, json{{"email", email}, {"password", kPassword}}), 201,
         "user " + email);
    must(server.request("POST", "/api/admin/orgs/" + org + "/members", platform,
                        json{{"email", email}, {"role", role}}),
         201, "member " + email);
    const std::string cookie = server.login(email, kPassword);
    if (cookie.empty()) throw std::runtime_error("login failed for " + email);
    return As::session(cookie);
  };
  admin_a = user_in(org_a, "admin-a@example.com", "admin");
  member_a = user_in(org_a, "member-a@example.com", "member");
  admin_b = user_in(org_b, "admin-b@example.com", "admin");
}

std::vector<std::string> catalog_keys(WeftServer& server, const As& as) {
  std::vector<std::string> keys;
  const Reply r = server.request("GET", "/api/catalog", as);
  if (r.status != 200 || !r.body.is_object() || !r.body.contains("providers")) return keys;
  for (const auto& provider : r.body["providers"]) {
    for (const auto& action : provider.value("actions", json::array())) keys.push_back(action.value("key", ""));
  }
  return keys;
}

bool catalog_has(WeftServer& server, const As& as, const std::string& key) {
  const auto keys = catalog_keys(server, as);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Packs a copy of examples/bundles/weather at `version`; v2 and later say "mild-v<major>"
// instead of "mild", so a run shows which code ran.
std::string pack_weather(const testing::TempDir& dir, const std::string& version) {
  const std::string project = dir.file("weather-" + version);
  fs::copy(std::string(WEFT_SOURCE_DIR) + "/examples/bundles/weather", project, fs::copy_options::recursive);
  std::string source = testing::read_file(project + "/src/index.ts");
  auto replace = [&source](const std::string& from, const std::string& to) {
    const auto at = source.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    source.replace(at, from.size(), to);
  };
  replace("version: \"1.0.0\"", "version: \"" + version + "\"");
  if (version != "1.0.0") replace("return \"mild\";", "return \"mild-v" + version.substr(0, 1) + "\";");
  testing::write_file(project + "/src/index.ts", source);
  auto packed = testing::run_process({"/usr/bin/env", "node", std::string(WEFT_SOURCE_DIR) + "/sdk/bin/weft-bundle.mjs", "pack",
                                      project, "--out", project + "/out"});
  EXPECT_EQ(packed.exit_code, 0) << packed.err;
  return testing::read_file(project + "/out/weather-" + version + ".bundle.tar.gz");
}

}  // namespace weft::apitest
