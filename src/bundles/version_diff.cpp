#include "bundles/version_diff.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/semver.h"
#include "bundles/service.h"

namespace weft::bundles {

namespace {

ListDiff diff_sets(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  const std::set<std::string> a(from.begin(), from.end()), b(to.begin(), to.end());
  ListDiff out;
  for (const auto& x : b) {
    if (!a.count(x)) out.added.push_back(x);
  }
  for (const auto& x : a) {
    if (!b.count(x)) out.removed.push_back(x);
  }
  return out;
}

json list_json(const ListDiff& d) { return {{"added", d.added}, {"removed", d.removed}}; }

// How `to` relates to `from`: SemVer precedence when both parse, else plain text.
std::string version_change(const std::string& from, const std::string& to) {
  const auto a = parse_semver(from), b = parse_semver(to);
  if (a && b) {
    const int c = compare(*a, *b);
    if (c < 0) return kPackageUpgraded;
    if (c > 0) return kPackageDowngraded;
  }
  return from == to ? "" : kPackageChanged;
}

// Packages by name → their versions (a name may be bundled at several versions).
using Packages = std::map<std::string, std::set<std::string>>;

std::vector<PackageChange> diff_packages(const Packages& from, const Packages& to) {
  std::vector<PackageChange> out;
  std::set<std::string> names;
  for (const auto& [n, v] : from) names.insert(n);
  for (const auto& [n, v] : to) names.insert(n);
  for (const auto& name : names) {
    const auto a = from.find(name), b = to.find(name);
    if (a == from.end()) {
      for (const auto& v : b->second) out.push_back({name, kPackageAdded, "", v});
    } else if (b == to.end()) {
      for (const auto& v : a->second) out.push_back({name, kPackageRemoved, v, ""});
    } else if (a->second.size() == 1 && b->second.size() == 1) {
      const std::string change = version_change(*a->second.begin(), *b->second.begin());
      if (!change.empty()) out.push_back({name, change, *a->second.begin(), *b->second.begin()});
    } else {
      for (const auto& v : b->second) {
        if (!a->second.count(v)) out.push_back({name, kPackageAdded, "", v});
      }
      for (const auto& v : a->second) {
        if (!b->second.count(v)) out.push_back({name, kPackageRemoved, v, ""});
      }
    }
  }
  return out;
}

Packages declared(const BundleManifest& m) {
  Packages out;
  for (const auto& p : m.products) {
    for (const auto& d : p.dependencies) out[d.name].insert(d.version);
  }
  return out;
}

Packages components(const Sbom& s) {
  Packages out;
  for (const auto& c : s.components) out[c.name].insert(c.version);
  return out;
}

json packages_json(const std::vector<PackageChange>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"name", c.name},
                   {"change", c.change},
                   {"from", c.from.empty() ? json(nullptr) : json(c.from)},
                   {"to", c.to.empty() ? json(nullptr) : json(c.to)}});
  }
  return out;
}

bool is_trigger(const BundleBlock& b) { return b.kind == BlockKind::trigger; }

// The catalog entry `view` runs for `vendor`, or nullptr.
const catalog::VendorEntry* running_entry(const catalog::CatalogView& view, const std::string& vendor) {
  for (const auto* action : view.actions()) {
    if (action->provider != vendor) continue;
    if (const auto* entry = view.vendor_of(action->key)) return entry;
  }
  return nullptr;
}

std::optional<SemVer> semver_of(const std::string& version) { return parse_semver(version); }

}  // namespace

bool VersionDiff::breaking() const {
  if (!tools.removed.empty() || !triggers.removed.empty() || auth_changed()) return true;
  return std::any_of(changed.begin(), changed.end(), [](const BlockDiff& b) { return b.breaking; });
}

