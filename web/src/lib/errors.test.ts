import { describe, expect, it } from "vitest";
import { firstProblemNode, mapProblems, messagesFor, placeDetail } from "./errors";
import { TRIGGER_NODE_ID } from "./graph";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = {
  name: "x",
  trigger: { type: "schedule" },
  steps: [
    { id: "fetch", action: "http.request" },
    { id: "notify", action: "slack.sendMessage" },
    { id: "bad id!", action: "core.delay" },
  ],
};

// The details a real `weft serve` returned for a broken workflow (POST /api/workflows).
const serverError = {
  code: "workflow_invalid",
  message: "workflow is invalid: …",
  details: [
    { field: "action", message: "unknown action 'slack.sendMessag' (did you mean 'slack.sendMessage'?)", step: "fetch" },
    { field: "inputs.text", message: "template {{steps.nope.output.x}} names unknown step 'nope'", step: "notify" },
    { field: "credential", message: "action 'slack.sendMessage' needs a 'slack' credential", step: "notify" },
    { field: "inputs.headers.a", message: "Value type not permitted by 'type' constraint.", step: "fetch" },
    { field: "trigger.cron", message: "a schedule trigger needs a cron expression" },
    { field: "steps[2].id", message: "'bad id!' is not a valid step id" },
    { field: "after[0]", message: "must be a step id string", step: "steps[2]" },
    { field: "name", message: "a workflow needs a name" },
    { message: "… and 3 more problems (only the first 100 are listed)" },
  ],
};

describe("errors → nodes and fields", () => {
  const map = mapProblems(doc, serverError);

  it("puts each problem on its step and field", () => {
    expect(messagesFor(map, "notify", "inputs.text")).toEqual(["template {{steps.nope.output.x}} names unknown step 'nope'"]);
    expect(messagesFor(map, "notify", "credential")).toHaveLength(1);
    expect(map.byNode.get("fetch")!.map((p) => p.field)).toEqual(["action", "inputs.headers.a"]);
  });

  it("trigger fields go to the trigger node, without the prefix", () => {
    expect(map.byNode.get(TRIGGER_NODE_ID)).toEqual([{ node: TRIGGER_NODE_ID, field: "cron", message: "a schedule trigger needs a cron expression" }]);
  });

  it("a step named by position (its id unusable) lands on that step", () => {
    expect(map.byNode.get("bad id!")!.map((p) => p.field)).toEqual(["id", "after[0]"]);
  });

  it("workflow-level problems and notes stay at the workflow", () => {
    expect(map.workflow.map((p) => p.field)).toEqual(["name", ""]);
  });

  it("a container field collects its children's messages when asked", () => {
    expect(messagesFor(map, "fetch", "inputs.headers")).toEqual([]);
    expect(messagesFor(map, "fetch", "inputs.headers", true)).toEqual(["Value type not permitted by 'type' constraint."]);
    expect(messagesFor(map, "fetch", "inputs.head", true)).toEqual([]);
  });

  it("JSON pointers land on the same node and field", () => {
    expect(placeDetail(doc, { pointer: "/steps/1/inputs/text", message: "m" })).toEqual({ node: "notify", field: "inputs.text", message: "m" });
    expect(placeDetail(doc, { pointer: "/steps/0/inputs/blocks/0/text", message: "m" })!.field).toBe("inputs.blocks[0].text");
    expect(placeDetail(doc, { pointer: "/steps/0/inputs/a~1b", message: "m" })!.field).toBe("inputs.a/b");
    expect(placeDetail(doc, { pointer: "/trigger/cron", message: "m" })!.node).toBe(TRIGGER_NODE_ID);
    expect(placeDetail(doc, { pointer: "/name", message: "m" })).toEqual({ node: null, field: "name", message: "m" });
    expect(placeDetail(doc, { pointer: "/steps/9/id", message: "m" })!.node).toBe("steps[9]");
    expect(placeDetail(doc, { pointer: "no-slash", message: "m" })).toEqual({ node: null, field: "", message: "m" });
  });

  it("scrolls to the trigger first, then steps in order", () => {
    expect(firstProblemNode(doc, map)).toBe(TRIGGER_NODE_ID);
    const onlySteps = mapProblems(doc, { message: "", details: [{ step: "notify", message: "a" }, { step: "fetch", message: "b" }] });
    expect(firstProblemNode(doc, onlySteps)).toBe("fetch");
  });

  it("errors without usable details keep their message at the workflow level", () => {
    for (const details of [undefined, null, "text", 42, [], [{ nomessage: 1 }], { retryAfterSeconds: 3 }]) {
      const m = mapProblems(doc, { message: "could not reach the server", details });
      expect(m.problems).toEqual([{ node: null, field: "", message: "could not reach the server" }]);
    }
  });

  it("an object detail with a pointer (invalid_template) is placed", () => {
    const m = mapProblems(doc, { message: "bad", details: { pointer: "/steps/0/inputs/url", message: "unclosed '{{'" } });
    expect(m.byNode.get("fetch")![0]!.field).toBe("inputs.url");
  });
});
