#include "bundles/review.h"

#include "bundles/dependency_review.h"
#include "bundles/governance.h"

#include <set>

#include "bundles/service.h"
#include "vault/auth.h"

namespace weft::bundles {

namespace {

// "preinstall, postinstall" → ["preinstall", "postinstall"] (blank names dropped).
json split_scripts(const std::string& value) {
  json out = json::array();
  std::string name;
  auto flush = [&] {
    const auto first = name.find_first_not_of(" \t");
    if (first != std::string::npos) out.push_back(name.substr(first, name.find_last_not_of(" \t") - first + 1));
    name.clear();
  };
  for (char c : value) {
    if (c == ',') {
      flush();
    } else {
      name += c;
    }
  }
  flush();
  return out;
}

json install_scripts(const SbomComponent& c) {
  for (const auto& [name, value] : c.properties) {
    if (name == kInstallScriptsProperty) return split_scripts(value);
  }
  return json::array();
}

json block_json(const BundleBlock& b, const std::set<std::string>& off) {
  return {{"id", b.id},
          {"name", b.name},
          {"description", b.description},
          {"product", b.product},
          {"kind", to_string(b.kind)},
          {"enabled", !off.count(b.id)}};
}

}  // namespace

json capabilities_tab(const store::BundleRecord& record, const BundleManifest& m) {
  const std::set<std::string> off(record.disabled_blocks.begin(), record.disabled_blocks.end());
  json products = json::array(), tools = json::array(), triggers = json::array();
  for (const auto& p : m.products) {
    products.push_back({{"id", p.id}, {"name", p.name}, {"category", p.category}, {"blocks", p.block_ids}});
  }
  for (const auto& b : m.blocks) (b.kind == BlockKind::trigger ? triggers : tools).push_back(block_json(b, off));
  return {{"products", std::move(products)},
          {"tools", std::move(tools)},
          {"triggers", std::move(triggers)},
          {"runtimeCapabilities", m.capabilities},
          {"networkHosts", m.allowed_hosts}};
}

void add_verdicts(json& tab, const json& verdicts) {
  // Both list the declared dependencies in manifest order and the components in SBOM order.
  for (const char* list : {"declared", "components"}) {
    json& entries = tab[list];
    const json& judged = verdicts[list];
    for (std::size_t i = 0; i < entries.size() && i < judged.size(); ++i) {
      for (const char* field : {"risk", "advisories", "blocked", "reasons", "flags"}) entries[i][field] = judged[i][field];
    }
  }
  tab["blockedBy"] = verdicts["blockedBy"];
}

json dependencies_tab(const BundleManifest& m, const Sbom* sbom) {
  json declared = json::array();
  for (const auto& p : m.products) {
    for (const auto& d : p.dependencies) {
      declared.push_back({{"product", p.id}, {"name", d.name}, {"version", d.version}, {"reason", d.reason}});
    }
  }
  json out = {{"declared", std::move(declared)}, {"sbomRecorded", sbom != nullptr}};
  json components = json::array();
  if (sbom == nullptr) {
    out["note"] = "SBOM not recorded";
    out["componentCount"] = nullptr;
  } else {
    for (const auto& c : sbom->components) {
      json entry = {{"name", c.name},
                    {"version", c.version},
                    {"type", c.type},
                    {"license", c.license.empty() ? json(nullptr) : json(c.license)},
                    {"purl", c.purl.empty() ? json(nullptr) : json(c.purl)},
                    {"evidence", c.evidence},
                    {"installScripts", install_scripts(c)}};
      if (c.license.empty()) entry["unlicensed"] = true;
      components.push_back(std::move(entry));
    }
    out["componentCount"] = sbom->components.size();
  }
  out["components"] = std::move(components);
  return out;
}

Result<json> setup_tab(store::Store& store, const BundleManifest& m, const OrgId& org) {
  const std::string type(vault::to_string(m.auth_type));
  json fields = json::array();
  for (const auto& f : vault::secret_fields(m.auth_type)) fields.push_back({{"name", f.name}, {"required", f.required}});
  json credentials = json::array();
  const bool needs = m.auth_type != vault::AuthType::none;
  if (needs) {
    WEFT_TRY_ASSIGN(auto all, store.credentials().list(org));
    for (const auto& c : all) {
      if (c.provider == m.id && c.type == type) credentials.push_back({{"id", c.id.str()}, {"name", c.name}});
    }
  }
  json out = {{"authType", type},
              {"needsCredential", needs},
              {"fields", std::move(fields)},
              {"hasCredential", !credentials.empty()},
              {"credentials", std::move(credentials)}};
  if (m.auth_type == vault::AuthType::oauth2) {
    out["oauth2"] = {{"authorizeUrl", m.auth.authorize_url}, {"tokenUrl", m.auth.token_url}, {"scopes", m.auth.scopes}};
  }
  return out;
}

Result<json> review_diff(BundleService& service, store::Store& store, const catalog::Catalog& catalog,
                         const store::BundleRecord& record, const BundleManifest& manifest,
                         const ReviewViewer& viewer) {
  WEFT_TRY_ASSIGN(auto baseline, baseline_for(store, catalog, record, viewer.org));
  if (!baseline) return json(nullptr);
  WEFT_TRY_ASSIGN(auto from, service.manifest_of(*baseline));
  const auto from_sbom = sbom_of(*baseline);
  const auto to_sbom = sbom_of(record);
  const VersionDiff diff =
      diff_versions(*from, from_sbom ? &*from_sbom : nullptr, manifest, to_sbom ? &*to_sbom : nullptr);
  WEFT_TRY_ASSIGN(auto affected, affected_workflows(store, record, diff));
  json workflows = json::array();
  bool breaking = false;
  for (const auto& a : affected) {
    if (!viewer.platform_admin && a.use.org != viewer.org) continue;
    breaking = breaking || a.why != kWhyChanged;
    workflows.push_back(to_json(a));
  }
  json out = diff.to_json();
  out["against"] = {{"id", baseline->id.str()},
                    {"version", baseline->version},
                    {"scope", store::to_string(baseline->scope)},
                    {"status", store::to_string(baseline->status)}};
  out["breakingChanges"] = diff.breaking();  // whether any change could break a workflow at all
  out["breaking"] = breaking;                 // whether one of the workflows shown does break
  out["affectedWorkflows"] = std::move(workflows);
  return out;
}

Result<json> build_review(BundleService& service, store::Store& store, const catalog::Catalog& catalog,
                          const store::BundleRecord& record, const ReviewViewer& viewer) {
  WEFT_TRY_ASSIGN(auto manifest, service.manifest_of(record));
  const auto sbom = sbom_of(record);
  WEFT_TRY_ASSIGN(json setup, setup_tab(store, *manifest, viewer.org));
  WEFT_TRY_ASSIGN(json diff, review_diff(service, store, catalog, record, *manifest, viewer));
  // Each dependency's verdict under the policies that judge this record (governance.h).
  json dependencies = dependencies_tab(*manifest, sbom ? &*sbom : nullptr);
  WEFT_TRY_ASSIGN(auto policies, policies_for(store, record));
  WEFT_TRY_ASSIGN(auto verdicts, review_dependencies(*manifest, sbom ? &*sbom : nullptr, policies.dependency, store));
  add_verdicts(dependencies, verdicts.to_json());
  return json{{"bundle", bundle_to_json(record, manifest.get())},
              {"capabilities", capabilities_tab(record, *manifest)},
              {"dependencies", std::move(dependencies)},
              {"setup", std::move(setup)},
              {"diff", std::move(diff)}};
}

}  // namespace weft::bundles
