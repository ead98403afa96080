// weft-bundle: owns finding a bundle project's entry file — `weft.entry` in its package.json,
// else src/index.ts, else src/index.js. It reads the project; it never writes to it.

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { BundleError } from "./errors.mjs";

const DEFAULT_ENTRIES = ["src/index.ts", "src/index.js"];

// Answers { dir, entry } with absolute paths, or throws a BundleError.
export function resolveProject(projectDir) {
  const dir = path.resolve(projectDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BundleError(`project folder ${dir} does not exist`);
  }
  const configured = readPackageJson(dir)?.weft?.entry;
  if (configured !== undefined) {
    if (typeof configured !== "string" || configured === "") {
      throw new BundleError(`${path.join(dir, "package.json")}: "weft.entry" must be a path such as "src/index.ts"`);
    }
    const entry = path.resolve(dir, configured);
    if (!existsSync(entry)) {
      throw new BundleError(`entry ${configured} (from "weft.entry" in package.json) does not exist in ${dir}`);
    }
    return { dir, entry };
  }
  for (const candidate of DEFAULT_ENTRIES) {
    const entry = path.join(dir, candidate);
    if (existsSync(entry)) return { dir, entry };
  }
  throw new BundleError(
    `no entry file in ${dir}: expected ${DEFAULT_ENTRIES.join(" or ")}, or "weft": { "entry": "…" } in package.json`,
  );
}

function readPackageJson(dir) {
  const file = path.join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new BundleError(`${file} is not valid JSON: ${e.message}`);
  }
}
