// @vitest-environment jsdom
// The builder end to end in jsdom: selecting a node opens its inspector and Ctrl+Z there undoes
// a field edit; unsaved edits survive a remount (a reload) with a notice and are cleared on
// save; Test run saves if needed, posts the remembered trigger input, colours nodes from the
// run's events and shows each step's output. No console errors allowed.
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Builder } from "./Builder";
import { catalog } from "../lib/fixtures.test-support";
import type { WorkflowDocument } from "../lib/types";
import { button, byTestId, click, createHost, key, mount, settle, stubFetch, type, type Mounted } from "./testing.test-support";

class FakeEventSource {
  static all: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    act(() => {
      for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
    });
  }
}

const doc: WorkflowDocument = {
  name: "Notify",
  trigger: { type: "manual" },
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" } },
    { id: "shape", action: "core.transform", inputs: { value: "{{steps.fetch.output.status}}" } },
  ],
};

const stepJson = (id: string, status: string, output: unknown) => ({
  id, status, attempts: 1, input: { url: "https://x.test" }, output, logs: [], error: null,
  startedAt: "2024-01-01T00:00:00Z", finishedAt: "2024-01-01T00:00:00Z", durationMs: 12,
});

let m: Mounted;
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  m = createHost();
  consoleError = vi.spyOn(console, "error");
  FakeEventSource.all = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  history.replaceState(null, "", "/workflows/wf_1");
});

afterEach(() => {
  act(() => m.root.unmount());
  m.host.remove();
  localStorage.clear();
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();
  vi.unstubAllGlobals();
});

const node = (id: string) => byTestId(m.host, `node-${id}`);
const record = (d: WorkflowDocument) => ({ body: { id: "wf_1", name: d.name, version: 2, definition: d, createdAt: "", updatedAt: "" } });

describe("builder inspector", () => {
  it("opens the selected step's inspector; Ctrl+Z in a field undoes the edit", async () => {
    stubFetch({ "GET /api/credentials": { body: { credentials: [] } } });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    // A click only: d3-drag's mousedown handler needs a real window as the event's view.
    act(() => m.host.querySelector<HTMLElement>('.react-flow__node[data-id="shape"]')!.click());
    const value = byTestId<HTMLTextAreaElement>(m.host, "field-inputs.value");
    expect(value.value).toBe("{{steps.fetch.output.status}}");
    type(value, "{{steps.fetch.output.body}}");
    expect(byTestId(m.host, "save-state").textContent).toBe("Unsaved changes");
    key(value, "z", { ctrlKey: true });
    expect(byTestId<HTMLTextAreaElement>(m.host, "field-inputs.value").value).toBe("{{steps.fetch.output.status}}");
    expect(byTestId(m.host, "save-state").textContent).toBe("Saved");
  });
});

describe("drafts", () => {
  it("keeps unsaved edits across a reload, with a notice, until saved", async () => {
    const calls = stubFetch({ "GET /api/credentials": { body: { credentials: [] } }, "PUT /api/workflows/wf_1": record({ ...doc, name: "Renamed" }) });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} version={2} />);
    type(m.host.querySelector<HTMLInputElement>('input[aria-label="Workflow name"]')!, "Renamed");
    expect(JSON.parse(localStorage.getItem("weft:draft:wf_1")!).doc.name).toBe("Renamed");
    act(() => m.root.unmount());
    m = createHost();
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} version={2} />);
    expect(m.host.querySelector<HTMLInputElement>('input[aria-label="Workflow name"]')!.value).toBe("Renamed");
    expect(byTestId(m.host, "draft-notice").textContent).toContain("Restored your unsaved changes");
    expect(byTestId(m.host, "save-state").textContent).toBe("Unsaved changes");
    // Discard goes back to the saved copy (and can itself be undone).
    click(button(byTestId(m.host, "draft-notice"), "Discard them"));
    expect(m.host.querySelector<HTMLInputElement>('input[aria-label="Workflow name"]')!.value).toBe("Notify");
    expect(localStorage.getItem("weft:draft:wf_1")).toBeNull();
    click(button(m.host, "Undo"));
    expect(m.host.querySelector<HTMLInputElement>('input[aria-label="Workflow name"]')!.value).toBe("Renamed");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "save-button").click());
    await settle();
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(1);
    expect(localStorage.getItem("weft:draft:wf_1")).toBeNull();
    expect(byTestId(m.host, "save-state").textContent).toBe("Saved");
  });

  it("says when the saved workflow changed since the draft was made", async () => {
    stubFetch({ "GET /api/credentials": { body: { credentials: [] } } });
    localStorage.setItem("weft:draft:wf_1", JSON.stringify({ doc: { ...doc, name: "Old edit" }, savedAt: 0, baseVersion: 1 }));
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} version={3} />);
    expect(byTestId(m.host, "draft-notice").textContent).toContain("has changed since (now version 3)");
  });
});

