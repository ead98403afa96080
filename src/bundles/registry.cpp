#include "bundles/registry.h"

#include "bundles/governance.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "bundles/archive_reader.h"
#include "bundles/bundle_check.h"
#include "bundles/poll_result.h"
#include "bundles/validate.h"
#include "core/digest.h"
#include "core/unique_fd.h"
#include "core/log.h"

namespace weft::bundles {

namespace {

namespace fs = std::filesystem;

inline constexpr char kBundleLoadFailed[] = "bundle_load_failed";

// A regular file of at most `max` bytes, never through a symlink.
Result<std::string> read_small_file(const std::string& path, std::size_t max) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return Error::not_found(path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) > max) {
    return Error::make("invalid_argument", path + " is not a regular file of at most " + std::to_string(max) + " bytes");
  }
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

catalog::ActionKind kind_of(BlockKind kind) {
  switch (kind) {
    case BlockKind::tool: return catalog::ActionKind::tool;
    case BlockKind::block: return catalog::ActionKind::block;
    case BlockKind::trigger: return catalog::ActionKind::trigger;
  }
  return catalog::ActionKind::tool;
}

int origin_rank(catalog::Origin origin) {  // higher wins a tie of versions
  switch (origin) {
    case catalog::Origin::organization: return 2;
    case catalog::Origin::platform: return 1;
    case catalog::Origin::first_party: return 0;
  }
  return 0;
}

}  // namespace

// The code of one bundle, fetched once per process at its first call.
struct Registry::Code {
  // Uploaded: the blob and the hash it must have. First-party: the folder.
  BundleId id;
  std::string storage_key;
  std::string sha256;
  std::string folder;

  std::mutex mu;
  std::optional<std::string> source;  // dist/index.js once fetched and verified
};

struct Registry::Parsed {
  std::shared_ptr<const BundleManifest> manifest;
  catalog::Provider provider;
  std::vector<std::shared_ptr<const catalog::Action>> actions;  // every block, manifest order
  std::shared_ptr<Code> code;
};

namespace {

// Ranks entries of the published order (kept beside each entry while sorting).
struct Ranked {
  std::shared_ptr<const catalog::VendorEntry> entry;
  SemVer version;
  TimeMs uploaded_at = 0;
};

}  // namespace

Registry::Registry(store::Store& store, blob::BlobStore& blobs, catalog::Catalog& catalog, ToolRunner& runner)
    : store_(store), blobs_(blobs), catalog_(catalog), runner_(runner) {
  catalog_.set_vendor_filter(policy_vendor_filter(store_));
}

Registry::~Registry() = default;

namespace {

// The catalog actions of `manifest`, each running its tool through `runner` with the code of
// `code`; `fetch` produces the verified source (or why it cannot be run).
struct ActionFactory {
  ToolRunner* runner;
  std::function<Result<std::string>()> fetch;
  std::function<void(const std::string& why)> on_load_failure;
  std::string actor_suffix;  // distinguishes two bundles with one vendor + version in one org

  std::vector<std::shared_ptr<const catalog::Action>> make(const BundleManifest& m, const std::string& icon) const {
    std::vector<std::shared_ptr<const catalog::Action>> out;
    std::map<std::string, std::string> category_of_product;
    for (const auto& p : m.products) category_of_product[p.id] = p.category;
    for (const auto& block : m.blocks) {
      catalog::Action action;
      action.key = block.id;
      action.name = block.name;
      action.provider = m.id;
      action.version = m.version;
      action.auth_type = m.auth_type;
      if (m.auth_type != vault::AuthType::none) action.accepted_auth = {m.auth_type};
      action.input_schema = block.input_schema;
      action.output_schema = block.output_schema;
      const std::string& category = category_of_product[block.product];
      action.display = {block.name, block.description, icon, category.empty() ? m.category : category};
      action.kind = kind_of(block.kind);
      auto fetch_source = fetch;
      auto failed = on_load_failure;
      ToolRunner* r = runner;
      const std::string vendor = m.id, version = m.version, tool = block.id, suffix = actor_suffix;
      const std::vector<std::string> hosts = m.allowed_hosts;
      const bool is_trigger = block.kind == BlockKind::trigger;
      // A trigger's run() is a poll: ctx.input is a poll_request {inputs, state} (the engine's
      // poller builds it) and the answer is {items, state} (bundles/poll_result.h).
      action.run = [r, fetch_source, failed, vendor, version, tool, suffix, hosts,
                    is_trigger](catalog::ActionContext& ctx) -> Result<json> {
        if (is_trigger && !is_poll_request(ctx.input)) {
          return Error::make("invalid_input", "'" + tool + "' is a trigger: it is polled by a workflow's "
                                              "{\"type\": \"bundle\"} trigger, not run as a step");
        }
        auto source = fetch_source();
        if (!source.ok()) {
          failed(source.error().message);
          return source.error();
        }
        const std::string actor = ctx.org.str() + ":" + vendor + ":" + version + ":" + suffix;
        bool load_failed = false;
        const ToolRunner::SourceFn code = [&source]() -> Result<std::string> { return *source; };
        Result<json> out = Error::internal("not called");
        if (is_trigger) {
          catalog::ActionContext poll_ctx{.input = ctx.input["inputs"], .auth = ctx.auth, .org = ctx.org,
                                          .run = ctx.run, .step_id = ctx.step_id,
                                          .idempotency_key = ctx.idempotency_key, .attempt = ctx.attempt,
                                          .log = ctx.log, .cancel = ctx.cancel, .deadline = ctx.deadline};
          out = r->poll(poll_ctx, actor, code, tool, hosts, ctx.input["state"], &load_failed);
        } else {
          out = r->call(ctx, actor, code, tool, hosts, &load_failed);
        }
        if (!out.ok() && load_failed) failed(out.error().message);
        return out;
      };
      out.push_back(std::make_shared<const catalog::Action>(std::move(action)));
    }
    return out;
  }
};

}  // namespace

