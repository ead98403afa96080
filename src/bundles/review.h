// bundles/review.h — owns the review document of one uploaded bundle version for one viewer
// org (GET /api/bundles/{id}/review): the vendor detail dialog's capabilities, dependencies and
// setup tabs, and the diff against the version that org runs. Changes nothing; never puts a
// credential's secret in the document (ids and names only).
#pragma once

#include "bundles/manifest.h"
#include "bundles/sbom.h"
#include "bundles/version_diff.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "store/store.h"

namespace weft::bundles {

class BundleService;

// The CycloneDX component property that lists a package's npm install scripts
// ("preinstall,postinstall"), written by weft-bundle.
inline constexpr char kInstallScriptsProperty[] = "weft:npm:installScripts";

// Who looks: the active org, and whether the caller is a platform admin (who then sees the
// workflows of every org a platform bundle reaches; an org admin only its own org's).
struct ReviewViewer {
  OrgId org;
  bool platform_admin = false;
};

// {products:[{id,name,category,blocks:[ids]}], tools:[{id,name,description,product,kind,enabled}],
//  triggers:[same], runtimeCapabilities:[…], networkHosts:[…]}
json capabilities_tab(const store::BundleRecord& record, const BundleManifest& manifest);

// {declared:[{product,name,version,reason}], sbomRecorded, note?, componentCount (null when not
//  recorded), components:[{name,version,type,license,purl,evidence:[paths],installScripts:[names],
//  unlicensed?: true}]}. One entry per declared dependency and per component, in manifest / SBOM
// order, so a policy verdict can be added to each by index.
json dependencies_tab(const BundleManifest& manifest, const Sbom* sbom);
// Adds each entry's policy verdict {risk, advisories, blocked, reasons, flags} from
// DependencyReview::to_json() to a dependencies_tab (same order), and its blockedBy.
void add_verdicts(json& tab, const json& verdicts);

// {authType, needsCredential, fields:[{name,required}], oauth2?:{authorizeUrl,tokenUrl,scopes},
//  credentials:[{id,name}], hasCredential}: the org's credentials whose provider is the vendor
// and whose type is the bundle's auth type.
Result<json> setup_tab(store::Store& store, const BundleManifest& manifest, const OrgId& org);

// {against:{id,version,scope,status}, …VersionDiff::to_json(), breakingChanges, breaking,
//  affectedWorkflows:[…]} against baseline_for(record, viewer.org), or null when there is none.
// `breakingChanges`: some change could break a workflow (VersionDiff::breaking); `breaking`: a
// workflow shown does (why removed or breaking).
Result<json> review_diff(BundleService& service, store::Store& store, const catalog::Catalog& catalog,
                         const store::BundleRecord& record, const BundleManifest& manifest,
                         const ReviewViewer& viewer);

// {bundle: bundle_to_json(…), capabilities, dependencies, setup, diff}.
Result<json> build_review(BundleService& service, store::Store& store, const catalog::Catalog& catalog,
                          const store::BundleRecord& record, const ReviewViewer& viewer);

}  // namespace weft::bundles
