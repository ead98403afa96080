import { describe, expect, it } from "vitest";
import { dataGroups, templateContextFor } from "./stepContext";
import { indexCatalog } from "./catalog";
import { catalog } from "./fixtures.test-support";
import { suggest } from "./templates";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = {
  name: "w",
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" } },
    { id: "shape", action: "core.transform", inputs: { value: "{{steps.fetch.output.body}}" } },
    { id: "notify", action: "slack.sendMessage", inputs: { text: "{{steps.shape.output}}" } },
  ],
};
const index = indexCatalog(catalog);

describe("step context", () => {
  it("offers earlier steps only, with their schema and last run's output", () => {
    const ctx = templateContextFor(doc, "shape", index, new Map([["fetch", { status: 200, body: { n: 1 } }]]), { who: "ada" });
    expect(ctx.steps.map((s) => s.stepId)).toEqual(["fetch"]);
    expect(ctx.steps[0]!.title).toBe("HTTP · HTTP request");
    const exprs = suggest(ctx, "steps.fetch").map((s) => s.expression);
    expect(exprs).toContain("steps.fetch.output.status");
    expect(exprs).toContain("steps.fetch.output.body.n");
    expect(suggest(ctx, "trigger.w").map((s) => s.expression)).toEqual(["trigger.who"]);
    expect(templateContextFor(doc, "fetch", index).steps).toEqual([]);
  });

  it("lists the data panel's groups: trigger, then each readable step with its paths", () => {
    const ctx = templateContextFor(doc, "notify", index, new Map([["shape", { greeting: "hi" }]]), { who: "ada" });
    const groups = dataGroups(ctx);
    expect(groups.map((g) => g.id)).toEqual(["trigger", "fetch", "shape"]);
    expect(groups[0]!.rows.map((r) => r.expression)).toEqual(["trigger", "trigger.who"]);
    expect(groups[1]!.rows.map((r) => [r.expression, r.label, r.depth])).toEqual([
      ["steps.fetch.output", "steps.fetch.output", 0],
      ["steps.fetch.output.body", "body", 1],
      ["steps.fetch.output.headers", "headers", 1],
      ["steps.fetch.output.status", "status", 1],
    ]);
    expect(groups[2]!.rows.map((r) => [r.expression, r.source])).toEqual([
      ["steps.shape.output", "root"],
      ["steps.shape.output.greeting", "sample"],
    ]);
  });
});
