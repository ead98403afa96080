// Performance numbers for the closing note (not a test, asserts no timing): gzipped JS of the
// production build (web/dist), and the time to open a 500-step workflow in the builder in
// headless Chromium, measured in the page with performance.now() (ms since navigation start)
// until the 500th node is drawn and until two animation frames after it with no long task.
// Also the time to show a 5 MB step output in the run panel (an http.request of the test
// server's /big?bytes=5000000): from the run panel's status turning "succeeded" (and from the
// Test run click) to the output's first JSON row in the DOM, and from a click on that step in the
// run panel (another step shown before) to its first row. Usage: node measure.mjs <weft binary>
// [runs=5] [--only=open500|big5mb]. Prints JSON.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { apiCall, setUpAndSignIn } from "./app.mjs";
import { ROOT, scenario } from "./harness.mjs";

const runs = Number(process.argv.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? 5);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
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
  big5mb: [],
};

const STEPS = 500;
const COLS = 25;
if (!only || only === "open500") await scenario("measure-500-steps", async ({ page, context, weft }) => {
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
// In the page: performance.now() of the Test run click, of the run panel's data-status turning
// "succeeded", of a click on a run-step-<id> button, and of the first treeitem inside
// run-output-<id> for each id, from a MutationObserver (no polling from outside the page).
function installTimers() {
  window.__t = { click: null, done: null, stepClick: {}, rows: {}, painted: {}, openClick: null, opened: null, openedPainted: null };
  const afterPaint = (set) => requestAnimationFrame(() => requestAnimationFrame(() => set(performance.now())));
  document.addEventListener("click", (e) => {
    const b = e.target.closest?.("[data-testid]");
    const id = b?.dataset.testid ?? "";
    if (id === "run-button") window.__t.click = performance.now();
    if (id.startsWith("run-step-")) window.__t.stepClick[id.slice(9)] = performance.now();
    if (e.target.closest?.('[data-testid="run-output-big"] button[aria-label="Open rows"]')) window.__t.openClick = performance.now();
  }, true);
  new MutationObserver(() => {
    const panel = document.querySelector('[data-testid="run-panel"]');
    if (panel && window.__t.done === null && panel.dataset.status === "succeeded") window.__t.done = performance.now();
    for (const v of document.querySelectorAll('[data-testid^="run-output-"]')) {
      const id = v.dataset.testid.slice(11);
      if (!(id in window.__t.rows) && v.querySelector('[role="treeitem"]')) {
        window.__t.rows[id] = performance.now();
        afterPaint((t) => (window.__t.painted[id] = t));
      }
      if (id === "big" && window.__t.openClick !== null && window.__t.opened === null && Number(v.dataset.rows) > 1000) {
        window.__t.opened = performance.now();
        afterPaint((t) => (window.__t.openedPainted = t));
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
}

const BIG = 5_000_000;
// The browser's complaints do not stop the measurement: they are printed with it (a 5 MB step
// output is more than the server's 1 MiB stream buffer, so the run's event stream is cut).
const measured = (name, fn) =>
  scenario(name, fn).catch((e) => {
    (out.problems ??= {})[name] = String(e.message ?? e).split("\n").filter((l, i, a) => a.indexOf(l) === i);
  });
if (!only || only === "big5mb") await measured("measure-5mb-output", async ({ page, context, weft, web }) => {
  await setUpAndSignIn(context, weft.url);
  const wf = await apiCall(context, weft.url, "POST", "/api/workflows", {
    name: "Big output",
    trigger: { type: "manual" },
    steps: [
      { id: "big", action: "http.request", inputs: { url: `${web.url}/big?bytes=${BIG}` }, position: { x: 260, y: 0 } },
      { id: "small", action: "core.transform", inputs: { value: "{{steps.big.output.status}}" }, after: ["big"], position: { x: 520, y: 0 } },
    ],
  });
  await page.addInitScript(installTimers);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let r = 0; r < runs; r++) {
    await page.goto(`/workflows/${wf.id}`);
    await page.getByTestId("node-big").waitFor();
    await page.getByTestId("run-button").click();
    await page.waitForFunction(() => window.__t.done !== null && "small" in window.__t.painted, null, { timeout: 60_000 });
    // The panel shows the last step (small); a click on `big` shows the 5 MB output, a click on
    // its `rows` array opens ~50 000 rows (virtualised).
    await page.getByTestId("run-step-big").click();
    await page.waitForFunction(() => "big" in window.__t.painted, null, { timeout: 60_000 });
    await page.getByTestId("run-output-big").getByRole("button", { name: "Open rows" }).click();
    await page.waitForFunction(() => window.__t.openedPainted !== null, null, { timeout: 60_000 });
    const t = await page.evaluate(() => window.__t);
    const outputBytes = await page.evaluate(async (runId) => (await (await fetch(`/api/runs/${runId}`)).text()).length, new URL(page.url()).searchParams.get("run"));
    out.big5mb.push({
      runRecordBytes: outputBytes,
      rowsOpened: Number(await page.getByTestId("run-output-big").getAttribute("data-rows")),
      treeitemsInDom: await page.getByTestId("run-output-big").getByRole("treeitem").count(),
      runClickToSucceededMs: t.done - t.click,
      // The run panel first shows the last step once the run is read; relative to "succeeded".
      succeededToLastStepPaintedMs: t.painted.small - t.done,
      stepClickToFirstRowsMs: t.rows.big - t.stepClick.big,
      stepClickToPaintedMs: t.painted.big - t.stepClick.big,
      openRowsClickToPaintedMs: t.openedPainted - t.openClick,
    });
    await sleep(200);
  }
});
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (out.open500.length) out.open500Median = { nodeDrawnMs: med(out.open500.map((m) => m.nodeDrawnMs)), idleMs: med(out.open500.map((m) => m.idleMs)) };
if (out.big5mb.length) out.big5mbMedian = Object.fromEntries(Object.keys(out.big5mb[0]).map((k) => [k, med(out.big5mb.map((m) => m[k]))]));
console.log(JSON.stringify(out, null, 2));