std::vector<std::string> Registry::scan_first_party(const std::string& dir) {
  std::vector<std::string> warnings;
  std::error_code ec;
  {
    std::lock_guard lock(mu_);
    first_party_.clear();
  }
  if (!fs::is_directory(dir, ec)) return warnings;
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && !entry.is_symlink() && fs::exists(entry.path() / "manifest.json")) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    if (auto added = add_first_party(folder.string()); !added.ok()) {
      warnings.push_back(folder.string() + ": " + added.error().message);
    }
  }
  return warnings;
}

Status Registry::add_first_party(const std::string& folder_name) {
  const fs::path folder(folder_name);
  auto text = read_small_file((folder / "manifest.json").string(), kMaxManifestBytes);
  if (!text.ok()) {
    return invalid_bundle({{"manifest.json", kManifestMissing, "manifest.json is missing or unreadable"}});
  }
  auto parsed_json = parse_json(*text);
  if (!parsed_json.ok()) {
    return invalid_bundle({{"manifest.json", kManifestNotJson, "manifest.json is not JSON: " + parsed_json.error().message}});
  }
  WEFT_TRY_ASSIGN(BundleManifest manifest, parse_bundle_manifest(*parsed_json));
  if (catalog_.is_builtin_provider(manifest.id)) {
    return invalid_bundle({{manifest_path("/id"), kVendorReserved,
                            "'" + manifest.id + "' is the id of a built-in integration; choose another vendor id"}});
  }
  BundleFiles icon_files;
  if (!manifest.icon.empty() && manifest.icon.find(':') == std::string::npos) {
    if (auto icon = read_small_file((folder / manifest.icon).string(), kMaxIconBytes); icon.ok()) {
      icon_files.files.emplace(manifest.icon, std::move(icon).take());
    }
  }
  const std::string icon = icon_data_uri(manifest, icon_files);
  auto code = std::make_shared<Code>();
  code->folder = folder.string();
  ActionFactory factory;
  factory.runner = &runner_;
  factory.fetch = [code]() -> Result<std::string> {
    std::lock_guard lock(code->mu);
    if (code->source) return *code->source;
    auto source = read_small_file(code->folder + "/dist/index.js", 100u << 20);
    if (!source.ok()) return Error::make(kBundleLoadFailed, "the bundle's dist/index.js could not be read");
    code->source = std::move(source).take();
    return *code->source;
  };
  const std::string where = folder.string();
  factory.on_load_failure = [where](const std::string& why) {
    log().warn("first-party bundle {} failed to load: {}", where, why);
  };
  factory.actor_suffix = "first-party";
  auto entry = std::make_shared<catalog::VendorEntry>();
  entry->provider = {manifest.id, manifest.name, icon, manifest.category};
  entry->version = manifest.version;
  entry->origin = catalog::Origin::first_party;
  entry->actions = factory.make(manifest, icon);
  entry->capabilities = manifest.capabilities;
  std::lock_guard lock(mu_);
  for (auto& existing : first_party_) {
    if (existing->provider.id == manifest.id && existing->version == manifest.version) {
      existing = std::move(entry);
      return {};
    }
  }
  first_party_.push_back(std::move(entry));
  return {};
}