describe("test run", () => {
  it("runs with the remembered input, colours nodes from the events and shows outputs", async () => {
    localStorage.setItem("weft:run-input:wf_1", '{"who": "ada"}');
    const finalRun = {
      id: "run_1", status: "succeeded", workflowId: "wf_1", input: { who: "ada" }, output: null, error: null,
      steps: [stepJson("fetch", "succeeded", { status: 200, body: "pong" }), stepJson("shape", "succeeded", 200)],
    };
    const calls = stubFetch({
      "GET /api/credentials": { body: { credentials: [] } },
      "POST /api/workflows/wf_1/runs": { status: 202, body: { runId: "run_1", status: "queued" } },
      "GET /api/runs/run_1": { body: finalRun },
    });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    expect(node("fetch").getAttribute("data-status")).toBe("none");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "run-button").click());
    await settle();
    expect(calls.filter((c) => c.method !== "GET")).toEqual([{ method: "POST", path: "/api/workflows/wf_1/runs", body: { input: { who: "ada" } } }]);
    expect(location.search).toBe("?run=run_1");
    const es = FakeEventSource.all[0]!;
    expect(es.url).toBe("/api/runs/run_1/events");
    expect(node("fetch").getAttribute("data-status")).toBe("pending");
    es.emit("step", stepJson("fetch", "succeeded", { status: 200, body: "pong" }));
    expect(node("fetch").getAttribute("data-status")).toBe("succeeded");
    expect(node("fetch").className).toContain("status-succeeded");
    expect(node("shape").getAttribute("data-status")).toBe("pending");
    expect(byTestId(m.host, "run-output-fetch").textContent).toContain('"pong"');
    es.emit("run", { id: "run_1", status: "succeeded", workflowId: "wf_1" });
    await settle();
    expect(es.closed).toBe(true);
    expect(node("shape").getAttribute("data-status")).toBe("succeeded");
    expect(byTestId(m.host, "run-status").textContent).toBe("succeeded");
    click(byTestId(m.host, "run-step-shape"));
    expect(byTestId(m.host, "run-output-shape").textContent).toContain("200");
    expect(m.host.querySelector('[aria-label="Run of shape"]')!.textContent).toContain("1 attempt · 12 ms");
  });

  it("saves unsaved edits before running", async () => {
    const calls = stubFetch({
      "GET /api/credentials": { body: { credentials: [] } },
      "PUT /api/workflows/wf_1": record(doc),
      "POST /api/workflows/wf_1/runs": { status: 202, body: { runId: "run_2", status: "queued" } },
    });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    type(m.host.querySelector<HTMLInputElement>('input[aria-label="Workflow name"]')!, "Changed");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "run-button").click());
    await settle();
    expect(calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`)).toEqual(["PUT /api/workflows/wf_1", "POST /api/workflows/wf_1/runs"]);
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ input: {} });
  });

  it("refuses a trigger input that is not a JSON object, in words, without calling the server", async () => {
    localStorage.setItem("weft:run-input:wf_1", "{who: ada}");
    const calls = stubFetch({ "GET /api/credentials": { body: { credentials: [] } } });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    await act(async () => byTestId<HTMLButtonElement>(m.host, "run-button").click());
    expect(byTestId(m.host, "run-panel").textContent).toContain("The trigger input is not JSON");
    const input = byTestId<HTMLTextAreaElement>(m.host, "run-input");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    type(input, '{"who": "ada"}');
    expect(localStorage.getItem("weft:run-input:wf_1")).toBe('{"who": "ada"}');
    expect(calls.filter((c) => c.method !== "GET")).toEqual([]);
  });
});

describe("builder last run", () => {
  it("opening a workflow colours each node with its step's status in the last run", async () => {
    const lastRun = {
      id: "run_9", status: "failed", workflowId: "wf_1", input: {}, output: null, error: null,
      steps: [stepJson("fetch", "succeeded", { status: 200 }), stepJson("shape", "failed", null)],
    };
    const calls = stubFetch({
      "GET /api/credentials": { body: { credentials: [] } },
      "GET /api/runs?workflowId=wf_1&limit=1": { body: { runs: [{ id: "run_9", status: "failed" }], nextCursor: null } },
      "GET /api/runs/run_9": { body: lastRun },
    });
    await mount(m, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    await settle();
    expect(calls.some((c) => c.path === "/api/runs?workflowId=wf_1&limit=1")).toBe(true);
    const es = FakeEventSource.all[0]!;
    expect(es.url).toBe("/api/runs/run_9/events");
    es.emit("step", stepJson("fetch", "succeeded", { status: 200 }));
    es.emit("step", stepJson("shape", "failed", null));
    es.emit("run", { id: "run_9", status: "failed", workflowId: "wf_1" });
    await settle();
    expect(node("fetch").getAttribute("data-status")).toBe("succeeded");
    expect(node("shape").getAttribute("data-status")).toBe("failed");
    expect(location.search).toBe("");
    expect(m.host.querySelector('[data-testid="run-panel"]')).toBeNull();
  });
});

