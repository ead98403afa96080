// Tidy up: every step laid out by dagre left to right, the trigger kept where it is drawn.
import { describe, expect, it } from "vitest";
import { tidyUp } from "./layout";
import { workflowToGraph } from "./graph";
import type { WorkflowDocument } from "./types";

const messy: WorkflowDocument = {
  name: "Messy",
  steps: [
    { id: "a", action: "http.request", position: { x: 900, y: -400 } },
    { id: "b", action: "core.transform", after: ["a"], position: { x: -300, y: 700 } },
    { id: "c", action: "core.transform", inputs: { v: "{{steps.a.output.x}}" }, position: { x: 0, y: 0 } },
  ],
};

describe("tidyUp", () => {
  it("puts each step right of what it depends on, one column per rank, in one new document", () => {
    const trigger = { x: 10, y: 20 };
    const out = tidyUp(messy, trigger);
    expect(out).not.toBe(messy);
    const p = new Map(out.steps.map((s) => [s.id, s.position!]));
    expect(p.get("a")!.x).toBeGreaterThan(trigger.x);
    expect(p.get("b")!.x).toBeGreaterThan(p.get("a")!.x);
    expect(p.get("c")!.x).toBe(p.get("b")!.x);
    expect(p.get("c")!.y).not.toBe(p.get("b")!.y);
    // the trigger is not moved: the layout is shifted to it
    expect(workflowToGraph(out, trigger).nodes[0]!.position).toEqual(trigger);
    expect(p.get("a")!.y).toBe(trigger.y);
    // the rest of the document is untouched
    expect(out.steps.map(({ position: _p, ...rest }) => rest)).toEqual(messy.steps.map(({ position: _p, ...rest }) => rest));
    expect(messy.steps[0]!.position).toEqual({ x: 900, y: -400 });
  });

  it("is a no-op on an empty workflow and when already tidy", () => {
    const empty = { name: "E", steps: [] };
    expect(tidyUp(empty)).toBe(empty);
    const once = tidyUp(messy, { x: 0, y: 0 });
    expect(tidyUp(once, { x: 0, y: 0 })).toBe(once);
  });
});
