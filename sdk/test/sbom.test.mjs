// SDK tests: meta/sbom.cdx.json and meta/metafile.json of the with-dep fixture — CycloneDX 1.6
// shape, one component per npm package esbuild actually bundled (tiny-lib and the SDK, not the
// tree-shaken unused-lib), licenses, purls and file evidence; and the fixture's manifest.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import { npmPurl, sbomFor } from "../lib/sbom.mjs";
import { runCli, tempDir, WITH_DEP_DIR, WITH_SCRIPTS_DIR } from "../test-support/helpers.mjs";

const out = tempDir();
const readJson = (rel) => JSON.parse(readFileSync(path.join(out, rel), "utf8"));
let sbom;

before(() => {
  const result = runCli(["build", WITH_DEP_DIR, "--out", out]);
  assert.equal(result.status, 0, result.stderr);
  sbom = readJson("meta/sbom.cdx.json");
});

describe("SBOM", () => {
  test("has the CycloneDX 1.6 document shape", () => {
    assert.equal(sbom.bomFormat, "CycloneDX");
    assert.equal(sbom.specVersion, "1.6");
    assert.match(sbom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(sbom.version, 1);
    assert.ok(!Number.isNaN(Date.parse(sbom.metadata.timestamp)));
    assert.match(sbom.metadata.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.deepEqual(
      { type: sbom.metadata.component.type, name: sbom.metadata.component.name, version: sbom.metadata.component.version },
      { type: "application", name: "with-dep", version: "0.2.0" },
    );
    assert.ok(Array.isArray(sbom.components));
    const refs = sbom.components.map((c) => c["bom-ref"]);
    assert.equal(new Set(refs).size, refs.length, "bom-refs are unique");
  });

  test("lists tiny-lib with its MIT license, purl and the bundled file only", () => {
    const tiny = sbom.components.find((c) => c.name === "tiny-lib");
    assert.ok(tiny, "tiny-lib is a component");
    assert.deepEqual(tiny, {
      type: "library",
      "bom-ref": "pkg:npm/tiny-lib@1.2.3",
      name: "tiny-lib",
      version: "1.2.3",
      description: "Test fixture: a tiny string library bundled by the with-dep fixture.",
      licenses: [{ license: { id: "MIT" } }],
      purl: "pkg:npm/tiny-lib@1.2.3",
      evidence: { occurrences: [{ location: "node_modules/tiny-lib/shout.js" }] },
    });
  });

  test("leaves out what tree shaking removed, and lists the SDK (scoped purl)", () => {
    assert.deepEqual(sbom.components.map((c) => c.name), ["@weft/sdk", "tiny-lib"]);
    const sdk = sbom.components[0];
    assert.equal(sdk.purl, "pkg:npm/%40weft/sdk@0.1.0");
    assert.equal(sdk.evidence.occurrences.length, 1);
    assert.match(sdk.evidence.occurrences[0].location, /(^|\/)index\.js$/);
    const metafile = readJson("meta/metafile.json");
    assert.ok(Object.keys(metafile.inputs).some((p) => p.includes("node_modules/unused-lib/")), "unused-lib was read");
  });

  test("purls follow the purl spec for npm", () => {
    assert.equal(npmPurl("left-pad", "1.3.0"), "pkg:npm/left-pad@1.3.0");
    assert.equal(npmPurl("@babel/core", "7.0.0"), "pkg:npm/%40babel/core@7.0.0");
    assert.equal(npmPurl("x", "1.0.0+build.1"), "pkg:npm/x@1.0.0%2Bbuild.1");
  });

  test("licenses map to id, expression or name; SOURCE_DATE_EPOCH makes it reproducible", () => {
    const manifest = { id: "v", name: "V", version: "1.0.0" };
    const pkg = (name, license) => ({ name, version: "1.0.0", license, files: [`node_modules/${name}/index.js`] });
    const packages = [pkg("a", "Apache-2.0"), pkg("b", "(MIT OR Apache-2.0)"), pkg("c", "SEE LICENSE IN LICENSE.txt"), pkg("d", undefined)];
    const first = sbomFor({ manifest, packages, sourceDateEpoch: "86400" });
    assert.deepEqual(first.components.map((c) => c.licenses), [
      [{ license: { id: "Apache-2.0" } }],
      [{ expression: "(MIT OR Apache-2.0)" }],
      [{ license: { name: "SEE LICENSE IN LICENSE.txt" } }],
      undefined,
    ]);
    assert.equal(first.metadata.timestamp, "1970-01-02T00:00:00Z");
    assert.deepEqual(sbomFor({ manifest, packages, sourceDateEpoch: "86400" }), first);
    assert.notEqual(sbomFor({ manifest, packages }).serialNumber, first.serialNumber);
  });
});

describe("with-dep manifest", () => {
  test("has the tool, the trigger and the declared dependency", () => {
    const manifest = readJson("manifest.json");
    assert.equal(manifest.icon, undefined);
    assert.deepEqual(manifest.capabilities, ["tools"]);
    assert.deepEqual(manifest.network, { allowedHosts: [] });
    const [product] = manifest.products;
    assert.equal(product.category, "Other");
    assert.deepEqual(product.dependencies, [{ name: "tiny-lib", version: "1.2.3", reason: "shouting" }]);
    assert.deepEqual(product.blocks.map((b) => [b.id, b.category]), [["with-dep.shout", "tools"], ["with-dep.tick", "triggers"]]);
  });
});

describe("install scripts", () => {
  let scripted;
  before(() => {
    const dir = tempDir();
    const result = runCli(["build", WITH_SCRIPTS_DIR, "--out", dir]);
    assert.equal(result.status, 0, result.stderr);
    scripted = JSON.parse(readFileSync(path.join(dir, "meta/sbom.cdx.json"), "utf8"));
  });

  test("a package with preinstall and postinstall gets the weft:npm:installScripts property, in npm's order", () => {
    const hooked = scripted.components.find((c) => c.name === "hooked-lib");
    assert.ok(hooked, "hooked-lib is a component");
    assert.deepEqual(hooked.properties, [{ name: "weft:npm:installScripts", value: "preinstall,postinstall" }]);
    assert.equal(hooked.purl, "pkg:npm/hooked-lib@2.0.1");
  });

  test("packages without install scripts get no property (a plain \"test\" script is not one)", () => {
    assert.deepEqual(scripted.components.map((c) => c.name), ["@fixture/quiet-lib", "@weft/sdk", "hooked-lib"]);
    for (const name of ["@fixture/quiet-lib", "@weft/sdk"]) {
      assert.equal(scripted.components.find((c) => c.name === name).properties, undefined, name);
    }
    assert.equal(sbom.components.find((c) => c.name === "tiny-lib").properties, undefined);
  });

  test("sbomFor writes the three script names comma-separated, and nothing for an empty list", () => {
    const manifest = { id: "v", name: "V", version: "1.0.0" };
    const pkg = (name, installScripts) => ({ name, version: "1.0.0", installScripts, files: [`node_modules/${name}/i.js`] });
    const doc = sbomFor({ manifest, packages: [pkg("a", ["preinstall", "install", "postinstall"]), pkg("b", []), pkg("c", undefined)] });
    assert.deepEqual(doc.components.map((c) => c.properties), [
      [{ name: "weft:npm:installScripts", value: "preinstall,install,postinstall" }],
      undefined,
      undefined,
    ]);
  });
});
