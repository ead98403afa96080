// weft-bundle: owns `build` — the order of the steps that turn a project folder into a bundle
// folder: dist/index.js, manifest.json, meta/metafile.json, meta/sbom.cdx.json, assets/. Under
// the output folder it only ever replaces manifest.json, dist/, meta/ and assets/.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { checkIcon, copyAssets } from "./assets.mjs";
import { bundleCode, DIST_FILE } from "./bundle-code.mjs";
import { bundledPackages } from "./bundled-packages.mjs";
import { loadDefinition } from "./definition.mjs";
import { BundleError } from "./errors.mjs";
import { manifestFromDefinition } from "./manifest.mjs";
import { resolveProject } from "./project.mjs";
import { sbomFor } from "./sbom.mjs";

const OWNED = ["manifest.json", "dist", "meta", "assets"];

// Answers { outDir, manifest, sbom, files, warnings }: files are the bundle's paths relative to
// outDir, warnings one-line strings about code that builds but may fail in the sandbox.
export async function build(projectDir, { out, minify = false } = {}) {
  const project = resolveProject(projectDir);
  const outDir = path.resolve(out ?? path.join(project.dir, "build"));
  if (outDir === project.dir || project.dir.startsWith(outDir + path.sep)) {
    throw new BundleError(`--out ${outDir} must not be the project folder or hold it; use e.g. ${path.join(project.dir, "build")}`);
  }
  for (const name of OWNED) rmSync(path.join(outDir, name), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const { metafile, warnings } = await bundleCode({ entry: project.entry, bundleDir: outDir, workingDir: project.dir, minify });
  const manifest = manifestFromDefinition(loadDefinition(path.join(outDir, DIST_FILE)));

  const files = [DIST_FILE, "manifest.json", "meta/metafile.json", "meta/sbom.cdx.json"];
  files.push(...copyAssets(project.dir, outDir));
  checkIcon(manifest.icon, files);

  let packages;
  try {
    packages = bundledPackages(metafile, project.dir);
  } catch (e) {
    throw new BundleError(`cannot list the bundled npm packages for the SBOM: ${e.message}`);
  }
  const sbom = sbomFor({ manifest, packages });

  writeJson(path.join(outDir, "manifest.json"), manifest);
  writeJson(path.join(outDir, "meta", "metafile.json"), metafile);
  writeJson(path.join(outDir, "meta", "sbom.cdx.json"), sbom);
  return { outDir, manifest, sbom, files: files.sort(), warnings };
}

function writeJson(file, value) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}
