// weft-bundle: owns finding which npm packages esbuild actually put into the output: every
// metafile output input with bytes in the output, grouped by the package folder it lies in
// (the last node_modules/<name> or node_modules/@scope/<name> of its path; this SDK's index.js,
// which the build aliases @weft/sdk to, counts as the package @weft/sdk). Tree-shaken files have no bytes in the output and are left out.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { SDK_DIR, SDK_ENTRY } from "./sdk-info.mjs";

// Answers [{ name, version, license, description, installScripts, files: [metafile paths] }],
// sorted by name then version. installScripts: which of preinstall, install, postinstall the
// package.json `scripts` declares, in that order ([] when none). Throws a plain Error if a
// package folder has no readable package.json.
export function bundledPackages(metafile, workingDir) {
  const byFolder = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
      if (!bytesInOutput) continue;
      const folder = packageFolder(input, workingDir);
      if (!folder) continue;
      if (!byFolder.has(folder)) byFolder.set(folder, new Set());
      byFolder.get(folder).add(input);
    }
  }
  const byPurlKey = new Map();
  for (const [folder, files] of byFolder) {
    const pkg = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
    const key = `${pkg.name}@${pkg.version}`;
    const entry = byPurlKey.get(key) ?? {
      name: pkg.name,
      version: pkg.version,
      license: licenseOf(pkg),
      description: typeof pkg.description === "string" ? pkg.description : undefined,
      installScripts: [],
      files: [],
    };
    for (const script of installScriptsOf(pkg)) {
      if (!entry.installScripts.includes(script)) entry.installScripts.push(script);
    }
    entry.files.push(...files);
    entry.installScripts.sort((a, b) => INSTALL_SCRIPTS.indexOf(a) - INSTALL_SCRIPTS.indexOf(b));
    byPurlKey.set(key, entry);
  }
  const packages = [...byPurlKey.values()];
  for (const p of packages) p.files.sort();
  return packages.sort((a, b) => (a.name === b.name ? cmp(a.version, b.version) : cmp(a.name, b.name)));
}

// npm runs these three on install (docs.npmjs.com, "scripts"); a bundle never runs them, but an
// organization may refuse packages that have them.
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];

function installScriptsOf(pkg) {
  const scripts = pkg.scripts && typeof pkg.scripts === "object" ? pkg.scripts : {};
  return INSTALL_SCRIPTS.filter((name) => typeof scripts[name] === "string" && scripts[name].trim() !== "");
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The absolute package folder a metafile input belongs to, or undefined for the project's own
// code and esbuild's virtual modules.
function packageFolder(input, workingDir) {
  if (input.includes(":") && !path.isAbsolute(input)) return undefined;  // e.g. "<define:…>", "(disabled):…"
  const abs = path.resolve(workingDir, input);
  const parts = abs.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at >= 0 && at + 1 < parts.length - 1) {
    const nameParts = parts[at + 1].startsWith("@") ? 2 : 1;
    const folder = parts.slice(0, at + 1 + nameParts).join(path.sep);
    if (existsSync(path.join(folder, "package.json"))) return folder;
    return undefined;
  }
  if (abs === SDK_ENTRY) return SDK_DIR;
  return undefined;
}

// The package.json license: a string (SPDX id or expression), or the legacy { type } / [{ type }].
function licenseOf(pkg) {
  if (typeof pkg.license === "string") return pkg.license;
  if (pkg.license && typeof pkg.license.type === "string") return pkg.license.type;
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.map((l) => l?.type).filter((t) => typeof t === "string");
    if (types.length === 1) return types[0];
    if (types.length > 1) return `(${types.join(" OR ")})`;
  }
  return undefined;
}
