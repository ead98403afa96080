// The browser scenarios, one node:test test each, run one after another (each starts its own
// weft serve, test server and Chromium through harness.mjs). Usage: node run.mjs <weft binary>
// (or WEFT_BINARY). WEFT_E2E_ONLY=<substring> runs the matching ones.
import { test } from "node:test";
import { scenario, weftBinary } from "./harness.mjs";
import * as main from "./scenarios/main.mjs";
import * as builder from "./scenarios/builder.mjs";
import * as checks from "./scenarios/harness-checks.mjs";

weftBinary(); // fail at once without a binary

const SCENARIOS = [
  ["s1 first start: set-up with the token, signed in", main.firstStart],
  ["s2 create a workflow, Add step by keyboard, save and reload", main.createAndAddStep],
  ["s3 a server validation error on the right node", main.validationErrorOnNode],
  ["s4 undo of a node deletion", main.undoNodeDeletion],
  ["s5 an uploaded bundle tool in Add step with its icon, run from the builder", builder.uploadedBundleRuns],
  ["s6 set-up, http.request → transform mapped in the data panel → acme.ping with a connected key, test run", builder.buildAndRun, { weftEnv: (web) => ({ WEFT_ACME_API_BASE: web.url }) }],
  ["s7 undo of an inspector field edit", builder.undoFieldEdit],
];

// The harness's own checks: each runs a scenario that must fail and looks at what it left.
const CHECKS = [
  ["harness: a console error fails a scenario", checks.consoleErrorFails],
  ["harness: an uncaught page error fails a scenario", checks.pageErrorFails],
  ["harness: an undeclared API error fails a scenario", checks.unexpectedApiErrorFails],
  ["harness: a failed request fails a scenario", checks.failedRequestFails],
  ["harness: a throwing scenario leaves a screenshot and nothing running", checks.thrownScenarioCleansUp],
];

const only = process.env.WEFT_E2E_ONLY;
for (const [name, fn, options] of SCENARIOS) {
  if (only && !name.includes(only)) continue;
  test(name, { timeout: 120_000 }, () => scenario(name, fn, options));
}
for (const [name, fn] of CHECKS) {
  if (only && !name.includes(only)) continue;
  test(name, { timeout: 120_000 }, fn);
}