json VersionDiff::to_json() const {
  json blocks = json::array();
  for (const auto& b : changed) {
    blocks.push_back({{"id", b.id},
                      {"name", b.name},
                      {"kind", to_string(b.kind)},
                      {"kindChanged", b.kind_changed},
                      {"nameChanged", b.name_changed},
                      {"breaking", b.breaking},
                      {"input", bundles::to_json(b.input)},
                      {"output", bundles::to_json(b.output)}});
  }
  return {{"fromVersion", from_version},
          {"toVersion", to_version},
          {"tools", list_json(tools)},
          {"triggers", list_json(triggers)},
          {"blocks", std::move(blocks)},
          {"capabilities", list_json(capabilities)},
          {"networkHosts", list_json(network_hosts)},
          {"auth",
           {{"from", vault::to_string(auth_from)},
            {"to", vault::to_string(auth_to)},
            {"changed", auth_changed()},
            {"breaking", auth_changed()}}},
          {"dependencies", packages_json(dependencies)},
          {"components", sbom_compared ? packages_json(components) : json(nullptr)},
          {"breaking", breaking()}};
}

VersionDiff diff_versions(const BundleManifest& from, const Sbom* from_sbom, const BundleManifest& to,
                          const Sbom* to_sbom) {
  VersionDiff d;
  d.from_version = from.version;
  d.to_version = to.version;
  std::map<std::string, const BundleBlock*> old_blocks;
  for (const auto& b : from.blocks) old_blocks.emplace(b.id, &b);
  std::set<std::string> new_ids;
  for (const auto& b : to.blocks) {
    new_ids.insert(b.id);
    const auto it = old_blocks.find(b.id);
    if (it == old_blocks.end()) {
      (is_trigger(b) ? d.triggers : d.tools).added.push_back(b.id);
      continue;
    }
    const BundleBlock& old = *it->second;
    d.kept.push_back(b.id);
    BlockDiff bd;
    bd.id = b.id;
    bd.name = b.name;
    bd.kind = b.kind;
    bd.kind_changed = old.kind != b.kind;
    bd.name_changed = old.name != b.name;
    bd.input = diff_schemas(old.input_schema.source(), b.input_schema.source(), SchemaSide::input);
    bd.output = diff_schemas(old.output_schema.source(), b.output_schema.source(), SchemaSide::output);
    bd.breaking = bd.kind_changed || bd.input.breaking() || bd.output.breaking();
    if (bd.kind_changed || bd.name_changed || !bd.input.changes.empty() || !bd.output.changes.empty()) {
      d.changed.push_back(std::move(bd));
    }
  }
  for (const auto& b : from.blocks) {
    if (!new_ids.count(b.id)) (is_trigger(b) ? d.triggers : d.tools).removed.push_back(b.id);
  }
  for (auto* list : {&d.tools.added, &d.tools.removed, &d.triggers.added, &d.triggers.removed, &d.kept}) {
    std::sort(list->begin(), list->end());
  }
  d.capabilities = diff_sets(from.capabilities, to.capabilities);
  d.network_hosts = diff_sets(from.allowed_hosts, to.allowed_hosts);
  d.auth_from = from.auth_type;
  d.auth_to = to.auth_type;
  d.dependencies = diff_packages(declared(from), declared(to));
  if (from_sbom != nullptr && to_sbom != nullptr) {
    d.sbom_compared = true;
    d.components = diff_packages(components(*from_sbom), components(*to_sbom));
  }
  return d;
}

Result<std::vector<AffectedWorkflow>> affected_workflows_in(store::Store& store, const std::vector<OrgId>& orgs,
                                                            const VersionDiff& diff) {
  std::map<std::string, std::string> why;  // block id → kWhy*
  for (const auto& id : diff.tools.removed) why[id] = kWhyRemoved;
  for (const auto& id : diff.triggers.removed) why[id] = kWhyRemoved;
  if (diff.auth_changed()) {
    for (const auto& id : diff.kept) why[id] = kWhyBreaking;
  }
  for (const auto& b : diff.changed) {
    if (!why.count(b.id)) why[b.id] = b.breaking ? kWhyBreaking : kWhyChanged;
  }
  if (why.empty()) return std::vector<AffectedWorkflow>{};
  WEFT_TRY_ASSIGN(auto uses, find_workflow_uses(store, orgs, [&](const OrgId&, const std::string& block) {
                    return why.count(block) > 0;
                  }));
  std::vector<AffectedWorkflow> out;
  out.reserve(uses.size());
  for (auto& u : uses) {
    const std::string reason = why.at(u.action);
    out.push_back({std::move(u), reason});
  }
  return out;
}

Result<std::vector<AffectedWorkflow>> affected_workflows(store::Store& store, const store::BundleRecord& record,
                                                         const VersionDiff& diff) {
  WEFT_TRY_ASSIGN(auto orgs, orgs_reached(store, record));
  return affected_workflows_in(store, orgs, diff);
}

