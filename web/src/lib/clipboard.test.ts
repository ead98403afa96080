// Copy/paste of steps: the clipboard document, renaming on clash, rewriting of references
// between the pasted steps, placement, and text that is not such a document.
import { describe, expect, it } from "vitest";
import { copySteps, parseClipboard, pasteSteps } from "./clipboard";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = {
  name: "Notify",
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" }, position: { x: 280, y: 0 } },
    {
      id: "notify",
      action: "slack.sendMessage",
      after: ["fetch"],
      inputs: { text: "{{steps.fetch.output.status}} and {{ steps['fetch'].output.body }} / {{steps.other.output.x}}", list: ["{{steps.fetch.output}}"] },
      if: "{{steps.fetch.output.ok}}",
      position: { x: 560, y: 0 },
    },
    { id: "done", action: "core.transform", inputs: {}, position: { x: 840, y: 0 } },
  ],
};

describe("copySteps / parseClipboard", () => {
  it("round-trips the selected steps in the workflow's order, as the workflow has them", () => {
    const text = copySteps(doc, ["notify", "fetch", "nope"])!;
    expect(JSON.parse(text)).toEqual({ weft: "steps", steps: [doc.steps[0], doc.steps[1]] });
    expect(parseClipboard(text)).toEqual([doc.steps[0], doc.steps[1]]);
  });

  it("takes a step with nested inputs up to the depth limit", () => {
    const nested = JSON.stringify({ weft: "steps", steps: [{ id: "a", action: "x", inputs: { v: JSON.parse("[".repeat(90) + "]".repeat(90)) } }] });
    expect(parseClipboard(nested)).toHaveLength(1);
  });

  it("copies nothing when no step is selected", () => {
    expect(copySteps(doc, [])).toBeNull();
    expect(copySteps(doc, ["@trigger"])).toBeNull();
  });

  it("ignores text that is not a steps document", () => {
    for (const t of [
      "",
      "hello",
      "{not json",
      '{"weft":"steps"}',
      '{"weft":"steps","steps":[]}',
      '{"weft":"workflow","steps":[{"id":"a","action":"x"}]}',
      '{"weft":"steps","steps":[{"id":"a"}]}',
      '{"weft":"steps","steps":[{"id":1,"action":"x"}]}',
      '{"weft":"steps","steps":[{"id":"a","action":"x","after":"b"}]}',
      '{"weft":"steps","steps":[{"id":"a","action":"x","inputs":[1]}]}',
      '{"weft":"steps","steps":[null]}',
      '["weft"]',
      '{"weft":"steps","steps":[{"id":"a","action":"x","inputs":{"v":' + "[".repeat(5000) + "]".repeat(5000) + "}}]}",
      '{"weft":"steps","steps":[{"id":"a","action":"x"}],"pad":"' + "x".repeat(2_000_001) + '"}',
    ]) {
      expect(parseClipboard(t)).toBeNull();
    }
  });
});

describe("pasteSteps", () => {
  it("renames clashing ids and rewrites after and templates between the pasted steps only", () => {
    const steps = parseClipboard(copySteps(doc, ["fetch", "notify"])!)!;
    const { workflow, ids } = pasteSteps(doc, steps, null);
    expect(ids).toEqual(["fetch_2", "notify_2"]);
    const [f2, n2] = workflow.steps.slice(3);
    expect(f2!.id).toBe("fetch_2");
    expect(f2!.after).toBeUndefined();
    expect(n2!.after).toEqual(["fetch_2"]);
    expect(n2!.inputs).toEqual({
      text: "{{steps.fetch_2.output.status}} and {{ steps.fetch_2.output.body }} / {{steps.other.output.x}}",
      list: ["{{steps.fetch_2.output}}"],
    });
    expect(n2!.if).toBe("{{steps.fetch_2.output.ok}}");
    // the source document is untouched
    expect(doc.steps).toHaveLength(3);
    expect(doc.steps[1]!.inputs!.text).toContain("steps.fetch.output.status");
  });

  it("keeps references to steps outside the paste as they are", () => {
    const steps = parseClipboard(copySteps(doc, ["notify"])!)!;
    const other: WorkflowDocument = { name: "Other", steps: [{ id: "a", action: "core.transform" }] };
    const { workflow, ids } = pasteSteps(other, steps, null);
    expect(ids).toEqual(["notify"]);
    const n = workflow.steps[1]!;
    expect(n.after).toEqual(["fetch"]);
    expect(n.inputs!.text).toBe(doc.steps[1]!.inputs!.text);
  });

  it("goes after the selected step: in the array, and its roots run after it, placed right of it", () => {
    const steps = parseClipboard(copySteps(doc, ["fetch", "notify"])!)!;
    const at = new Map(doc.steps.map((s) => [s.id, s.position!]));
    const { workflow } = pasteSteps(doc, steps, "fetch", (id) => at.get(id));
    expect(workflow.steps.map((s) => s.id)).toEqual(["fetch", "fetch_2", "notify_2", "notify", "done"]);
    expect(workflow.steps[1]!.after).toEqual(["fetch"]);
    expect(workflow.steps[2]!.after).toEqual(["fetch_2"]);
    expect(workflow.steps[1]!.position).toEqual({ x: 560, y: 0 });
    expect(workflow.steps[2]!.position).toEqual({ x: 840, y: 0 });
  });

  it("without a selection goes to the end, below every node", () => {
    const steps = parseClipboard(copySteps(doc, ["done"])!)!;
    const { workflow } = pasteSteps(doc, steps, null);
    const last = workflow.steps[3]!;
    expect(last.id).toBe("done_2");
    expect(last.after).toBeUndefined();
    expect(last.position).toEqual({ x: 840, y: 120 });
  });

  it("makes hostile ids valid and keeps duplicate ids once", () => {
    const { workflow, ids } = pasteSteps(doc, [
      { id: "9 bad id!", action: "core.transform" },
      { id: "x", action: "core.transform" },
      { id: "x", action: "core.delay" },
      { id: "self", action: "core.transform", after: ["self"] },
    ], null);
    expect(ids).toEqual(["step_9_bad_id_", "x", "self"]);
    expect(workflow.steps.find((s) => s.id === "x")!.action).toBe("core.transform");
    expect(workflow.steps.find((s) => s.id === "self")!.after).toEqual(["self"]);
  });
});
