import { describe, expect, it } from "vitest";
import { applyRun, applyStep, nodeStatus, outputsOf, parseStep, startView } from "./runs";

const step = (id: string, status: string, output: unknown = null) => ({
  id, status, attempts: 1, input: { a: 1 }, output, logs: [], error: null,
  startedAt: "2024-01-01T00:00:00Z", finishedAt: "2024-01-01T00:00:01Z", durationMs: 1000,
});

describe("runs", () => {
  it("follows step events then the run event", () => {
    let v = startView("run_1");
    expect(nodeStatus(v, "fetch")).toBe("pending");
    v = applyStep(v, step("fetch", "running"));
    expect(v.run.status).toBe("running");
    expect(nodeStatus(v, "fetch")).toBe("running");
    v = applyStep(v, step("fetch", "succeeded", { status: 200 }));
    expect(v.steps).toHaveLength(1);
    v = applyStep(v, step("notify", "failed"));
    expect(nodeStatus(v, "notify")).toBe("failed");
    expect(nodeStatus(v, "later")).toBe("pending");
    v = applyRun(v, { id: "run_1", status: "failed", error: { message: "boom" }, finishedAt: "2024-01-01T00:00:02Z" });
    expect(v.run.status).toBe("failed");
    expect(nodeStatus(v, "later")).toBe("none");
    expect([...outputsOf(v)]).toEqual([["fetch", { status: 200 }]]);
    // A late step event does not make a finished run running again.
    expect(applyStep(v, step("x", "skipped")).run.status).toBe("failed");
  });

  it("takes a whole run with its steps, and only its own", () => {
    const v = applyRun(startView("run_1"), { id: "run_1", status: "succeeded", steps: [step("a", "succeeded", 1), step("b", "skipped")] });
    expect(v.steps.map((s) => [s.id, s.status])).toEqual([["a", "succeeded"], ["b", "skipped"]]);
    expect(v.run.status).toBe("succeeded");
    expect(applyRun(v, { id: "run_2", status: "failed" })).toBe(v);
  });

  it("ignores events that are not steps or runs", () => {
    const v = startView("run_1");
    for (const bad of [null, 1, "x", [], { id: "a" }, { id: "a", status: "exploded" }, { id: 1, status: "running" }]) {
      expect(applyStep(v, bad)).toBe(v);
      expect(applyRun(v, bad)).toBe(v);
    }
    expect(parseStep({ id: "a", status: "succeeded" })).toMatchObject({ attempts: 0, durationMs: undefined });
    expect(nodeStatus(null, "a")).toBe("none");
  });
});
