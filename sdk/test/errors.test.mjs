// SDK tests: the build tool's failures — each is one clear line on stderr and a non-zero exit
// (missing entry, esbuild errors, an invalid definition, a default export not from defineVendor,
// a bundle that throws, bad assets or icon, a dangerous --out, usage errors) — and its warning
// for a computed import().

import assert from "node:assert/strict";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { runCli, tempDir, writeTree } from "../test-support/helpers.mjs";

const SDK_IMPORT = 'import { defineProduct, defineTool, defineVendor } from "@weft/sdk";\n';

// A valid vendor whose one tool's body and vendor fields can be changed.
function vendorSource({ id = "demo", extra = "", body = "return { ok: true };" } = {}) {
  return `${SDK_IMPORT}
export default defineVendor({ id: ${JSON.stringify(id)}, name: "Demo", version: "1.0.0", auth: { type: "none" }, ${extra}
  products: [defineProduct({ id: "demo-core", name: "Demo", tools: [defineTool({
    id: ${JSON.stringify(`${id}.run`)}, name: "Run", description: "", inputSchema: {}, outputSchema: {},
    run: async () => { ${body} } })] })] });
`;
}

function project(files) {
  return writeTree(tempDir("weft-sdk-project-"), files);
}

// Builds `dir` (or runs `args`) and checks a one-line failure matching `pattern`.
function expectFailure(args, pattern, status = 1) {
  const result = runCli(args);
  assert.equal(result.status, status, `exit status; stderr: ${result.stderr}`);
  assert.equal(result.stdout, "");
  const lines = result.stderr.split("\n").filter(Boolean);
  assert.match(lines[0], /^weft-bundle: /);
  assert.match(lines[0], pattern);
  if (status === 1) assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  return lines[0];
}

const build = (dir) => ["build", dir, "--out", path.join(tempDir(), "out")];

describe("build failures", () => {
  test("a missing project folder", () => {
    expectFailure(["build", path.join(tempDir(), "nope")], /project folder .*nope does not exist/);
  });

  test("no entry file", () => {
    const dir = project({ "README.md": "empty\n" });
    expectFailure(build(dir), /no entry file in .*: expected src\/index\.ts or src\/index\.js, or "weft": \{ "entry": "…" \} in package\.json/);
  });

  test("a weft.entry that does not exist", () => {
    const dir = project({ "package.json": JSON.stringify({ weft: { entry: "lib/main.js" } }) });
    expectFailure(build(dir), /entry lib\/main\.js \(from "weft\.entry" in package\.json\) does not exist/);
  });

  test("weft.entry is used when present", () => {
    const dir = project({ "package.json": JSON.stringify({ weft: { entry: "lib/main.js" } }), "lib/main.js": vendorSource() });
    const result = runCli(build(dir));
    assert.equal(result.status, 0, result.stderr);
  });

  test("a syntax error is reported with its file, line and column", () => {
    const dir = project({ "src/index.js": `${SDK_IMPORT}export default defineVendor({ id: "x" ]);\n` });
    expectFailure(build(dir), /^weft-bundle: esbuild failed: src\/index\.js:2:39: Expected "}" but found "]"$/);
  });

  test("a package that cannot be resolved (Node built-ins included)", () => {
    const dir = project({ "src/index.ts": `import { readFileSync } from "node:fs";\n${vendorSource({ body: "return readFileSync('x', 'utf8');" })}` });
    expectFailure(build(dir), /esbuild failed: src\/index\.ts:1:\d+: Could not resolve "node:fs"/);
  });

  test("an invalid definition lists every problem on one line", () => {
    const dir = project({ "src/index.js": vendorSource({ id: "Bad_Id", extra: 'network: { allowedHosts: ["https://x"] },' }) });
    const line = expectFailure(build(dir), /^weft-bundle: definition invalid: /);
    assert.ok(line.includes('id "Bad_Id" must match /^[a-z][a-z0-9-]*$/'), line);
    assert.ok(line.includes('network.allowedHosts[0] "https://x" must be a lower-case host such as'), line);
    assert.equal(line.split("; ").length, 2, "exactly the two problems");
  });

  test("a default export that is not a defineVendor result", () => {
    const handWritten = project({ "src/index.js": 'export default { id: "x", tools: { "x.a": () => 1 } };\n' });
    expectFailure(build(handWritten), /the default export is not a defineVendor\(\.\.\.\) result from @weft\/sdk: write `export default defineVendor\(\{ … \}\)`/);
    const none = project({ "src/index.js": `${SDK_IMPORT}export const vendor = 1;\n` });
    expectFailure(build(none), /the default export is not a defineVendor/);
  });

  test("a bundle that throws while loading", () => {
    const dir = project({ "src/index.js": `${SDK_IMPORT}throw new Error("boom at load");\n` });
    expectFailure(build(dir), /the bundle threw while loading: Error: boom at load$/);
  });

  test("an import of a URL is refused", () => {
    const dir = project({ "src/index.js": vendorSource({ body: 'return import("https://cdn.example.com/x.js");' }) });
    expectFailure(build(dir), /dist\/index\.js still imports .*"https:\/\/cdn\.example\.com\/x\.js"; the sandbox refuses every import/);
  });

  test("an icon path that is not among the assets", () => {
    const dir = project({ "src/index.js": vendorSource({ extra: 'icon: "assets/logo.svg",' }) });
    expectFailure(build(dir), /icon "assets\/logo\.svg" is not in the bundle/);
  });

  test("assets of a type the upload refuses, or symlinks", () => {
    const text = project({ "src/index.js": vendorSource(), "assets/notes.txt": "hi\n" });
    expectFailure(build(text), /assets\/notes\.txt: a bundle may only hold \.js\.map \.js \.json \.svg \.png \.jpg files/);
    const linked = project({ "src/index.js": vendorSource(), "assets/a.svg": "<svg/>" });
    symlinkSync(path.join(linked, "assets", "a.svg"), path.join(linked, "assets", "b.svg"));
    expectFailure(build(linked), /assets\/b\.svg is a symlink/);
  });

  test("--out may not be the project folder", () => {
    const dir = project({ "src/index.js": vendorSource(), "assets/icon.svg": "<svg/>" });
    expectFailure(["build", dir, "--out", dir], /must not be the project folder/);
    expectFailure(["build", dir, "--out", path.dirname(dir)], /must not be the project folder or hold it/);
    assert.ok(existsSync(path.join(dir, "assets", "icon.svg")), "nothing was deleted");
  });
});

describe("warnings and usage", () => {
  test("a computed import() builds, with a warning, into code without import()", () => {
    const dir = project({ "src/index.js": vendorSource({ body: 'const name = "./x" + Math.random(); return import(name);' }) });
    const out = tempDir();
    const result = runCli(["build", dir, "--out", out]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^weft-bundle: warning: dist\/index\.js loads a module at run time that could not be bundled/);
    assert.doesNotMatch(readFileSync(path.join(out, "dist", "index.js"), "utf8"), /\bimport\s*\(/);
  });

  test("usage errors exit 2 with the usage text", () => {
    expectFailure([], /missing command/, 2);
    expectFailure(["deploy", "."], /unknown command "deploy"/, 2);
    expectFailure(["build"], /missing <projectDir>/, 2);
    expectFailure(["build", ".", "--watch"], /unknown option --watch/, 2);
    expectFailure(["pack", ".", "--out"], /--out needs a folder/, 2);
    const help = runCli(["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: weft-bundle build <projectDir>/);
  });
});
