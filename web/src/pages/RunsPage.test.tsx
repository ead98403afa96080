// @vitest-environment jsdom
// Run history: filters from and to the URL, the query the server gets, paging by its cursor,
// refusals in words; the run page: Cancel of a running run, Re-run with the same input.
import { act } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byTestId, choose, click, settle, stubFetch } from "../builder/testing.test-support";
import { alerts, mountAt, rows, usePageHost } from "./pages.test-support";

const run = (id: string, status: string, extra: object = {}) => ({
  id, status, workflowId: "wf_1", workflowVersion: 1, input: { who: "Ada" }, output: null, error: null,
  cancelRequested: false, createdAt: "2026-12-01T10:00:00Z", startedAt: "2026-12-01T10:00:00Z",
  finishedAt: status === "running" ? null : "2026-12-01T10:00:02Z", ...extra,
});
const workflows = { workflows: [{ id: "wf_1", name: "Greeter", version: 1, trigger: "manual", updatedAt: "2026-12-01T09:00:00Z" }] };

class FakeEventSource {
  static all: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {}
  emit(type: string, data: unknown) {
    act(() => {
      for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
    });
  }
}

const m = usePageHost();

describe("run history", () => {
  it("lists runs, pages with the cursor, and shows each run's status in words", async () => {
    const calls = stubFetch({
      "GET /api/workflows": { body: workflows },
      "GET /api/runs?limit=50": { body: { runs: [run("r3", "failed"), run("r2", "succeeded")], nextCursor: "r2" } },
      "GET /api/runs?cursor=r2&limit=50": { body: { runs: [run("r1", "cancelled")], nextCursor: null } },
    });
    await mountAt(m.current, "/runs");
    const host = m.current.host;
    expect(rows(host, "run-row-")).toEqual(["r3", "r2"]);
    expect(byTestId(host, "run-row-r3").textContent).toContain("Greeter");
    expect(byTestId(host, "run-row-r3").textContent).toContain("failed");
    expect(byTestId(host, "run-row-r3").textContent).toContain("2.0 s");
    click(byTestId(host, "runs-older"));
    await settle();
    expect(rows(host, "run-row-")).toEqual(["r3", "r2", "r1"]);
    expect(host.querySelector('[data-testid="runs-older"]')).toBeNull();
    expect(calls.filter((c) => c.path.startsWith("/api/runs")).map((c) => c.path)).toEqual(["/api/runs?limit=50", "/api/runs?cursor=r2&limit=50"]);
  });

  it("filters by workflow and status from the URL, and a change is a new URL and a new query", async () => {
    const calls = stubFetch({
      "GET /api/workflows": { body: workflows },
      "GET /api/runs?workflowId=wf_1&status=failed&limit=50": { body: { runs: [run("r3", "failed")], nextCursor: null } },
      "GET /api/runs?workflowId=wf_1&limit=50": { body: { runs: [], nextCursor: null } },
    });
    await mountAt(m.current, "/runs?workflowId=wf_1&status=failed");
    const host = m.current.host;
    expect(byTestId<HTMLSelectElement>(host, "runs-filter-workflow").value).toBe("wf_1");
    expect(rows(host, "run-row-")).toEqual(["r3"]);
    expect(host.querySelector('[data-testid="runs-older"]')).toBeNull();
    choose(byTestId(host, "runs-filter-status"), "");
    await settle();
    expect(location.search).toBe("?workflowId=wf_1");
    expect(host.textContent).toContain("No runs match");
    expect(calls.at(-1)!.path).toBe("/api/runs?workflowId=wf_1&limit=50");
  });

  it("shows the server's refusal in words", async () => {
    stubFetch({
      "GET /api/workflows": { body: workflows },
      "GET /api/runs?limit=50": { status: 400, body: { error: { code: "invalid_input", message: "'limit' must be an integer from 1 to 500" } } },
    });
    await mountAt(m.current, "/runs");
    expect(alerts(m.current.host)).toContain("'limit' must be an integer from 1 to 500");
  });
});

describe("run page", () => {
  beforeEach(() => {
    FakeEventSource.all = [];
    vi.stubGlobal("EventSource", FakeEventSource);
  });

  it("cancels a running run and follows it to cancelled", async () => {
    let cancelled = false;
    const calls = stubFetch({
      "POST /api/runs/r1/cancel": () => {
        cancelled = true;
        return { body: run("r1", "running", { cancelRequested: true }) };
      },
      "GET /api/runs/r1": () => ({ body: { ...run("r1", cancelled ? "cancelled" : "running"), steps: [] } }),
    });
    await mountAt(m.current, "/runs/r1");
    const host = m.current.host;
    expect(FakeEventSource.all[0]!.url).toBe("/api/runs/r1/events");
    FakeEventSource.all[0]!.emit("step", { id: "greet", status: "running", attempts: 1, input: {}, output: null, logs: [], error: null });
    expect(byTestId(host, "run-status").textContent).toBe("running");
    click(byTestId(host, "run-cancel"));
    await settle();
    expect(calls.some((c) => c.method === "POST" && c.path === "/api/runs/r1/cancel")).toBe(true);
    expect(FakeEventSource.all).toHaveLength(2);
    FakeEventSource.all[1]!.emit("run", run("r1", "cancelled"));
    await settle();
    expect(byTestId(host, "run-status").textContent).toBe("cancelled");
    expect(host.querySelector('[data-testid="run-cancel"]')).toBeNull();
  });

  it("shows a refused cancel in words", async () => {
    stubFetch({
      "POST /api/runs/r1/cancel": { status: 409, body: { error: { code: "conflict", message: "the run has already ended" } } },
      "GET /api/runs/r1": { body: { ...run("r1", "running"), steps: [] } },
    });
    await mountAt(m.current, "/runs/r1");
    FakeEventSource.all[0]!.emit("step", { id: "greet", status: "running", attempts: 1 });
    click(byTestId(m.current.host, "run-cancel"));
    await settle();
    expect(alerts(m.current.host)).toContain("the run has already ended");
  });

  it("re-runs with the same input and opens the new run", async () => {
    const calls = stubFetch({
      "GET /api/runs/r1": { body: { ...run("r1", "succeeded"), steps: [{ id: "greet", status: "succeeded", attempts: 1, input: { who: "Ada" }, output: { text: "hi Ada" }, logs: [], error: null }] } },
      "POST /api/workflows/wf_1/runs": { status: 202, body: { runId: "r2", status: "queued" } },
    });
    await mountAt(m.current, "/runs/r1");
    const host = m.current.host;
    FakeEventSource.all[0]!.emit("run", run("r1", "succeeded"));
    await settle();
    expect(byTestId(host, "run-output-greet").textContent).toContain("hi Ada");
    expect(byTestId(host, "run-workflow").getAttribute("href")).toBe("/workflows/wf_1");
    click(byTestId(host, "run-rerun"));
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ input: { who: "Ada" } });
    expect(location.pathname).toBe("/runs/r2");
    expect(FakeEventSource.all.at(-1)!.url).toBe("/api/runs/r2/events");
  });
});
