// weft-bundle: owns `pack` — build, then archive the bundle folder as
// <out>/<id>-<version>.bundle.tar.gz, reproducibly (sorted names, owner 0, mtime 0, mode 0644,
// gzip without name or time) with the system tar and gzip. Only files go in, no directories.

import { renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

import { build } from "./build.mjs";
import { BundleError } from "./errors.mjs";

const MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;  // the upload limit (DESIGN.md §3 "Bundle")

// Answers the build result plus { archive } (absolute path of the .bundle.tar.gz).
export async function pack(projectDir, options = {}) {
  const built = await build(projectDir, options);
  const { outDir, manifest, files } = built;
  const archive = path.join(outDir, `${manifest.id}-${manifest.version}.bundle.tar.gz`);
  const tarFile = `${archive}.partial.tar`;
  rmSync(tarFile, { force: true });
  rmSync(`${tarFile}.gz`, { force: true });
  run("tar", [
    "--create", "--file", tarFile, "--directory", outDir, "--format=gnu",
    "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--mode=a=r,u+w",
    "--no-recursion", "--", ...files,
  ]);
  run("gzip", ["-n", "-9", "--force", tarFile]);
  renameSync(`${tarFile}.gz`, archive);
  const size = statSync(archive).size;
  if (size > MAX_ARCHIVE_BYTES) {
    throw new BundleError(`${archive} is ${(size / 1048576).toFixed(1)} MB; uploads are capped at 50 MB`);
  }
  return { ...built, archive };
}

function run(command, args) {
  const child = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (child.error) throw new BundleError(`cannot run ${command}: ${child.error.message}`);
  if (child.status !== 0) {
    throw new BundleError(`${command} failed (exit ${child.status}): ${child.stderr.trim().split("\n")[0]}`);
  }
}
