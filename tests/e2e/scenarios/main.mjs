// The builder's basics: first start, create + Add step by keyboard with the value typed in the
// inspector, a server validation error on the right node, undo of a node deletion (the
// inspector and run scenarios are in builder.mjs). Each takes the harness's {page, context, weft, web, watch}.
import assert from "node:assert/strict";
import {
  activeChooserRow,
  apiCall,
  catalogAction,
  chooserRow,
  chooserSearch,
  node,
  nextWorkflowSave,
  savedState,
  saveButton,
  setUpAndSignIn,
  stepNodes,
} from "../app.mjs";
import { OWNER, SETUP_TOKEN } from "../harness.mjs";

async function until(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Asserts a step node shows the catalog's provider name, title and icon.
async function assertChrome(page, stepId, entry) {
  const n = node(page, stepId);
  await n.waitFor();
  await until(async () => (await n.locator(".node-provider").textContent()) === entry.provider.name, `node ${stepId} to show provider ${entry.provider.name}`);
  assert.equal(await n.locator(".node-title").textContent(), entry.title);
  assert.equal(await n.locator("img.provider-icon").getAttribute("src"), entry.icon, `node ${stepId} shows the catalog's icon`);
}

// s1 — first start: `/` sends a visitor with no session to sign-in, whose link leads to set-up; a
// wrong set-up token is refused in the server's words; the right one creates the owner and lands
// on the (empty) workflows list, signed in.
export async function firstStart({ page, context, weft, watch }) {
  watch.allowHttpError(401, "/api/workflows"); // no session yet: the list's 401 sends to sign-in
  watch.allowHttpError(401, "/api/auth/me"); // no session yet: the top bar's organization switcher asks too
  watch.allowHttpError(403, "/api/setup"); // the wrong token below, on purpose
  await page.goto("/");
  await page.waitForURL("**/login");
  await page.getByRole("link", { name: "Set up the owner account" }).click();
  await page.waitForURL("**/setup");
  await page.getByRole("heading", { name: "Set up Weft" }).waitFor();

  await page.getByLabel("Set-up token").fill("not-the-token");
  await page.getByLabel("Organization name").fill(OWNER.orgName);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await page.getByText("send the set-up token printed in the server log").waitFor();
  assert.match(page.url(), /\/setup$/, "a refused set-up stays on the page");

  await page.getByLabel("Set-up token").fill(SETUP_TOKEN);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await page.getByRole("heading", { name: "Workflows" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/");
  await page.getByText("No workflows yet").waitFor();
  const me = await apiCall(context, weft.url, "GET", "/api/auth/me");
  assert.equal(me.user.email, OWNER.email);
  assert.equal(me.activeOrg.name, OWNER.orgName);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

// s2 — create a workflow: New workflow on the list opens an empty builder, the name is typed,
// Tab opens Add step, "transform" + Enter picks core.transform, and the node shows the catalog's
// provider name, title and icon. Ctrl+S before the step's required `value` is filled is refused
// by the server for exactly that input, on that node; the value is then typed in the inspector
// (a {{template}}, the suggestions list opening at `{{`) and Ctrl+S stores it; the
// list shows the workflow, opening it from there and reloading show the same node.
export async function createAndAddStep({ page, context, weft, watch }) {
  watch.allowHttpError(400, "/api/workflows");
  await setUpAndSignIn(context, weft.url);
  const transform = await catalogAction(context, weft.url, "core.transform");

  await page.goto("/");
  await page.getByText("No workflows yet").waitFor();
  await page.getByRole("button", { name: "New workflow" }).click();
  await page.waitForURL("**/workflows/new");
  await page.locator(".react-flow__node-trigger").waitFor();
  await page.getByRole("textbox", { name: "Workflow name" }).fill("Orders digest");

  // Add step with the keyboard only (the name field had the focus: Tab from the canvas).
  await page.locator(".react-flow__pane").click();
  await page.keyboard.press("Tab");
  const search = chooserSearch(page);
  await search.waitFor();
  assert.ok(await search.evaluate((el) => el === document.activeElement), "the chooser's search box has the focus");
  await page.keyboard.type("transform");
  await until(async () => /Transform/.test((await activeChooserRow(page).textContent()) ?? ""), "core.transform as the active row");
  assert.match(await activeChooserRow(page).textContent(), new RegExp(transform.provider.name));
  await page.keyboard.press("Enter");
  await search.waitFor({ state: "detached" });
  await until(async () => (await stepNodes(page).count()) === 1, "one step node");
  const stepId = await stepNodes(page).first().getAttribute("data-id");
  await assertChrome(page, stepId, transform);

  // The UI's save of the picked step; the server names the one missing input.
  const saved = nextWorkflowSave(page);
  await page.keyboard.press("Control+s");
  const rejected = await saved;
  assert.equal(rejected.status(), 400);
  const body = rejected.request().postDataJSON();
  assert.equal(body.name, "Orders digest");
  const step = body.steps.find((s) => s.id === stepId);
  assert.equal(step.action, "core.transform");
  assert.ok(step.position && Number.isFinite(step.position.x), "the UI stores the node's position");
  const details = (await rejected.json()).error.details;
  assert.deepEqual(details.map((d) => [d.step, d.field]), [[stepId, "inputs"]]);
  assert.match(details[0].message, /value/);
  await node(page, stepId).locator(".error-badge").waitFor({ state: "attached" });

  // The missing value typed in the inspector (the new node is the selected one), Ctrl+S again.
  await page.getByRole("complementary", { name: `Inspector: ${stepId}` }).waitFor();
  const value = page.getByTestId("field-inputs.value");
  await value.click();
  // (A text with `{{` in it is stored as a template string, even when it is JSON around one:
  // lib/schemaForm.ts parseFieldInput; so the value is the template itself.)
  await page.keyboard.type("{{");
  await page.getByRole("listbox", { name: "Template suggestions" }).getByText("trigger").first().waitFor();
  await page.keyboard.type("trigger.orderId}}");
  assert.equal(await value.inputValue(), "{{trigger.orderId}}");
  const accepted = nextWorkflowSave(page);
  await page.keyboard.press("Control+s");
  const ok = await accepted;
  assert.ok(ok.ok(), `the second save is accepted (${ok.status()})`);
  assert.deepEqual(ok.request().postDataJSON().steps.find((s) => s.id === stepId).inputs, { value: "{{trigger.orderId}}" }, "the typed template is stored");
  const created = await ok.json();
  await page.waitForURL(`**/workflows/${created.id}`);
  await until(async () => (await node(page, stepId).locator(".error-badge").count()) === 0, "the badge gone");

  await page.getByRole("link", { name: "← Workflows" }).click();
  await page.getByRole("link", { name: "Orders digest" }).click();
  await page.waitForURL(`**/workflows/${created.id}`);
  await assertChrome(page, stepId, transform);
  await page.reload();
  await assertChrome(page, stepId, transform);
  assert.equal(await savedState(page).textContent(), "Saved");
  assert.equal(await node(page, stepId).locator(".error-badge").count(), 0);
  const stored = await apiCall(context, weft.url, "GET", `/api/workflows/${created.id}`);
  assert.deepEqual(stored.definition.steps.map((s) => [s.id, s.action]), [[stepId, "core.transform"]]);
  assert.deepEqual(stored.definition.steps[0].position, step.position);
  assert.deepEqual(stored.definition.steps[0].inputs, { value: "{{trigger.orderId}}" });
}

// Three valid steps written through the API: fetch (http.request to the local test server) →
// shape (core.transform) → wait (core.delay).
async function threeStepWorkflow(context, weft, web) {
  return apiCall(context, weft.url, "POST", "/api/workflows", {
    name: "Three steps",
    trigger: { type: "manual" },
    steps: [
      { id: "fetch", action: "http.request", inputs: { url: `${web.url}/json` }, position: { x: 260, y: 0 } },
      { id: "shape", action: "core.transform", inputs: { value: { id: "{{steps.fetch.output.body.order.id}}" } }, after: ["fetch"], position: { x: 520, y: 0 } },
      { id: "wait", action: "core.delay", inputs: { ms: 1 }, after: ["shape"], position: { x: 780, y: 0 } },
    ],
  });
}

// s3 — a validation error from the server lands on the right node: with `shape` selected, Add
// step puts a core.delay after it; Save is refused by the server (the delay's `ms` is required)
// and only the new node gets the error badge, the Problems panel names it with the server's
// message, and the node is selected. The other three nodes stay clean.
export async function validationErrorOnNode({ page, context, weft, web, watch }) {
  watch.allowHttpError(400, "/api/workflows/");
  await setUpAndSignIn(context, weft.url);
  const wf = await threeStepWorkflow(context, weft, web);
  await page.goto(`/workflows/${wf.id}`);
  await node(page, "shape").click();
  await page.keyboard.press("Tab");
  await chooserSearch(page).fill("delay");
  await chooserRow(page, "core.delay", /Delay/).waitFor();
  await page.keyboard.press("Enter");
  await until(async () => (await stepNodes(page).count()) === 4, "four step nodes");
  const ids = await stepNodes(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
  const added = ids.find((i) => !["fetch", "shape", "wait"].includes(i));

  const saved = nextWorkflowSave(page);
  await saveButton(page).click();
  const res = await saved;
  assert.equal(res.status(), 400);
  const sent = res.request().postDataJSON();
  assert.deepEqual(sent.steps.find((s) => s.id === added).after, ["shape"], "the new step goes after the selected node");
  const details = (await res.json()).error.details;
  assert.equal(details.length, 1);
  assert.equal(details[0].step, added);
  assert.equal(details[0].pointer, `/steps/${sent.steps.findIndex((s) => s.id === added)}/inputs`, "the server's JSON pointer names the new step");

  // The failing node may sit under the Problems panel (the builder does not scroll to it):
  // Fit view, as a user would, so that the screenshot shows it.
  await page.getByRole("button", { name: /fit view/i }).click();
  const badge = node(page, added).locator(".error-badge");
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), "! 1");
  assert.equal(await badge.getAttribute("title"), `${details[0].field}: ${details[0].message}`);
  for (const other of ["fetch", "shape", "wait"]) assert.equal(await node(page, other).locator(".error-badge").count(), 0, `${other} has no error`);
  const panel = page.getByRole("region", { name: "Problems" });
  await panel.getByText(details[0].message).waitFor();
  await panel.getByRole("button", { name: added }).waitFor();
  await until(async () => (await node(page, added).getAttribute("class")).includes("selected"), "the failing node selected");
}

// s4 — undo of a node deletion: select `shape`, Delete removes it (and its `after` link),
// Ctrl+Z brings it back with its chrome, and Save stores exactly the original steps.
export async function undoNodeDeletion({ page, context, weft, web }) {
  await setUpAndSignIn(context, weft.url);
  const wf = await threeStepWorkflow(context, weft, web);
  const transform = await catalogAction(context, weft.url, "core.transform");
  await page.goto(`/workflows/${wf.id}`);
  await node(page, "shape").click();
  await page.keyboard.press("Delete");
  await node(page, "shape").waitFor({ state: "detached" });
  assert.equal(await stepNodes(page).count(), 2);
  await until(async () => (await savedState(page).textContent()) === "Unsaved changes", "Unsaved changes");

  await page.keyboard.press("Control+z");
  await assertChrome(page, "shape", transform);
  assert.equal(await stepNodes(page).count(), 3);
  await until(async () => (await savedState(page).textContent()) === "Saved", "back to Saved after the undo");
  assert.equal(await page.getByRole("button", { name: "Redo" }).isEnabled(), true);

  // Redo deletes again, undo restores again; then save and read it back.
  await page.keyboard.press("Control+Shift+z");
  await node(page, "shape").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Undo" }).click();
  await node(page, "shape").waitFor();
  const saved = nextWorkflowSave(page);
  await saveButton(page).click();
  assert.equal((await saved).status(), 200);
  const stored = await apiCall(context, weft.url, "GET", `/api/workflows/${wf.id}`);
  assert.deepEqual(stored.definition.steps, wf.definition.steps);
}
