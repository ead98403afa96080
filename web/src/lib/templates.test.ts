import { describe, expect, it } from "vitest";
import {
  applySuggestion,
  findRefs,
  formatPath,
  insertTemplate,
  openTemplateAt,
  parseExpression,
  suggest,
  unresolvedRefs,
  type TemplateContext,
} from "./templates";
import { httpRequest, slackSend } from "./fixtures.test-support";

describe("template references", () => {
  it("parses the engine's expressions", () => {
    expect(parseExpression("steps.fetch.output.items[0].id")).toEqual({
      root: "steps",
      step: "fetch",
      path: ["items", 0, "id"],
      expression: "steps.fetch.output.items[0].id",
    });
    expect(parseExpression(" trigger.body['a b'] ")!.path).toEqual(["body", "a b"]);
    expect(parseExpression("trigger")).toEqual({ root: "trigger", path: [], expression: "trigger" });
  });

  it("refuses what the engine refuses", () => {
    for (const bad of ["", "steps.fetch", "steps.fetch.input.x", "env.HOME", "steps..output", "trigger[", "trigger[x]", "trigger.a b", "trigger['x]"]) {
      expect(parseExpression(bad), bad).toBeNull();
    }
  });

  it("finds references anywhere in a JSON value with their pointers", () => {
    const refs = findRefs({
      text: "Hi {{ steps.a.output.name }} and {{trigger.x}}",
      list: [{ deep: "{{steps.b.output}}" }],
      "we/ird~": "{{steps.c.output}}",
      broken: "{{steps.a.output",
      plain: 5,
    });
    expect(refs.map((r) => [r.pointer, r.expression])).toEqual([
      ["/text", "steps.a.output.name"],
      ["/text", "trigger.x"],
      ["/list/0/deep", "steps.b.output"],
      ["/we~1ird~0", "steps.c.output"],
    ]);
  });

  it("spells keys the way the parser reads them back", () => {
    const path = ["plain", 3, "with space", 'say "hi"', "it's"];
    const spelled = "steps.s.output" + formatPath(path);
    expect(spelled).toBe(`steps.s.output.plain[3]["with space"]['say "hi"']["it's"]`);
    expect(parseExpression(spelled)!.path).toEqual(path);
  });
});

const ctx: TemplateContext = {
  steps: [
    { stepId: "fetch", title: "HTTP request", outputSchema: httpRequest.outputSchema, lastOutput: { status: 200, headers: {}, body: { items: [{ id: 7 }] } } },
    { stepId: "notify", title: "Send message", outputSchema: slackSend.outputSchema },
  ],
  triggerSample: { user: { email: "a@b.co" } },
};

describe("autocomplete", () => {
  it("offers each earlier step's output paths from its outputSchema and its last output", () => {
    const all = suggest(ctx, "steps.fetch", 500).map((s) => s.expression);
    expect(all).toEqual(
      expect.arrayContaining([
        "steps.fetch.output",
        "steps.fetch.output.status",
        "steps.fetch.output.body",
        "steps.fetch.output.body.items",
        "steps.fetch.output.body.items[0]",
        "steps.fetch.output.body.items[0].id",
      ]),
    );
    expect(all.some((e) => e.startsWith("steps.notify"))).toBe(false);
    const fromRun = suggest(ctx, "steps.fetch.output.body.items[0].id")[0]!;
    expect(fromRun.source).toBe("sample");
    expect(suggest(ctx, "steps.fetch.output.status")[0]!.source).toBe("schema");
  });

  it("offers trigger.* from the trigger input", () => {
    expect(suggest(ctx, "trig").map((s) => s.expression)).toEqual(["trigger", "trigger.user", "trigger.user.email"]);
  });

  it("prefix matches come first, shortest first; then substring matches", () => {
    const got = suggest(ctx, "ts").map((s) => s.expression);
    expect(got).toEqual(["steps.notify.output.ts"]);
    const st = suggest(ctx, "steps.notify.output.").map((s) => s.expression);
    expect(st[0]).toBe("steps.notify.output.ok");
  });

  it("the last run's keys that the schema does not declare are offered; a schema alone is enough", () => {
    const only = suggest({ steps: [{ stepId: "n", outputSchema: slackSend.outputSchema }] }, "").map((s) => s.expression);
    expect(only).toEqual(["trigger", "steps.n.output", "steps.n.output.channel", "steps.n.output.message", "steps.n.output.ok", "steps.n.output.ts"]);
  });

  it("a huge or cyclic-looking sample is bounded", () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 1000; i++) {
      const next = {};
      deep["k"] = next;
      deep = next;
    }
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const s = suggest({ steps: [{ stepId: "a", lastOutput: root }, { stepId: "b", lastOutput: wide }] }, "", 100000);
    expect(s.length).toBeLessThan(1200);
  });
});

describe("insertion at the cursor", () => {
  it("knows when the cursor is inside an open template", () => {
    expect(openTemplateAt("Hi {{steps.fe", 13)).toEqual({ open: 3, typed: "steps.fe" });
    expect(openTemplateAt("Hi {{a}} there", 12)).toBeNull();
    expect(openTemplateAt("Hi there", 5)).toBeNull();
    expect(openTemplateAt("{{a}} {{tr", 10)).toEqual({ open: 6, typed: "tr" });
  });

  it("completes what was typed and closes the braces, cursor after them", () => {
    const text = "Hi {{steps.fe and more";
    const edit = applySuggestion(text, 13, "steps.fetch.output.status");
    expect(edit.text).toBe("Hi {{steps.fetch.output.status}} and more");
    expect(edit.cursor).toBe("Hi {{steps.fetch.output.status}}".length);
  });

  it("does not double an existing closing }} when completing inside a template", () => {
    const text = "x {{steps.fe}} y";
    expect(applySuggestion(text, 12, "steps.fetch.output").text).toBe("x {{steps.fetch.output}} y");
    const mid = "x {{steps.fe.old.path }} y";
    expect(applySuggestion(mid, 12, "steps.fetch.output").text).toBe("x {{steps.fetch.output}} y");
  });

  it("a click in the data panel inserts at the cursor or over the selection", () => {
    expect(insertTemplate("Hello !", 6, 6, "trigger.name")).toEqual({ text: "Hello {{trigger.name}}!", cursor: 22 });
    expect(insertTemplate("Hello NAME!", 6, 10, "trigger.name").text).toBe("Hello {{trigger.name}}!");
    expect(insertTemplate("ab", 99, -5, "trigger").text).toBe("{{trigger}}");
  });
});

describe("references that no longer resolve", () => {
  it("names removed steps and paths a closed schema does not have", () => {
    const ids = new Set(["fetch"]);
    const bad = unresolvedRefs(
      { a: "{{steps.gone.output}}", b: "{{steps.fetch.output.status}}", c: "{{steps.fetch.output.nope}}", d: "{{trigger.x}}", e: "{{steps.fetch.output.body.anything}}" },
      ids,
      (id) => (id === "fetch" ? httpRequest.outputSchema : undefined),
    );
    expect(bad.map((r) => r.pointer)).toEqual(["/a", "/c"]);
  });
});
