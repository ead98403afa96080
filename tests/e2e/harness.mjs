// The browser test harness: a real `weft serve` on 127.0.0.1 (fresh temp data dir, set-up token,
// master key), a local HTTP server for http.request steps, headless Debian Chromium through
// playwright-core, every console error / page error / failed request collected as a failure,
// a screenshot of each scenario's final state, and everything stopped and removed in `finally`
// (and on SIGINT/SIGTERM). It asserts nothing about the app itself: scenarios do.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM = process.env.WEFT_CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve(process.env.WEFT_E2E_SCREENSHOTS || path.join(ROOT, "build/e2e-screenshots"));
export const SETUP_TOKEN = "e2e-setup-" + randomBytes(8).toString("hex");
export const OWNER = { email: "owner@example.com", password: "correct horse battery staple", orgName: "Acme Test" };

const STEP_TIMEOUT_MS = 10_000;

// ---- cleanup registry: every started thing registers its stop; signals and exit run them ----
const live = new Set();
// A stop that runs once: a second caller (the signal handler racing a scenario's finally) waits
// for the same promise instead of returning early.
function once(fn) {
  let p = null;
  return () => (p ??= Promise.resolve().then(fn));
}
function register(stop) {
  if (shuttingDown) {
    stop();
    throw new Error("the harness is shutting down");
  }
  live.add(stop);
  return () => live.delete(stop);
}
let shuttingDown = false;
async function stopAll() {
  shuttingDown = true;
  while (live.size > 0) {
    for (const stop of [...live].reverse()) {
      live.delete(stop);
      await stop().catch(() => {});
    }
  }
}
const killedGroups = new Set();
const tempDirs = new Set();
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopAll().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
  });
}
// Last resort (an uncaught throw, process.exit): kill the server process groups synchronously.
process.on("exit", () => {
  for (const pgid of killedGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function weftBinary() {
  const bin = process.argv.find((a, i) => i >= 2 && !a.startsWith("-") && existsSync(a) && /weft$/.test(a)) || process.env.WEFT_BINARY;
  if (!bin) throw new Error("give the weft binary as an argument or in WEFT_BINARY");
  return path.resolve(bin);
}

function waitExit(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

// Starts `weft serve` on 127.0.0.1:<free port> from the repo root (so ./bundles, the first-party
// bundles, load). Resolves once /api/health answers 200. stop() ends its process group.
export async function startWeft({ binary = weftBinary(), env = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "weft-e2e-data-"));
  tempDirs.add(dataDir);
  let log = "";
  const child = spawn(binary, ["serve"], {
    cwd: ROOT,
    detached: true, // its own process group: stop() reaches the sandbox processes it forks
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WEFT_DATA_DIR: dataDir,
      WEFT_LISTEN: "127.0.0.1:0",
      WEFT_SETUP_TOKEN: SETUP_TOKEN,
      WEFT_MASTER_KEY: randomBytes(32).toString("hex"),
      WEFT_HTTP_ALLOW_PRIVATE: "1", // http.request steps reach the local test server
      WEFT_LOG_LEVEL: "info",
      ...env,
    },
  });
  killedGroups.add(child.pid);
  const onData = (d) => (log += d.toString());
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  const stop = once(async () => {
    unregister();
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    if (!(await waitExit(child, 5000))) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await waitExit(child, 2000);
    }
    killedGroups.delete(child.pid);
    rmSync(dataDir, { recursive: true, force: true });
    tempDirs.delete(dataDir);
  });
  const unregister = register(stop);

  try {
    const deadline = Date.now() + 20_000;
    let port = null;
    while (port === null) {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) port = Number(m[1]);
      else if (child.exitCode !== null || child.signalCode !== null) throw new Error(`weft serve exited (${child.exitCode ?? child.signalCode}):\n${log}`);
      else if (Date.now() > deadline) throw new Error(`weft serve did not listen within 20 s:\n${log}`);
      else await new Promise((r) => setTimeout(r, 25));
    }
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`/api/health did not answer 200 within 20 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, port, pid: child.pid, dataDir, log: () => log, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// A local HTTP server for http.request steps: GET /json answers a small JSON document,
// GET /big?bytes=N a JSON document of about N bytes, /acme/ping {status: ok} (for acme.ping with
// WEFT_ACME_API_BASE pointed here); every request is recorded with its headers.
export async function startTestServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, "http://x");
    requests.push({ method: req.method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers });
    if (u.pathname === "/acme/ping") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
    } else if (u.pathname === "/json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ order: { id: 4711, customer: "Ada Lovelace", total: 42.5 }, items: ["tea", "scones"] }));
    } else if (u.pathname === "/big") {
      const bytes = Math.min(Number(u.searchParams.get("bytes")) || 1_000_000, 9_000_000);
      const rows = [];
      let size = 2;
      for (let i = 0; size < bytes; i++) {
        const row = { i, name: `row ${i}`, text: "x".repeat(80) };
        size += JSON.stringify(row).length + 1;
        rows.push(row);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ rows }));
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":"not found"}');
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = server.address().port;
  const stop = once(async () => {
    unregister();
    server.closeAllConnections?.();
    await new Promise((r) => server.close(() => r()));
  });
  const unregister = register(stop);
  return { url: `http://127.0.0.1:${port}`, port, requests, stop };
}

// Headless Debian Chromium. As root in a container Chromium's own sandbox cannot start
// ("Running as root without --no-sandbox is not supported"), so chromiumSandbox: false, which
// makes Playwright pass --no-sandbox; the page is still isolated from the host by the test's
// temp dirs and only ever talks to 127.0.0.1.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    timeout: 30_000,
  });
  const stop = once(async () => {
    unregister();
    await browser.close().catch(() => {});
  });
  const unregister = register(stop);
  return { browser, stop };
}

