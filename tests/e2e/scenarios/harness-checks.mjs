// Checks of the harness itself, so that a scenario cannot pass by accident: a console error, an
// uncaught page error, a failed request and an unexpected API error each fail the scenario; a
// scenario that throws still leaves a screenshot; and afterwards no weft process, Chromium or
// temp data dir is left. Each returns the failure message the harness raised.
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { scenario, SCREENSHOTS } from "../harness.mjs";

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Runs a scenario that must fail; returns its error and what it had started.
async function mustFail(name, fn) {
  const seen = {};
  const before = Date.now();
  let error = null;
  try {
    await scenario(name, async (h) => {
      seen.weftPid = h.weft.pid;
      seen.dataDir = h.weft.dataDir;
      seen.browser = h.browser;
      seen.testServer = h.web.url;
      await fn(h);
    });
  } catch (e) {
    error = e;
  }
  assert.ok(error, `${name} should have failed`);
  const shot = path.join(SCREENSHOTS, `${name}.png`);
  assert.ok(existsSync(shot) && statSync(shot).mtimeMs >= before - 1000, `${name} left a screenshot of its final state`);
  assert.equal(existsSync(seen.dataDir), false, "the temp data dir is removed");
  assert.equal(alive(seen.weftPid), false, "weft serve is stopped");
  assert.equal(seen.browser.isConnected(), false, "Chromium is closed");
  const down = await fetch(seen.testServer + "/json").then(() => false, () => true);
  assert.ok(down, "the test server is stopped");
  return error;
}

export async function consoleErrorFails() {
  const e = await mustFail("harness-console-error", async ({ page }) => {
    await page.goto("/login");
    await page.evaluate(() => console.error("boom from the page"));
    await page.getByRole("heading", { name: "Sign in to Weft" }).waitFor();
  });
  assert.match(e.message, /console error: boom from the page/);
}

export async function pageErrorFails() {
  const e = await mustFail("harness-page-error", async ({ page }) => {
    await page.goto("/login");
    await page.evaluate(() => setTimeout(() => { throw new Error("uncaught in the page"); }, 0));
    await page.waitForTimeout(200);
  });
  assert.match(e.message, /page error: .*uncaught in the page/);
}

export async function unexpectedApiErrorFails() {
  const e = await mustFail("harness-unexpected-401", async ({ page }) => {
    await page.goto("/"); // no session: the list's 401, not declared with allowHttpError
    await page.waitForURL("**/login");
  });
  assert.match(e.message, /unexpected 401: GET http:\/\/127\.0\.0\.1:\d+\/api\/workflows/);
}

export async function failedRequestFails() {
  const e = await mustFail("harness-failed-request", async ({ page }) => {
    await page.goto("/login");
    await page.route("**/api/health", (r) => r.abort("failed"));
    await page.evaluate(() => fetch("/api/health").catch(() => {}));
    await page.waitForTimeout(300);
  });
  assert.match(e.message, /request failed: GET http:\/\/127\.0\.0\.1:\d+\/api\/health: net::ERR_FAILED/);
}

export async function thrownScenarioCleansUp() {
  const e = await mustFail("harness-thrown", async ({ page }) => {
    await page.goto("/login");
    throw new Error("the scenario's own failure");
  });
  assert.match(e.message, /the scenario's own failure/);
}
