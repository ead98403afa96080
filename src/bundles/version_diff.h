// bundles/version_diff.h — owns what changed between two versions of one bundle vendor (tools,
// triggers, block schemas, capabilities, network hosts, auth, dependencies, SBOM components),
// which saved workflows that change reaches, and whether activating a version breaks any of
// them. Reads manifests, SBOMs, records and workflows; changes nothing, runs no bundle code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bundles/manifest.h"
#include "bundles/sbom.h"
#include "bundles/schema_diff.h"
#include "bundles/workflow_uses.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "store/store.h"

namespace weft::bundles {

class BundleService;

// A kept block (same id in both versions) whose schemas, name or kind changed.
struct BlockDiff {
  std::string id;
  std::string name;       // in the newer version
  BlockKind kind = BlockKind::tool;  // in the newer version
  bool kind_changed = false;         // tool ⇄ trigger: breaking
  bool name_changed = false;
  SchemaDiff input;   // inputSchema, SchemaSide::input
  SchemaDiff output;  // outputSchema, SchemaSide::output
  bool breaking = false;  // kind_changed or a breaking schema change
};

struct ListDiff {
  std::vector<std::string> added, removed;  // sorted
  bool empty() const { return added.empty() && removed.empty(); }
};

// Package change kinds (PackageChange::change).
inline constexpr char kPackageAdded[] = "added";
inline constexpr char kPackageRemoved[] = "removed";
inline constexpr char kPackageUpgraded[] = "upgraded";
inline constexpr char kPackageDowngraded[] = "downgraded";
inline constexpr char kPackageChanged[] = "changed";  // versions that are not both SemVer, and differ

// A declared dependency or an SBOM component, by name.
struct PackageChange {
  std::string name;
  std::string change;  // one of kPackage*
  std::string from;    // "" when added
  std::string to;      // "" when removed
};

struct VersionDiff {
  std::string from_version, to_version;
  ListDiff tools;     // blocks of kind tool or block
  ListDiff triggers;  // blocks of kind trigger
  std::vector<BlockDiff> changed;   // kept blocks with a change, in the newer manifest's order
  std::vector<std::string> kept;    // every block id in both versions, sorted
  ListDiff capabilities;            // runtime capabilities ("tools", "llm", …)
  ListDiff network_hosts;           // network.allowedHosts
  vault::AuthType auth_from = vault::AuthType::none, auth_to = vault::AuthType::none;
  bool auth_changed() const { return auth_from != auth_to; }
  std::vector<PackageChange> dependencies;  // declared (defineProduct), by name
  bool sbom_compared = false;               // both SBOMs known; else `components` is empty
  std::vector<PackageChange> components;    // SBOM components, by name

  // Whether a workflow using this vendor could break: a block removed, a kept block's breaking
  // change, or another auth type (the saved credentials no longer fit).
  bool breaking() const;
  // {fromVersion, toVersion, tools:{added,removed}, triggers:{…}, blocks:[{id,name,kind,
  //  kindChanged,nameChanged,breaking,input:[change…],output:[change…]}], capabilities:{…},
  //  networkHosts:{…}, auth:{from,to,changed,breaking}, dependencies:[{name,change,from,to}],
  //  components:[…] | null (an SBOM not recorded), breaking}
  json to_json() const;
};

// The changes from `from` to `to`. A null SBOM means "not recorded": components are not compared.
VersionDiff diff_versions(const BundleManifest& from, const Sbom* from_sbom, const BundleManifest& to,
                          const Sbom* to_sbom);

// Why a workflow is affected (AffectedWorkflow::why).
inline constexpr char kWhyRemoved[] = "removed";    // it uses a block the newer version lacks
inline constexpr char kWhyBreaking[] = "breaking";  // a block with a breaking change, or any block after an auth change
inline constexpr char kWhyChanged[] = "changed";    // a block with compatible changes only

struct AffectedWorkflow {
  WorkflowUse use;
  std::string why;  // kWhy*
};

// The workflows (latest versions) that use a removed or changed block of `diff`, in the orgs
// `record` reaches (its org, or every org for a platform record): step actions and bundle
// trigger blocks. `record` is the newer version, the one `diff` leads to.
Result<std::vector<AffectedWorkflow>> affected_workflows(store::Store& store, const store::BundleRecord& record,
                                                         const VersionDiff& diff);
// The same, in `orgs` only.
Result<std::vector<AffectedWorkflow>> affected_workflows_in(store::Store& store, const std::vector<OrgId>& orgs,
                                                            const VersionDiff& diff);

// The version `record` is compared with for `viewer`: the version of the vendor the viewer's
// catalog view runs now, when that is an uploaded record other than `record`; else the newest
// other record of the vendor visible to the viewer that is older by SemVer (any status). nullopt
// when there is none (first-party folder versions are not compared).
Result<std::optional<store::BundleRecord>> baseline_for(store::Store& store, const catalog::Catalog& catalog,
                                                        const store::BundleRecord& record, const OrgId& viewer);

// The parsed SBOM of a record; nullopt when it was not recorded (uploaded before it was kept) or
// no longer parses.
std::optional<Sbom> sbom_of(const store::BundleRecord& record);

struct BreakingCheck {
  bool breaking = false;
  // The uses that break (why removed or breaking), in every org `record` reaches.
  std::vector<AffectedWorkflow> workflows;
  json against = json::array();  // [{id, version}]: the versions whose diff breaks them
  // {error:{…}}-ready details: {workflows:[{workflowId,orgId,name,step,action,why}], against:[{id,version}]}
  json details() const;
};

// Whether activating `record` breaks a saved workflow: for each org it reaches, the diff against
// that org's baseline_for (an org whose catalog already runs a newer SemVer of the vendor is not
// affected by the activation). For enable / approve, which answer 409 breaking_change unless the
// caller confirmed. Errors: the store's, or the manifest's of a record that no longer parses.
Result<BreakingCheck> breaking_for_workflows(BundleService& service, store::Store& store,
                                             const catalog::Catalog& catalog, const store::BundleRecord& record);

// The error code enable / approve answer (409) while breaking_for_workflows says so.
inline constexpr char kBreakingChange[] = "breaking_change";

// {workflowId, orgId, name, step, action, why}
json to_json(const AffectedWorkflow& affected);

}  // namespace weft::bundles
