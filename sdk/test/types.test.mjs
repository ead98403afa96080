// SDK tests: index.d.ts — the weather example type-checks against it (tsc --noEmit, @weft/sdk
// path-mapped to sdk/), the sandbox globals are declared, and wrong usages fail to compile
// with the expected errors.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { SDK_DIR, tempDir, TSC, WEATHER_DIR, writeTree } from "../test-support/helpers.mjs";

function tsc(args) {
  assert.ok(existsSync(TSC), `${TSC} is missing: run \`npm ci\` in sdk/ (scripts/setup.sh does)`);
  const child = spawnSync(TSC, args, { encoding: "utf8", timeout: 60_000 });
  if (child.error) throw child.error;
  return { status: child.status, output: child.stdout + child.stderr };
}

// A temporary TypeScript project holding `source` as main.ts, compiled like the example.
function compile(source) {
  const dir = writeTree(tempDir("weft-sdk-types-"), {
    "main.ts": source,
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "ESNext", moduleResolution: "bundler", lib: ["ES2022"], types: [],
        strict: true, noEmit: true, paths: { "@weft/sdk": [SDK_DIR] },
      },
      files: ["main.ts"],
    }),
  });
  return tsc(["-p", path.join(dir, "tsconfig.json")]);
}

const IMPORTS = 'import { defineProduct, defineTool, defineTrigger, defineVendor } from "@weft/sdk";\n';

describe("types", () => {
  test("the weather example type-checks", () => {
    const { status, output } = tsc(["-p", path.join(WEATHER_DIR, "tsconfig.json")]);
    assert.equal(status, 0, output);
  });

  test("the ctx API, triggers and every sandbox global type-check", () => {
    const { status, output } = compile(`${IMPORTS}
const hook = defineTrigger({ id: "acme.hook", name: "Hook", description: "", inputSchema: {}, outputSchema: {},
  run: async (_input: unknown, ctx) => {
    ctx.log("debug", "hello", { n: 1 });
    const res = await ctx.fetch("https://api.acme.com/x", { method: "POST", body: { a: [1, "b"] }, timeoutMs: 500 });
    const status: number = res.status;
    const type: string | undefined = res.headers["content-type"];
    const key = ctx.auth && "api_key" in ctx.auth ? ctx.auth.api_key : null;
    const id: string = ctx.ids.runId + ctx.ids.orgId + ctx.ids.stepId + ctx.idempotencyKey;
    const bytes = crypto.getRandomValues(new Uint8Array(4));
    const text = new TextDecoder().decode(new TextEncoder().encode(atob(btoa("x"))));
    const url = new URL("/p?q=1", "https://api.acme.com");
    url.searchParams.append("r", String(new URLSearchParams("a=1").get("a")));
    const timer = setTimeout(() => console.info("tick"), 10);
    clearTimeout(timer);
    console.log(structuredClone({ bytes: bytes.length }), await res.text());
    const cursor: number = typeof ctx.state === "number" ? ctx.state : 0;
    return { items: [{ id: cursor + 1, status, type: type ?? null, key, id2: id, text, url: url.href, uuid: crypto.randomUUID() }],
             state: cursor + 1 };
  } });
const noId = defineTrigger({ id: "acme.noid", name: "N", description: "", inputSchema: {}, outputSchema: {},
  // @ts-expect-error an item needs an id
  run: async () => ({ items: [{ title: "x" }], state: null }) });
export default defineVendor({ id: "acme", name: "Acme", version: "1.0.0",
  auth: { type: "oauth2", authorizeUrl: "https://acme.com/a", tokenUrl: "https://acme.com/t", scopes: ["r"] },
  products: [defineProduct({ id: "acme-core", name: "Acme", tools: [], triggers: [hook, noId],
    dependencies: [{ name: "zod", version: "3.24.0", reason: "validation" }] })] });
`);
    assert.equal(status, 0, output);
  });

  test("wrong usages fail to type-check, each with its error", () => {
    const lines = [
      IMPORTS.trimEnd(),
      /* 2: fine alone, wrong in a vendor "acme" (line 9) */ 'const other = defineTool({ id: "other.x", name: "X", description: "", inputSchema: {}, outputSchema: {}, run: () => null });',
      /* 3 */ 'const noDot = defineTool({ id: "nodot", name: "X", description: "", inputSchema: {}, outputSchema: {}, run: () => null });',
      /* 4 */ 'const fnOut = defineTool({ id: "acme.f", name: "F", description: "", inputSchema: {}, outputSchema: {}, run: () => () => 1 });',
      /* 5 */ 'const badSchema = defineTool({ id: "acme.s", name: "S", description: "", inputSchema: { type: "obj" }, outputSchema: {}, run: () => 1 });',
      /* 6 */ 'const badCtx = defineTool({ id: "acme.c", name: "C", description: "", inputSchema: {}, outputSchema: {}, run: async (_i, ctx) => { ctx.log("verbose", "x"); await ctx.fetch("https://a", { body: 3 }); return 1; } });',
      /* 7 */ 'const noRun = defineTool({ id: "acme.n", name: "N", description: "", inputSchema: {}, outputSchema: {} });',
      /* 8 */ 'const badCategory = defineTool({ id: "acme.k", name: "K", description: "", inputSchema: {}, outputSchema: {}, category: "triggers", run: () => 1 });',
      /* 9 */ 'export const wrongVendor = defineVendor({ id: "acme", name: "A", version: "1", auth: { type: "none" }, products: [defineProduct({ id: "p", name: "P", tools: [other] })] });',
      /* 10 */ 'export const badAuth = defineVendor({ id: "acme", name: "A", version: "1", auth: { type: "password" }, products: [] });',
      /* 11 */ 'export const noName = defineVendor({ id: "acme", version: "1", auth: { type: "none" }, products: [] });',
      /* 12 */ 'const env = process.env.HOME; const buf = Buffer.from("x"); const fs = require("fs");',
      /* 13 */ 'const page = document.title; const res = fetch("https://a");',
      'export { noDot, fnOut, badSchema, badCtx, noRun, badCategory, env, buf, fs, page, res };',
    ];
    const { status, output } = compile(lines.join("\n") + "\n");
    assert.notEqual(status, 0, "tsc must fail");
    const errorLines = new Set([...output.matchAll(/main\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1])));
    for (let line = 3; line <= 13; line++) {
      assert.ok(errorLines.has(line), `line ${line} (${lines[line - 1]}) must not type-check; tsc said:\n${output}`);
    }
    assert.match(output, /'"verbose"' is not assignable to parameter of type 'LogLevel'/);
    assert.match(output, /'"other\.x"' is not assignable to type '`acme\.\$\{string\}`'/);
    assert.match(output, /Cannot find name 'process'/);
    assert.match(output, /Cannot find name 'Buffer'/);
    assert.match(output, /Cannot find name 'require'/);
    assert.match(output, /Cannot find name 'document'/);
    assert.match(output, /Cannot find name 'fetch'/);
  });
});