Result<std::shared_ptr<Registry::Parsed>> Registry::parsed_locked(const store::BundleRecord& record) {
  if (auto it = parsed_.find(record.id.str()); it != parsed_.end()) return it->second;
  auto manifest = parse_bundle_manifest(record.manifest);
  if (!manifest.ok()) return manifest.error();
  auto parsed = std::make_shared<Parsed>();
  parsed->manifest = std::make_shared<const BundleManifest>(std::move(manifest).take());
  const BundleManifest& m = *parsed->manifest;
  parsed->provider = {m.id, m.name, record.icon, m.category};
  auto code = std::make_shared<Code>();
  code->id = record.id;
  code->storage_key = record.storage_key;
  code->sha256 = record.sha256;
  parsed->code = code;
  ActionFactory factory;
  factory.runner = &runner_;
  blob::BlobStore* blobs = &blobs_;
  factory.fetch = [code, blobs]() -> Result<std::string> {
    std::lock_guard lock(code->mu);
    if (code->source) return *code->source;
    auto bytes = blobs->get(code->storage_key);
    if (!bytes.ok()) {
      log().error("bundle {}: blob {}: {}", code->id.str(), code->storage_key, bytes.error().message);
      return Error::make(kBundleLoadFailed, "the bundle's archive could not be read from storage");
    }
    if (sha256_hex(*bytes) != code->sha256) return Error::make(kBundleLoadFailed, kContentHashMismatch);
    auto files = read_bundle_archive(*bytes);
    if (!files.ok()) return Error::make(kBundleLoadFailed, "the stored archive does not read: " + files.error().message);
    const std::string* source = files->find("dist/index.js");
    if (source == nullptr) return Error::make(kBundleLoadFailed, "the stored archive has no dist/index.js");
    code->source = *source;
    return *code->source;
  };
  const BundleId id = record.id;
  factory.on_load_failure = [this, id](const std::string& why) { mark_failed(id, why); };
  factory.actor_suffix = record.id.str();
  parsed->actions = factory.make(m, record.icon);
  parsed_.emplace(record.id.str(), parsed);
  return parsed;
}

Result<std::shared_ptr<const BundleManifest>> Registry::manifest_of(const store::BundleRecord& record) {
  std::lock_guard lock(mu_);
  WEFT_TRY_ASSIGN(auto parsed, parsed_locked(record));
  return std::shared_ptr<const BundleManifest>(parsed->manifest);
}

std::vector<std::shared_ptr<const catalog::VendorEntry>> Registry::entries_for(
    const std::vector<store::BundleRecord>& records) {
  std::vector<Ranked> ranked;
  std::lock_guard lock(mu_);
  for (const auto& fp : first_party_) {
    ranked.push_back({fp, parse_semver(fp->version).value_or(SemVer{}), 0});
  }
  for (const auto& record : records) {
    if (record.status != store::BundleStatus::active) continue;
    auto parsed = parsed_locked(record);
    if (!parsed.ok()) {
      log().error("bundle {} ({} {}) has a manifest that no longer passes: {}", record.id.str(), record.vendor_id,
                  record.version, parsed.error().message);
      continue;
    }
    const Parsed& p = **parsed;
    auto entry = std::make_shared<catalog::VendorEntry>();
    entry->provider = p.provider;
    entry->version = p.manifest->version;
    entry->origin = record.scope == store::BundleScope::platform ? catalog::Origin::platform
                                                                   : catalog::Origin::organization;
    entry->org = record.org;
    entry->bundle_id = record.id.str();
    entry->capabilities = p.manifest->capabilities;
    const std::set<std::string> off(record.disabled_blocks.begin(), record.disabled_blocks.end());
    for (const auto& a : p.actions) {
      if (!off.count(a->key)) entry->actions.push_back(a);
    }
    ranked.push_back({std::move(entry), p.manifest->semver, record.uploaded_at});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.entry->provider.id != b.entry->provider.id) return a.entry->provider.id < b.entry->provider.id;
    if (int c = compare(a.version, b.version); c != 0) return c > 0;
    const int ra = origin_rank(a.entry->origin), rb = origin_rank(b.entry->origin);
    if (ra != rb) return ra > rb;
    return a.uploaded_at > b.uploaded_at;
  });
  std::vector<std::shared_ptr<const catalog::VendorEntry>> out;
  out.reserve(ranked.size());
  for (auto& r : ranked) out.push_back(std::move(r.entry));
  return out;
}

Status Registry::republish() {
  std::lock_guard publishing(publish_mu_);
  WEFT_TRY_ASSIGN(auto records, store_.bundles().all());
  auto entries = entries_for(records);
  const std::size_t published = entries.size();
  catalog_.publish_bundles(std::move(entries));
  std::set<std::string> present;
  for (const auto& r : records) present.insert(r.id.str());
  std::lock_guard lock(mu_);
  counts_ = {first_party_.size(), records.size(), published - first_party_.size()};
  for (auto it = parsed_.begin(); it != parsed_.end();) {
    it = present.count(it->first) ? std::next(it) : parsed_.erase(it);
  }
  return {};
}

Registry::Counts Registry::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

void Registry::forget(const BundleId& id) {
  std::lock_guard lock(mu_);
  if (auto it = parsed_.find(id.str()); it != parsed_.end()) {
    std::lock_guard code_lock(it->second->code->mu);
    it->second->code->source.reset();
  }
}

void Registry::mark_failed(const BundleId& id, const std::string& why) {
  log().warn("bundle {} failed to load: {}", id.str(), why);
  if (auto s = store_.bundles().set_status(id, store::BundleStatus::failed, why); !s.ok()) {
    log().error("bundle {}: cannot record the failure: {}", id.str(), s.error().message);
    return;
  }
  if (auto s = republish(); !s.ok()) log().error("bundle {}: republish: {}", id.str(), s.error().message);
}

}  // namespace weft::bundles