// Watches a page for what must fail a scenario: console errors, uncaught page errors, failed
// requests and 5xx answers. An API error answer (4xx) that the scenario provoked on purpose is
// declared with allowHttpError(status, pathPrefix); Chromium logs it as "Failed to load
// resource", which is then not a failure. Anything else is.
export function watchPage(page) {
  const problems = [];
  const allowed = [];
  let closing = false;
  const isAllowed = (status, url) => {
    let p;
    try {
      p = new URL(url).pathname;
    } catch {
      return false;
    }
    return allowed.some((a) => a.status === status && p.startsWith(a.path));
  };
  page.on("console", (m) => {
    if (closing || m.type() !== "error") return;
    const url = m.location()?.url ?? "";
    const st = /status of (\d{3})/.exec(m.text());
    if (st && /^Failed to load resource/.test(m.text()) && isAllowed(Number(st[1]), url)) return;
    problems.push(`console error: ${m.text()}${url ? ` (${url})` : ""}`);
  });
  page.on("pageerror", (e) => {
    if (!closing) problems.push(`page error: ${e.stack || e.message}`);
  });
  page.on("requestfailed", (r) => {
    // The app closes a run's EventSource (GET /api/runs/<id>/events) when the run ends or the
    // builder unmounts (a new workflow's first save moves it to /workflows/<id>); Chromium
    // reports that close as net::ERR_ABORTED. Any other failure of it still counts.
    if (r.resourceType() === "eventsource" && r.failure()?.errorText === "net::ERR_ABORTED" && /^\/api\/runs\/[^/]+\/events$/.test(new URL(r.url()).pathname)) return;
    if (!closing) problems.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (closing) return;
    if (r.status() >= 500) problems.push(`server error: ${r.status()} ${r.request().method()} ${r.url()}`);
    else if (r.status() >= 400 && !isAllowed(r.status(), r.url())) problems.push(`unexpected ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return {
    problems,
    allowHttpError(status, pathPrefix) {
      allowed.push({ status, path: pathPrefix });
    },
    stop() {
      closing = true;
    },
  };
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "scenario";
}

// Runs one scenario with its own server, test server, browser and context. fn gets
// {page, context, browser, weft, web, watch}. Its final state is saved as <SCREENSHOTS>/<name>.png even
// when it fails; the server log is kept beside it on failure. Throws the scenario's error, or
// the list of console errors / failed requests if there were any.
export async function scenario(name, fn, { weftEnv = {}, viewport = { width: 1400, height: 900 } } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = safeName(name);
  rmSync(path.join(SCREENSHOTS, `${file}.weft.log`), { force: true }); // a past run's
  let weft, web, chrome, context, page, watch;
  let failure = null;
  try {
    // weftEnv may be a function of the test server (e.g. an API base pointing at it).
    if (typeof weftEnv === "function") {
      web = await startTestServer();
      [weft, chrome] = await Promise.all([startWeft({ env: weftEnv(web) }), launchBrowser()]);
    } else {
      [weft, web, chrome] = await Promise.all([startWeft({ env: weftEnv }), startTestServer(), launchBrowser()]);
    }
    context = await chrome.browser.newContext({ baseURL: weft.url, viewport, colorScheme: "light" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    page = await context.newPage();
    watch = watchPage(page);
    await fn({ page, context, browser: chrome.browser, weft, web, watch });
  } catch (e) {
    failure = e;
  } finally {
    watch?.stop();
    if (page) await page.screenshot({ path: path.join(SCREENSHOTS, `${file}.png`), fullPage: false, timeout: 10_000 }).catch(() => {});
    if ((failure || watch?.problems.length) && weft) writeFileSync(path.join(SCREENSHOTS, `${file}.weft.log`), weft.log());
    await context?.close().catch(() => {});
    await Promise.all([chrome?.stop(), web?.stop(), weft?.stop()].filter(Boolean)).catch(() => {});
  }
  if (failure) {
    if (watch?.problems.length) failure.message += `\nalso, in the browser:\n  ${watch.problems.join("\n  ")}`;
    throw failure;
  }
  if (watch.problems.length) throw new Error(`the browser reported ${watch.problems.length} problem(s):\n  ${watch.problems.join("\n  ")}`);
}
