// SDK tests: `weft-bundle build` on the weather example — dist/index.js is one import-free ES
// module, manifest.json is exactly the code's definition, the tools run in Node with a fake ctx
// and in a sandbox-like V8 context through a host defineVendor, and assets are copied.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import { importDist, runCli, SDK_DIR, tempDir, WEATHER_DIR } from "../test-support/helpers.mjs";

const out = tempDir();
const hadBuildFolder = existsSync(path.join(WEATHER_DIR, "build"));
const dist = path.join(out, "dist", "index.js");
const readJson = (rel) => JSON.parse(readFileSync(path.join(out, rel), "utf8"));

before(() => {
  const result = runCli(["build", WEATHER_DIR, "--out", out]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^weft-bundle: built weather 1\.0\.0: 1 product\(s\), 2 block\(s\), 1 SBOM component\(s\) in /);
});

function fakeCtx(overrides = {}) {
  const logs = [];
  const fetches = [];
  return {
    logs,
    fetches,
    ctx: {
      auth: null,
      ids: { orgId: "org_1", runId: "run_1", stepId: "now" },
      idempotencyKey: "run_1:now:1",
      log: (level, message, fields) => logs.push({ level, message, fields }),
      fetch: async (url, init) => {
        fetches.push({ url, init });
        const body = { current: { temperature_2m: 21.5 }, current_units: { temperature_2m: "°C" } };
        return { status: 200, ok: true, url, headers: {}, text: async () => JSON.stringify(body), json: async () => body };
      },
      ...overrides,
    },
  };
}

describe("weather build", () => {
  test("writes the bundle layout and nothing into the example folder", () => {
    for (const rel of ["dist/index.js", "manifest.json", "meta/metafile.json", "meta/sbom.cdx.json", "assets/icon.svg"]) {
      assert.ok(existsSync(path.join(out, rel)), `${rel} exists`);
    }
    if (!hadBuildFolder) assert.ok(!existsSync(path.join(WEATHER_DIR, "build")), "no build/ in the source tree");
  });

  test("dist/index.js has no import statement and a default export", () => {
    const code = readFileSync(dist, "utf8");
    assert.doesNotMatch(code, /^\s*import[\s{*"']/m, "no static import");
    assert.doesNotMatch(code, /\bimport\s*\(/, "no dynamic import()");
    assert.doesNotMatch(code, /\brequire\s*\(/, "no require()");
    assert.match(code, /export\s*\{[^}]*\bas default\b/);
    const metafile = readJson("meta/metafile.json");
    for (const output of Object.values(metafile.outputs)) assert.deepEqual(output.imports, []);
  });

  test("manifest.json is the definition the code exports", async () => {
    const manifest = readJson("manifest.json");
    const { default: vendor } = await importDist(dist);
    const def = vendor.definition;
    assert.deepEqual(Object.keys(manifest), ["id", "name", "version", "icon", "auth", "capabilities", "network", "products"]);
    assert.deepEqual(
      { id: manifest.id, name: manifest.name, version: manifest.version, icon: manifest.icon, auth: manifest.auth },
      { id: "weather", name: "Weather", version: "1.0.0", icon: "assets/icon.svg", auth: { type: "api_key" } },
    );
    assert.deepEqual(manifest.network, { allowedHosts: ["api.open-meteo.com"] });
    assert.deepEqual(manifest.capabilities, def.capabilities);
    assert.equal(manifest.products.length, def.products.length);
    manifest.products.forEach((product, p) => {
      const source = def.products[p];
      assert.deepEqual(
        { id: product.id, name: product.name, category: product.category, dependencies: product.dependencies },
        { id: source.id, name: source.name, category: source.category, dependencies: source.dependencies },
      );
      assert.deepEqual(product.blocks, source.tools.map(({ id, name, description, category, inputSchema, outputSchema }) =>
        ({ id, name, description, category, inputSchema, outputSchema })));
    });
    assert.deepEqual(manifest.products[0].blocks.map((b) => b.id), ["weather.current", "weather.describe"]);
    assert.deepEqual(manifest.products[0].blocks[0].inputSchema.required, ["latitude", "longitude"]);
    assert.deepEqual(Object.keys(vendor.tools), ["weather.current", "weather.describe"]);
  });

  test("weather.describe runs in Node with a fake ctx, without touching the network", async () => {
    const { default: vendor } = await importDist(dist);
    const { ctx, fetches } = fakeCtx();
    assert.deepEqual(await vendor.tools["weather.describe"]({ temperature: 21 }, ctx), { word: "mild", bytes: 4 });
    assert.deepEqual(await vendor.tools["weather.describe"]({ temperature: -3 }, ctx), { word: "freezing", bytes: 8 });
    assert.equal(fetches.length, 0);
  });

  test("weather.current asks ctx.fetch for an allowed host and logs", async () => {
    const { default: vendor } = await importDist(dist);
    const { ctx, fetches, logs } = fakeCtx({ auth: { api_key: "k-123" } });
    const output = await vendor.tools["weather.current"]({ latitude: 52.52, longitude: 13.41 }, ctx);
    assert.deepEqual(output, { temperature: 21.5, unit: "°C" });
    assert.equal(fetches.length, 1);
    const url = new URL(fetches[0].url);
    assert.equal(url.host, "api.open-meteo.com");
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      latitude: "52.52", longitude: "13.41", current: "temperature_2m", apikey: "k-123",
    });
    assert.equal(logs.length, 1);
    assert.equal(logs[0].level, "info");
  });

  test("weather.current turns an HTTP error into a thrown error", async () => {
    const { default: vendor } = await importDist(dist);
    const { ctx } = fakeCtx({
      fetch: async (url) => ({ status: 503, ok: false, url, headers: {}, text: async () => "", json: async () => ({}) }),
    });
    await assert.rejects(vendor.tools["weather.current"]({ latitude: 0, longitude: 0 }, ctx), /HTTP 503/);
  });

  test("the bundle loads in a sandbox-like context through the host's defineVendor", () => {
    const child = spawnSync(process.execPath, [
      "--experimental-vm-modules", "--no-warnings",
      path.join(SDK_DIR, "test-support", "sandbox-like.mjs"), dist, "weather.describe", '{"temperature":30}',
    ], { encoding: "utf8", timeout: 30_000 });
    assert.equal(child.status, 0, child.stderr);
    const answer = JSON.parse(child.stdout);
    assert.deepEqual(answer.specifiers, [], "no module requests");
    assert.deepEqual(answer.hostCalls, [{ id: "weather", tools: ["weather.current", "weather.describe"], keys: ["id", "tools", "definition"] }]);
    assert.deepEqual(answer.output, { word: "warm", bytes: 4 });
    assert.deepEqual(answer.leaked, []);
  });

  test("--minify still gives a working bundle", async () => {
    const small = tempDir();
    const result = runCli(["build", WEATHER_DIR, "--out", small, "--minify"]);
    assert.equal(result.status, 0, result.stderr);
    const minified = path.join(small, "dist", "index.js");
    assert.ok(readFileSync(minified, "utf8").length < readFileSync(dist, "utf8").length);
    const { default: vendor } = await importDist(minified);
    assert.deepEqual(await vendor.tools["weather.describe"]({ temperature: 40 }, fakeCtx().ctx), { word: "hot", bytes: 3 });
  });
});
