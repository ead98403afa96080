import { describe, expect, it } from "vitest";
import { TRIGGER_NODE_ID, graphToWorkflow, upstreamCandidates, workflowToGraph, COLUMN_WIDTH } from "./graph";
import { addStepAfter, connect, disconnect, nextStepId, removeSteps, setStepField, setTriggerType } from "./edits";
import { autoLayout } from "./layout";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = {
  name: "Triage",
  description: "kept as is",
  trigger: { type: "webhook" },
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test/{{trigger.id}}" }, position: { x: 300, y: 40 } },
    { id: "shape", action: "core.transform", inputs: { value: { n: "{{steps.fetch.output.body.n}}" } } },
    { id: "notify", action: "slack.sendMessage", after: ["shape"], inputs: { channel: "#ops", text: "{{ steps.fetch.output.status }} {{steps.shape.output}}" }, retry: { maxAttempts: 3 } },
    { id: "audit", action: "core.delay", if: "{{steps.notify.output.ok}}", timeoutMs: 5000 },
  ],
  output: "{{steps.notify.output}}",
};

describe("workflow → graph", () => {
  const g = workflowToGraph(doc);

  it("has the trigger node and one node per step", () => {
    expect(g.nodes.map((n) => [n.id, n.type])).toEqual([
      [TRIGGER_NODE_ID, "trigger"],
      ["fetch", "step"],
      ["shape", "step"],
      ["notify", "step"],
      ["audit", "step"],
    ]);
  });

  it("draws edges from `after` and from template references (inputs and if), merged per pair", () => {
    expect(g.edges.map((e) => [e.source, e.target, e.kinds])).toEqual([
      [TRIGGER_NODE_ID, "fetch", ["trigger"]],
      ["fetch", "shape", ["ref"]],
      ["shape", "notify", ["after", "ref"]],
      ["fetch", "notify", ["ref"]],
      ["notify", "audit", ["ref"]],
    ]);
    expect(g.dangling).toEqual([]);
  });

  it("keeps stored positions and places the rest by dependency column", () => {
    const pos = Object.fromEntries(g.nodes.map((n) => [n.id, [n.position.x, n.position.y, n.placed]]));
    expect(pos.fetch).toEqual([300, 40, false]);
    expect(pos.shape).toEqual([2 * COLUMN_WIDTH, 0, true]);
    expect(pos.notify).toEqual([3 * COLUMN_WIDTH, 0, true]);
    expect(pos.audit).toEqual([4 * COLUMN_WIDTH, 0, true]);
    expect(pos[TRIGGER_NODE_ID]).toEqual([300 - COLUMN_WIDTH, 40, true]);
  });

  it("references to unknown steps and self draw no edge and are listed", () => {
    const bad: WorkflowDocument = {
      name: "x",
      steps: [{ id: "a", action: "core.delay", after: ["ghost", "a"], inputs: { v: "{{steps.nope.output}} {{steps.a.output}}" } }],
    };
    const gb = workflowToGraph(bad);
    expect(gb.edges.map((e) => e.source)).toEqual([TRIGGER_NODE_ID]);
    expect(gb.dangling).toEqual([
      { step: "a", target: "ghost" },
      { step: "a", target: "nope" },
    ]);
  });

  it("a cycle (the server refuses it) still lays out without looping", () => {
    const cyc: WorkflowDocument = { name: "c", steps: [{ id: "a", action: "x.y", after: ["b"] }, { id: "b", action: "x.y", after: ["a"] }] };
    const gc = workflowToGraph(cyc);
    expect(gc.nodes).toHaveLength(3);
    expect(gc.edges.filter((e) => e.source !== TRIGGER_NODE_ID)).toHaveLength(2);
  });
});

describe("graph → workflow", () => {
  it("round-trips exactly, down to key order, when nothing moved", () => {
    const g = workflowToGraph(doc);
    const back = graphToWorkflow(doc, g.nodes);
    expect(back.workflow).toBe(doc);
    expect(JSON.stringify(back.workflow)).toBe(JSON.stringify(doc));
    expect(back.triggerPosition).toBeUndefined();
  });

  it("round-trips through JSON text (a saved and reloaded document)", () => {
    const reloaded = JSON.parse(JSON.stringify(doc)) as WorkflowDocument;
    const back = graphToWorkflow(reloaded, workflowToGraph(reloaded).nodes);
    expect(back.workflow).toEqual(doc);
  });

  it("writes a moved node's position into its step, and only that", () => {
    const g = workflowToGraph(doc);
    const moved = g.nodes.map((n) => (n.id === "shape" ? { ...n, position: { x: 10, y: 20 }, placed: false } : n));
    const back = graphToWorkflow(doc, moved).workflow;
    expect(back.steps[1]).toEqual({ ...doc.steps[1], position: { x: 10, y: 20 } });
    expect(back.steps[0]).toBe(doc.steps[0]);
    expect(back.steps[2]).toBe(doc.steps[2]);
    expect(doc.steps[1]!.position).toBeUndefined();
    // …and reading it back gives the same graph position.
    expect(workflowToGraph(back).nodes.find((n) => n.id === "shape")!.position).toEqual({ x: 10, y: 20 });
  });

  it("the trigger's position comes back as the side value, not in the document", () => {
    const g = workflowToGraph(doc, { x: -5, y: 7 });
    expect(g.nodes[0]!.position).toEqual({ x: -5, y: 7 });
    const back = graphToWorkflow(doc, g.nodes);
    expect(back.triggerPosition).toEqual({ x: -5, y: 7 });
    expect(JSON.stringify(back.workflow)).not.toContain("-5");
  });

  it("ignores stored positions that are not finite numbers", () => {
    const odd = { name: "o", steps: [{ id: "a", action: "x.y", position: { x: "1", y: null } }] } as unknown as WorkflowDocument;
    const g = workflowToGraph(odd);
    expect(g.nodes[1]!.placed).toBe(true);
    expect(graphToWorkflow(odd, g.nodes).workflow).toBe(odd);
  });
});

