// SDK tests: owns the shared helpers — where things are, temporary folders that are removed
// after the test file, and running the weft-bundle CLI. Tests write only under os.tmpdir().

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SDK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(SDK_DIR, "..");
export const CLI = path.join(SDK_DIR, "bin", "weft-bundle.mjs");
export const WEATHER_DIR = path.join(REPO_DIR, "examples", "bundles", "weather");
export const WITH_DEP_DIR = path.join(SDK_DIR, "test", "fixtures", "with-dep");
export const WITH_SCRIPTS_DIR = path.join(SDK_DIR, "test", "fixtures", "with-scripts");
export const TSC = path.join(SDK_DIR, "node_modules", ".bin", "tsc");

const made = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// A fresh folder under os.tmpdir(), removed when the test file ends.
export function tempDir(label = "weft-sdk-test-") {
  const dir = mkdtempSync(path.join(os.tmpdir(), label));
  made.push(dir);
  return dir;
}

// Writes { relativePath: text } under `dir`; answers `dir`.
export function writeTree(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

// Runs `node weft-bundle.mjs ...args`; answers { status, stdout, stderr }.
export function runCli(args, { env = {} } = {}) {
  const child = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

// Imports a built dist/index.js into this process (a query string defeats the module cache).
let imports = 0;
export async function importDist(file) {
  return import(`${pathToFileURL(file).href}?n=${++imports}`);
}
