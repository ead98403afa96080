// SDK tests: owns a stand-in for the Weft sandbox host (DESIGN.md §3 "Sandbox contract"), run
// as `node --experimental-vm-modules sandbox-like.mjs <dist.js> <toolId> <inputJson>`. It loads
// the bundle as an ES module in a fresh V8 context that has only ES globals plus the sandbox's
// declared ones (no process, require, Buffer), refuses every import, provides a global
// defineVendor that checks { id, tools } and marks the spec, requires the default export to be
// that marked spec, calls one tool with a ctx, and prints { specifiers, hostCalls, output }.

import { readFileSync } from "node:fs";
import vm from "node:vm";

const [distFile, toolId, inputJson] = process.argv.slice(2);

const accepted = new WeakSet();
const hostCalls = [];
function hostDefineVendor(spec) {
  if (typeof spec?.id !== "string" || typeof spec.tools !== "object") throw new TypeError("defineVendor(spec): bad spec");
  for (const fn of Object.values(spec.tools)) {
    if (typeof fn !== "function") throw new TypeError("defineVendor(spec): every spec.tools entry must be a function");
  }
  hostCalls.push({ id: spec.id, tools: Object.keys(spec.tools), keys: Object.keys(spec) });
  accepted.add(spec);
  return spec;
}

const sandboxGlobals = {
  defineVendor: hostDefineVendor,
  setTimeout, clearTimeout, console, TextEncoder, TextDecoder, URL, URLSearchParams, atob, btoa, structuredClone,
  crypto: { getRandomValues: (a) => crypto.getRandomValues(a), randomUUID: () => crypto.randomUUID() },
};
const context = vm.createContext(sandboxGlobals, { codeGeneration: { strings: false, wasm: false } });

const module = new vm.SourceTextModule(readFileSync(distFile, "utf8"), { context, identifier: distFile });
const specifiers = module.dependencySpecifiers;
await module.link(() => {
  throw new Error("imports are refused");
});
await module.evaluate();
const vendor = module.namespace.default;
if (!accepted.has(vendor)) throw new Error("the default export must be defineVendor({ id, tools })");

const ctx = {
  auth: null,
  ids: { orgId: "org_1", runId: "run_1", stepId: "step_1" },
  idempotencyKey: "run_1:step_1:1",
  log() {},
  fetch() {
    throw new Error("no network in this test");
  },
};
const output = await vendor.tools[toolId](JSON.parse(inputJson), ctx);
const leaked = ["process", "require", "Buffer"].filter((name) => vm.runInContext(`typeof ${name}`, context) !== "undefined");
process.stdout.write(JSON.stringify({ specifiers, hostCalls, output, leaked }) + "\n");
