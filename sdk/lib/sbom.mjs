// weft-bundle: owns writing the CycloneDX 1.6 JSON SBOM of a bundle: the bundle itself as
// metadata.component and one "library" component per npm package esbuild bundled, with its
// license, purl and the bundled files as evidence. Set SOURCE_DATE_EPOCH for a reproducible
// SBOM (fixed timestamp, serial number derived from the content).

import { createHash, randomUUID } from "node:crypto";

import { SDK_PACKAGE } from "./sdk-info.mjs";

// The component property naming a package's install scripts ("preinstall,postinstall"); the
// server's dependency review reads it (src/bundles/dependency_review.cpp).
export const INSTALL_SCRIPTS_PROPERTY = "weft:npm:installScripts";

// `packages` comes from bundledPackages(); `manifest` is the bundle's manifest.json.
export function sbomFor({ manifest, packages, sourceDateEpoch = process.env.SOURCE_DATE_EPOCH }) {
  const reproducible = sourceDateEpoch !== undefined && /^\d+$/.test(sourceDateEpoch);
  const timestamp = reproducible
    ? new Date(Number(sourceDateEpoch) * 1000).toISOString().replace(/\.000Z$/, "Z")
    : new Date().toISOString();
  const body = {
    metadata: {
      timestamp,
      tools: {
        components: [{ type: "application", name: "weft-bundle", version: SDK_PACKAGE.version }],
      },
      component: {
        type: "application",
        "bom-ref": `weft-bundle:${manifest.id}@${manifest.version}`,
        name: manifest.id,
        version: manifest.version,
        description: `Weft custom integration "${manifest.name}"`,
      },
    },
    components: packages.map(componentFor),
  };
  const serial = reproducible ? uuidFromContent(JSON.stringify(body)) : randomUUID();
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${serial}`,
    version: 1,
    ...body,
  };
}

function componentFor(pkg) {
  const purl = npmPurl(pkg.name, pkg.version);
  const component = { type: "library", "bom-ref": purl, name: pkg.name, version: pkg.version };
  if (pkg.description) component.description = pkg.description;
  const licenses = cyclonedxLicenses(pkg.license);
  if (licenses) component.licenses = licenses;
  component.purl = purl;
  component.evidence = { occurrences: pkg.files.map((location) => ({ location })) };
  if (pkg.installScripts?.length) {
    component.properties = [{ name: INSTALL_SCRIPTS_PROPERTY, value: pkg.installScripts.join(",") }];
  }
  return component;
}

// purl spec, npm type: the scope is the namespace, its "@" percent-encoded ("%40scope").
export function npmPurl(name, version) {
  const [scope, bare] = name.startsWith("@") ? name.split("/", 2) : [undefined, name];
  const namespace = scope ? `${encodeURIComponent(scope)}/` : "";
  return `pkg:npm/${namespace}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

// An SPDX id becomes { license: { id } }, an SPDX expression { expression }, anything else
// ("UNLICENSED", "SEE LICENSE IN …") { license: { name } }.
function cyclonedxLicenses(license) {
  if (!license) return undefined;
  if (/^[A-Za-z0-9.+-]+$/.test(license) && license !== "UNLICENSED") return [{ license: { id: license } }];
  if (/ (OR|AND|WITH) /.test(license)) return [{ expression: license }];
  return [{ license: { name: license } }];
}

// A version-4-shaped UUID from a SHA-256 of `text`, so the same SBOM gets the same serial number.
function uuidFromContent(text) {
  const hex = createHash("sha256").update(text).digest("hex").slice(0, 32).split("");
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
