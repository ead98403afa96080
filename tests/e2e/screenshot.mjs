// The builder picture for the README: scenario s6 (set-up, three steps built in the inspector,
// a test run to green) with the transform step's inspector open, saved at 1400×900 as
// docs/builder.png (or the path given). Usage: node screenshot.mjs <weft binary> [out.png].
import path from "node:path";
import { mkdirSync, statSync } from "node:fs";
import { ROOT, scenario } from "./harness.mjs";
import { buildAndRun } from "./scenarios/builder.mjs";

const out = path.resolve(process.argv.slice(2).find((a) => a.endsWith(".png")) ?? path.join(ROOT, "docs/builder.png"));
mkdirSync(path.dirname(out), { recursive: true });
await scenario(
  "docs-builder",
  async (h) => {
    await buildAndRun(h, { keepOpen: true });
    await h.page.mouse.move(0, 0); // no hover outline in the picture
    await h.page.screenshot({ path: out, fullPage: false });
  },
  { weftEnv: (web) => ({ WEFT_ACME_API_BASE: web.url }) },
);
console.log(`${out}: ${statSync(out).size} bytes`);
