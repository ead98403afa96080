// What scenarios share about the app: API calls through the browser context's own cookie jar
// (so the page is signed in as the same user), and locators for the builder. Prefers the
// data-testids of the inspector work (node-<id>, chooser-row-<key>, …) and falls back to what
// main renders today (React Flow's node wrapper, roles and labels).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OWNER, ROOT, SETUP_TOKEN } from "./harness.mjs";

async function json(res, what) {
  const text = await res.text();
  if (!res.ok()) throw new Error(`${what}: ${res.status()} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// A JSON API call as the signed-in browser user (cookie + Origin, as the app sends it).
export async function apiCall(context, baseURL, method, p, body) {
  const res = await context.request.fetch(baseURL + p, {
    method,
    headers: { Origin: baseURL, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    data: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return json(res, `${method} ${p}`);
}

// The owner set up and signed in through the API (scenarios other than first start).
export async function setUpAndSignIn(context, baseURL) {
  await apiCall(context, baseURL, "POST", "/api/setup", { ...OWNER, setupToken: SETUP_TOKEN });
  return apiCall(context, baseURL, "POST", "/api/auth/login", { email: OWNER.email, password: OWNER.password });
}

export async function catalogAction(context, baseURL, key) {
  const catalog = await apiCall(context, baseURL, "GET", "/api/catalog");
  for (const provider of catalog.providers) {
    const action = provider.actions.find((a) => a.key === key);
    if (action) return { provider, action, icon: action.display?.icon || provider.icon || null, title: action.display?.title || action.name || action.key };
  }
  throw new Error(`${key} is not in the catalog`);
}

// `node sdk/bin/weft-bundle.mjs pack <dir>` into a temp folder; returns the archive's bytes.
export function packBundle(projectDir) {
  const out = mkdtempSync(path.join(tmpdir(), "weft-e2e-pack-"));
  try {
    execFileSync(process.execPath, [path.join(ROOT, "sdk/bin/weft-bundle.mjs"), "pack", path.join(ROOT, projectDir), "--out", out], { stdio: "pipe" });
    const name = readdirSync(out).find((f) => f.endsWith(".bundle.tar.gz"));
    if (!name) throw new Error(`weft-bundle pack wrote no .bundle.tar.gz in ${out}`);
    return { name, bytes: readFileSync(path.join(out, name)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function uploadBundle(context, baseURL, { name, bytes }) {
  const res = await context.request.post(baseURL + "/api/bundle-upload", {
    headers: { Origin: baseURL },
    multipart: { bundle: { name, mimeType: "application/gzip", buffer: bytes } },
  });
  return json(res, "POST /api/bundle-upload");
}

// ---- locators ----
const css = (s) => s.replace(/["\\]/g, "\\$&");

export function node(page, stepId) {
  return page.getByTestId(`node-${stepId}`).or(page.locator(`.react-flow__node[data-id="${css(stepId)}"]`)).first();
}
export function stepNodes(page) {
  return page.locator(".react-flow__node-step");
}
export function addStepButton(page) {
  return page.getByTestId("add-step").or(page.getByRole("button", { name: "Add step", exact: true })).first();
}
export function chooserSearch(page) {
  return page.getByTestId("chooser-search").or(page.getByRole("combobox", { name: "Search steps" })).first();
}
export function chooserRow(page, actionKey, fallbackName) {
  return page.getByTestId(`chooser-row-${actionKey}`).or(page.getByRole("option", { name: fallbackName })).first();
}
export function activeChooserRow(page) {
  return page.locator('[role="option"][aria-selected="true"]');
}
export function saveButton(page) {
  return page.getByRole("button", { name: "Save", exact: true });
}
export function savedState(page) {
  return page.locator(".topbar [aria-live=polite]");
}

// Resolves with the JSON body of the next PUT/POST of a workflow the page sends, and its answer.
export function nextWorkflowSave(page) {
  return page.waitForResponse((r) => /\/api\/workflows(\/[^/]+)?$/.test(new URL(r.url()).pathname) && ["PUT", "POST"].includes(r.request().method()));
}