describe("edits", () => {
  it("adds a step after the selected one, with a fresh id, right of it (below a node already there)", () => {
    const pos = (id: string) => workflowToGraph(doc).nodes.find((n) => n.id === id)?.position;
    const { workflow, stepId } = addStepAfter(doc, "fetch", "slack.sendMessage", pos);
    expect(stepId).toBe("sendMessage");
    const added = workflow.steps[1]!;
    expect(added).toEqual({ id: "sendMessage", action: "slack.sendMessage", inputs: {}, after: ["fetch"], position: { x: 300 + COLUMN_WIDTH, y: 160 } });
    // `shape` sits at (560, 0): the first free row right of fetch is one row below fetch's.
    expect(workflow.steps.map((s) => s.id)).toEqual(["fetch", "sendMessage", "shape", "notify", "audit"]);
    expect(doc.steps).toHaveLength(4);
    const first = addStepAfter(workflow, TRIGGER_NODE_ID, "slack.sendMessage", pos);
    expect(first.stepId).toBe("sendMessage_2");
    expect(first.workflow.steps[0]!.after).toBeUndefined();
  });

  it("step ids are always valid and unique", () => {
    const w: WorkflowDocument = { name: "x", steps: [{ id: "request", action: "http.request" }] };
    expect(nextStepId(w, "http.request")).toBe("request_2");
    expect(nextStepId(w, "acme.9lives")).toBe("step_9lives");
    expect(nextStepId(w, "acme.with space/é")).toBe("with_space__");
    expect(nextStepId(w, "x." + "a".repeat(200))).toMatch(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/);
  });

  it("removing a step drops it from others' after lists; templates stay as written", () => {
    const w = removeSteps(doc, ["shape"]);
    expect(w.steps.map((s) => s.id)).toEqual(["fetch", "notify", "audit"]);
    expect(w.steps[1]!.after).toBeUndefined();
    expect(w.steps[1]!.inputs!.text).toBe(doc.steps[2]!.inputs!.text);
    expect(workflowToGraph(w).dangling).toEqual([{ step: "notify", target: "shape" }]);
    expect(removeSteps(doc, ["nope"])).toBe(doc);
  });

  it("connect adds `after`; from the trigger, to itself or twice it changes nothing", () => {
    const w = connect(doc, "fetch", "audit");
    expect(w.steps[3]!.after).toEqual(["fetch"]);
    expect(connect(w, "fetch", "audit")).toBe(w);
    expect(connect(doc, TRIGGER_NODE_ID, "audit")).toBe(doc);
    expect(connect(doc, "audit", "audit")).toBe(doc);
    expect(connect(doc, "ghost", "audit")).toBe(doc);
  });

  it("disconnect removes an `after` entry but says when the edge is a template reference", () => {
    const d = disconnect(doc, "shape", "notify");
    expect(d.removed).toBe(true);
    expect(d.workflow.steps[2]!.after).toBeUndefined();
    // The edge stays: notify's text still reads shape's output.
    expect(workflowToGraph(d.workflow).edges.find((e) => e.source === "shape")!.kinds).toEqual(["ref"]);
    expect(disconnect(doc, "fetch", "shape")).toEqual({ workflow: doc, removed: false });
  });

  it("sets and removes one field of a step without touching the rest", () => {
    const w = setStepField(doc, "notify", ["inputs", "text"], "hello");
    expect(w.steps[2]!.inputs).toEqual({ channel: "#ops", text: "hello" });
    expect(w.steps[0]).toBe(doc.steps[0]);
    const r = setStepField(w, "notify", ["inputs", "channel"], undefined);
    expect(r.steps[2]!.inputs).toEqual({ text: "hello" });
    expect(setStepField(doc, "ghost", ["inputs", "a"], 1)).toBe(doc);
  });

  it("changing the trigger type drops schedule-only fields", () => {
    const s = setTriggerType(doc, "schedule");
    expect(s.trigger).toEqual({ type: "schedule" });
    const m = setTriggerType({ ...s, trigger: { type: "schedule", cron: "* * * * *", timezone: "UTC" } }, "manual");
    expect(m.trigger).toEqual({ type: "manual" });
  });
});

describe("upstream candidates and layout", () => {
  it("a step may read every step but itself and those downstream of it", () => {
    expect(upstreamCandidates(doc, "notify").map((s) => s.id)).toEqual(["fetch", "shape"]);
    expect(upstreamCandidates(doc, "fetch").map((s) => s.id)).toEqual([]);
    expect(upstreamCandidates(doc, "audit").map((s) => s.id)).toEqual(["fetch", "shape", "notify"]);
  });

  it("auto-layout puts each node right of what it depends on", () => {
    const g = workflowToGraph(doc);
    const p = autoLayout(g);
    const x = (id: string) => p.get(id)!.x;
    expect(x(TRIGGER_NODE_ID)).toBeLessThan(x("fetch"));
    expect(x("fetch")).toBeLessThan(x("shape"));
    expect(x("shape")).toBeLessThan(x("notify"));
    expect(x("notify")).toBeLessThan(x("audit"));
  });
});
