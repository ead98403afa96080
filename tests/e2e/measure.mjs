// Performance numbers for the closing note (not a test, asserts no timing): gzipped JS of the
// production build (web/dist), and the time to open a 500-step workflow in the builder in
// headless Chromium, measured in the page with performance.now() (ms since navigation start)
// until the 500th node is drawn and until two animation frames after it with no long task.
// Usage: node measure.mjs <weft binary> [runs=5]. Prints JSON.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { apiCall, setUpAndSignIn } from "./app.mjs";
import { ROOT, scenario } from "./harness.mjs";

const runs = Number(process.argv.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? 5);
const dist = path.join(ROOT, "web/dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const js = readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js"));
const sizes = js.map((f) => {
  const bytes = readFileSync(path.join(dist, "assets", f));
  return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, firstPage: html.includes(`/assets/${f}`) };
});
const out = {
  js: sizes,
  jsGzipTotal: sizes.reduce((n, s) => n + s.gzip, 0),
  jsGzipFirstPage: sizes.filter((s) => s.firstPage).reduce((n, s) => n + s.gzip, 0),
  open500: [],
};

const STEPS = 500;
const COLS = 25;
await scenario("measure-500-steps", async ({ page, context, weft }) => {
  await setUpAndSignIn(context, weft.url);
  const steps = [];
  for (let i = 1; i <= STEPS; i++) {
    steps.push({
      id: `s${i}`,
      action: "core.transform",
      inputs: { value: i === 1 ? "{{trigger.x}}" : `{{steps.s${i - 1}.output}}` },
      ...(i > 1 ? { after: [`s${i - 1}`] } : {}),
      position: { x: 260 * ((i - 1) % COLS) + 260, y: 120 * Math.floor((i - 1) / COLS) },
    });
  }
  const wf = await apiCall(context, weft.url, "POST", "/api/workflows", { name: "Five hundred steps", trigger: { type: "manual" }, steps });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map((e) => ({ start: e.startTime, end: e.startTime + e.duration })))).observe({ type: "longtask", buffered: true });
  });
  for (let r = 0; r < runs; r++) {
    await page.goto("/", { waitUntil: "networkidle" }); // leave the builder, so each run opens it afresh
    await page.getByRole("link", { name: "Five hundred steps" }).waitFor();
    await page.goto(`/workflows/${wf.id}`);
    await page.waitForSelector(`.react-flow__node[data-id="s${STEPS}"]`, { state: "attached", timeout: 30_000 });
    const m = await page.evaluate(async (n) => {
      const drawn = performance.now();
      const nodes = document.querySelectorAll(".react-flow__node-step").length;
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      // Idle: two frames in a row with no long task ending after the previous check.
      let idle = drawn;
      for (let i = 0; i < 200; i++) {
        await frame();
        await frame();
        const last = Math.max(0, ...window.__longTasks.map((t) => t.end));
        if (last <= idle) break;
        idle = performance.now();
      }
      return { nodeDrawnMs: drawn, idleMs: performance.now(), stepNodesInDom: nodes, longTasks: window.__longTasks.length };
    }, STEPS);
    out.open500.push(m);
  }
});
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
out.open500Median = { nodeDrawnMs: med(out.open500.map((m) => m.nodeDrawnMs)), idleMs: med(out.open500.map((m) => m.idleMs)) };
console.log(JSON.stringify(out, null, 2));
