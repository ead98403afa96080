// SDK tests: `weft-bundle pack` — the archive's name and exact file listing, its reproducible
// metadata (owner 0, mtime 0, mode 0644), and byte-identical archives under SOURCE_DATE_EPOCH.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { runCli, tempDir, WEATHER_DIR, WITH_DEP_DIR } from "../test-support/helpers.mjs";

function tar(args) {
  const child = spawnSync("tar", args, { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim().split("\n");
}

function packInto(project, env = {}) {
  const out = tempDir();
  const result = runCli(["pack", project, "--out", out], { env });
  assert.equal(result.status, 0, result.stderr);
  return { out, stdout: result.stdout };
}

describe("pack", () => {
  test("writes <id>-<version>.bundle.tar.gz holding exactly the bundle's files", () => {
    const { out, stdout } = packInto(WEATHER_DIR);
    const archive = path.join(out, "weather-1.0.0.bundle.tar.gz");
    assert.ok(stdout.includes(archive), stdout);
    assert.deepEqual(tar(["-tzf", archive]), [
      "assets/icon.svg",
      "dist/index.js",
      "manifest.json",
      "meta/metafile.json",
      "meta/sbom.cdx.json",
    ]);
    for (const line of tar(["-tvzf", archive])) {
      assert.match(line, /^-rw-r--r-- 0\/0 +\d+ 1970-01-01 00:00 /, line);
    }
    const gzipHeader = readFileSync(archive).subarray(0, 10);
    assert.equal(gzipHeader.readUInt32LE(4), 0, "gzip header carries no time");
    const extracted = tempDir();
    tar(["-xzf", archive, "-C", extracted]);
    assert.deepEqual(
      JSON.parse(readFileSync(path.join(extracted, "manifest.json"), "utf8")),
      JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")),
    );
  });

  test("a project without assets packs without an assets/ entry", () => {
    const { out } = packInto(WITH_DEP_DIR);
    assert.deepEqual(tar(["-tzf", path.join(out, "with-dep-0.2.0.bundle.tar.gz")]), [
      "dist/index.js",
      "manifest.json",
      "meta/metafile.json",
      "meta/sbom.cdx.json",
    ]);
  });

  test("is byte-for-byte reproducible with SOURCE_DATE_EPOCH", () => {
    const env = { SOURCE_DATE_EPOCH: "1700000000" };
    const a = packInto(WITH_DEP_DIR, env).out;
    const b = packInto(WITH_DEP_DIR, env).out;
    const bytes = (dir) => readFileSync(path.join(dir, "with-dep-0.2.0.bundle.tar.gz"));
    assert.ok(bytes(a).equals(bytes(b)));
  });
});