Result<std::optional<store::BundleRecord>> baseline_for(store::Store& store, const catalog::Catalog& catalog,
                                                        const store::BundleRecord& record, const OrgId& viewer) {
  const auto view = catalog.view(viewer);
  if (const auto* entry = running_entry(*view, record.vendor_id);
      entry != nullptr && !entry->bundle_id.empty() && entry->bundle_id != record.id.str()) {
    auto current = store.bundles().get(BundleId(entry->bundle_id));
    if (current.ok()) return std::optional<store::BundleRecord>(std::move(current).take());
    if (current.error().code != "not_found") return current.error();
    // Deleted since the view was published: fall back to the records.
  }
  const auto mine = semver_of(record.version);
  if (!mine) return std::optional<store::BundleRecord>();
  WEFT_TRY_ASSIGN(auto visible, store.bundles().visible_to(viewer));
  std::optional<store::BundleRecord> best;
  std::optional<SemVer> best_version;
  for (auto& r : visible) {
    if (r.vendor_id != record.vendor_id || r.id == record.id) continue;
    const auto v = semver_of(r.version);
    if (!v || compare(*v, *mine) >= 0) continue;
    const int c = best_version ? compare(*v, *best_version) : 1;
    if (c > 0 || (c == 0 && r.uploaded_at >= best->uploaded_at)) {
      best_version = v;
      best = std::move(r);
    }
  }
  return best;
}

std::optional<Sbom> sbom_of(const store::BundleRecord& record) {
  if (record.sbom.is_null()) return std::nullopt;
  auto parsed = parse_sbom(record.sbom);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).take();
}

json to_json(const AffectedWorkflow& a) {
  return {{"workflowId", a.use.workflow.str()},
          {"orgId", a.use.org.str()},
          {"name", a.use.name},
          {"step", a.use.step},
          {"action", a.use.action},
          {"why", a.why}};
}

json BreakingCheck::details() const {
  json list = json::array();
  for (const auto& w : workflows) list.push_back(to_json(w));
  return {{"workflows", std::move(list)}, {"against", against}};
}

Result<BreakingCheck> breaking_for_workflows(BundleService& service, store::Store& store,
                                             const catalog::Catalog& catalog, const store::BundleRecord& record) {
  WEFT_TRY_ASSIGN(auto to, service.manifest_of(record));
  const auto to_sbom = sbom_of(record);
  const auto mine = semver_of(record.version);
  WEFT_TRY_ASSIGN(auto orgs, orgs_reached(store, record));
  // Orgs grouped by the version they would leave, so each diff is computed once.
  std::map<std::string, std::pair<store::BundleRecord, std::vector<OrgId>>> by_baseline;
  for (const auto& org : orgs) {
    WEFT_TRY_ASSIGN(auto baseline, baseline_for(store, catalog, record, org));
    if (!baseline) continue;
    const auto theirs = semver_of(baseline->version);
    if (mine && theirs && compare(*theirs, *mine) > 0) continue;  // a newer version keeps running there
    auto& slot = by_baseline[baseline->id.str()];
    if (slot.second.empty()) slot.first = *baseline;
    slot.second.push_back(org);
  }
  BreakingCheck out;
  out.against = json::array();
  for (const auto& [id, group] : by_baseline) {
    const auto& [baseline, group_orgs] = group;
    WEFT_TRY_ASSIGN(auto from, service.manifest_of(baseline));
    const auto from_sbom = sbom_of(baseline);
    const VersionDiff diff = diff_versions(*from, from_sbom ? &*from_sbom : nullptr, *to, to_sbom ? &*to_sbom : nullptr);
    if (!diff.breaking()) continue;
    WEFT_TRY_ASSIGN(auto affected, affected_workflows_in(store, group_orgs, diff));
    bool any = false;
    for (auto& a : affected) {
      if (a.why == kWhyChanged) continue;
      any = true;
      out.workflows.push_back(std::move(a));
    }
    if (any) out.against.push_back({{"id", baseline.id.str()}, {"version", baseline.version}});
  }
  out.breaking = !out.workflows.empty();
  return out;
}

}  // namespace weft::bundles
