// @vitest-environment jsdom
// The workflows list: last run per row, rename, duplicate, delete asked twice, export of the
// saved document as a file, import with its errors in words.
import { describe, expect, it, vi } from "vitest";
import { byTestId, click, settle, stubFetch, type } from "../builder/testing.test-support";
import { alerts, mountAt, rows, usePageHost } from "./pages.test-support";

const def = (name: string) => ({ name, trigger: { type: "manual" }, steps: [{ id: "greet", action: "core.log", inputs: { message: "hi" } }] });
const record = (id: string, name: string, version = 1) => ({ id, name, version, definition: def(name), createdAt: "2026-12-01T09:00:00Z", updatedAt: "2026-12-01T09:00:00Z" });
const summary = (id: string, name: string) => ({ id, name, version: 1, trigger: "manual", updatedAt: "2026-12-01T09:00:00Z" });
const list = { workflows: [summary("wf_1", "Greeter"), summary("wf_2", "Sync")] };
const noRuns = { body: { runs: [], nextCursor: null } };

function routes(extra: Record<string, Parameters<typeof stubFetch>[0][string]> = {}) {
  return stubFetch({
    "GET /api/workflows": { body: list },
    "GET /api/runs?workflowId=wf_1&limit=1": { body: { runs: [{ id: "r9", status: "failed", workflowId: "wf_1" }], nextCursor: "r9" } },
    "GET /api/runs?workflowId=wf_2&limit=1": noRuns,
    "GET /api/workflows/wf_1": { body: record("wf_1", "Greeter") },
    ...extra,
  });
}

const m = usePageHost();

describe("workflows list", () => {
  it("shows each row's last run status, linking to the run", async () => {
    routes();
    await mountAt(m.current, "/");
    const host = m.current.host;
    expect(rows(host, "workflow-row-")).toEqual(["wf_1", "wf_2"]);
    const last = byTestId(host, "last-run-wf_1");
    expect(last.getAttribute("href")).toBe("/runs/r9");
    expect(last.textContent).toContain("failed");
    expect(byTestId(host, "workflow-row-wf_2").textContent).toContain("never run");
    expect(byTestId(host, "runs-wf_2").getAttribute("href")).toBe("/runs?workflowId=wf_2");
  });

  it("renames by saving a new version with the new name", async () => {
    const calls = routes({ "PUT /api/workflows/wf_1": (init) => ({ body: { ...record("wf_1", "Greeter", 2), definition: JSON.parse(String(init!.body)), name: "Hello" } }) });
    await mountAt(m.current, "/");
    const host = m.current.host;
    click(byTestId(host, "rename-wf_1"));
    type(byTestId(host, "rename-input-wf_1"), "   ");
    click(byTestId(host, "rename-save-wf_1"));
    await settle();
    expect(alerts(host)).toContain("Give the workflow a name.");
    expect(calls.some((c) => c.method === "PUT")).toBe(false);
    type(byTestId(host, "rename-input-wf_1"), "Hello");
    click(byTestId(host, "rename-save-wf_1"));
    await settle();
    expect(calls.find((c) => c.method === "PUT")!.body).toEqual({ ...def("Greeter"), name: "Hello" });
    expect(byTestId(host, "workflow-row-wf_1").querySelector("a")!.textContent).toBe("Hello");
  });

  it("duplicates as a new workflow named (copy)", async () => {
    const calls = routes({ "POST /api/workflows": (init) => ({ status: 201, body: { ...record("wf_3", "x"), definition: JSON.parse(String(init!.body)), name: "Greeter (copy)" } }) });
    await mountAt(m.current, "/");
    click(byTestId(m.current.host, "duplicate-wf_1"));
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ ...def("Greeter"), name: "Greeter (copy)" });
    expect(rows(m.current.host, "workflow-row-")).toEqual(["wf_1", "wf_2", "wf_3"]);
  });

  it("deletes only after the confirmation, and says why a delete failed", async () => {
    let fail = true;
    const calls = routes({
      "DELETE /api/workflows/wf_2": () => (fail ? { status: 500, body: { error: { code: "internal", message: "the database is locked" } } } : { status: 204 }),
    });
    await mountAt(m.current, "/");
    const host = m.current.host;
    click(byTestId(host, "delete-wf_2"));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    click(byTestId(host, "delete-wf_2-confirm"));
    await settle();
    expect(alerts(host)).toContain("the database is locked");
    expect(rows(host, "workflow-row-")).toEqual(["wf_1", "wf_2"]);
    fail = false;
    click(byTestId(host, "delete-wf_2"));
    click(byTestId(host, "delete-wf_2-confirm"));
    await settle();
    expect(rows(host, "workflow-row-")).toEqual(["wf_1"]);
  });

  it("exports the saved document as a .workflow.json file", async () => {
    routes();
    let blob: Blob | null = null;
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (b: Blob) => ((blob = b), "blob:x"), revokeObjectURL: () => {} }));
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe("greeter.workflow.json");
    });
    await mountAt(m.current, "/");
    click(byTestId(m.current.host, "export-wf_1"));
    await settle();
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(JSON.parse(await blob!.text())).toEqual(def("Greeter"));
  });

  it("imports pasted JSON, with not-JSON and the server's problems in words", async () => {
    let invalid = true;
    const calls = routes({
      "POST /api/workflows": () =>
        invalid
          ? { status: 400, body: { error: { code: "workflow_invalid", message: "the workflow is invalid", details: [{ step: "greet", field: "inputs.message", message: "must be a string" }] } } }
          : { status: 201, body: record("wf_9", "Imported") },
    });
    await mountAt(m.current, "/");
    const host = m.current.host;
    click(byTestId(host, "import-workflow"));
    type(byTestId(host, "import-text"), "{not json");
    click(byTestId(host, "import-submit"));
    await settle();
    expect(alerts(byTestId(host, "import-dialog"))[0]).toMatch(/^This is not JSON/);
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    type(byTestId(host, "import-text"), JSON.stringify(def("Imported")));
    click(byTestId(host, "import-submit"));
    await settle();
    expect(alerts(byTestId(host, "import-dialog"))).toEqual(["the workflow is invalid", "step greet, inputs.message: must be a string"]);
    invalid = false;
    click(byTestId(host, "import-submit"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").at(-1)!.body).toEqual(def("Imported"));
    expect(location.pathname).toBe("/workflows/wf_9");
  });
});
