import { describe, expect, it } from "vitest";
import { alternativesNote, formatFieldValue, parseFieldInput, schemaToForm, type FormField } from "./schemaForm";
import { httpRequest, slackSend } from "./fixtures.test-support";
import { setAt, getAt, parsePointer, formatPointer, parseField, formatField } from "./jsonPointer";

const byName = (fields: FormField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));

describe("schema → form", () => {
  it("marks required fields and lists them first, with descriptions as help", () => {
    const form = schemaToForm(slackSend.inputSchema);
    expect(form.fields.map((f) => [f.name, f.required])).toEqual([
      ["channel", true],
      ["blocks", false],
      ["text", false],
      ["unfurl_links", false],
    ]);
    const f = byName(form.fields);
    expect(f.channel!.description).toBe("Channel id or name (#ops).");
    expect(f.channel!.label).toBe("Channel");
    expect(f.unfurl_links!.label).toBe("Unfurl links");
    expect(f.unfurl_links!.kind).toBe("boolean");
  });

  it("summarises anyOf of required lists in words and marks the fields it names", () => {
    const form = schemaToForm(slackSend.inputSchema);
    expect(form.notes).toEqual(["give `text` or `blocks`"]);
    const f = byName(form.fields);
    expect(f.text!.alternative).toBe("give `text` or `blocks`");
    expect(f.channel!.alternative).toBeUndefined();
    expect(alternativesNote({ oneOf: [{ required: ["a"] }, { required: ["b"] }, { required: ["c", "d"] }] })).toBe(
      "give exactly one of `a`, `b` or `c` and `d`",
    );
    expect(alternativesNote({ anyOf: [{ required: ["a"] }, { type: "object", properties: {} }] })).toBeNull();
  });

  it("enums become selects, defaults become placeholders; maps, arrays and untyped values get their own kinds", () => {
    const f = byName(schemaToForm(httpRequest.inputSchema).fields);
    expect(f.method!.kind).toBe("select");
    expect(f.method!.options!.map((o) => o.value)).toEqual(["GET", "POST", "PUT"]);
    expect(f.method!.placeholder).toBe("Default: GET");
    expect(f.headers!.kind).toBe("map");
    expect(f.headers!.value!.kind).toBe("text");
    expect(f.query!.value!.kind).toBe("text"); // string | number | boolean: typed as text, templates allowed
    expect(f.body!.kind).toBe("json");
    expect(f.timeoutMs!.kind).toBe("integer");
    expect(f.url!.field).toBe("inputs.url");
  });

  it("nested objects and arrays carry the engine's field paths", () => {
    const form = schemaToForm({
      type: "object",
      required: ["target"],
      properties: {
        target: {
          type: "object",
          required: ["repo"],
          properties: { repo: { type: "string" }, labels: { type: "array", items: { type: "string", enum: ["bug", "ops"] } } },
        },
        rows: { type: "array", items: { type: "object", properties: { id: { type: "integer" } } } },
      },
    });
    const f = byName(form.fields);
    expect(f.target!.kind).toBe("object");
    const t = byName(f.target!.fields!);
    expect(t.repo!.required).toBe(true);
    expect(t.repo!.field).toBe("inputs.target.repo");
    expect(t.labels!.kind).toBe("array");
    expect(t.labels!.item!.kind).toBe("select");
    expect(t.labels!.item!.field).toBe("inputs.target.labels[0]");
    expect(f.rows!.item!.fields![0]!.field).toBe("inputs.rows[0].id");
  });

  it("hostile schemas: no properties, deep nesting, odd types", () => {
    expect(schemaToForm(undefined).fields).toEqual([]);
    expect(schemaToForm({}).fields).toEqual([]);
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 200; i++) deep = { type: "object", properties: { x: deep } };
    const form = schemaToForm(deep);
    let field: FormField | undefined = form.fields[0];
    let depth = 0;
    while (field && field.kind === "object") {
      field = field.fields![0];
      depth++;
    }
    expect(depth).toBeLessThan(12);
    expect(field!.kind).toBe("json");
    const odd = byName(schemaToForm({ type: "object", properties: { a: { type: 42 as unknown as string }, b: { const: "only" }, c: { type: ["null", "integer"] } } }).fields);
    expect(odd.a!.kind).toBe("json");
    expect(odd.b!.options).toEqual([{ value: "only", label: "only" }]);
    expect(odd.c!.kind).toBe("integer");
  });

  it("text typed into a field becomes the stored value", () => {
    const f = byName(schemaToForm(httpRequest.inputSchema).fields);
    expect(parseFieldInput(f.timeoutMs!, "250")).toBe(250);
    expect(parseFieldInput(f.timeoutMs!, "2.5")).toBe("2.5"); // not an integer: the server says so
    expect(parseFieldInput(f.timeoutMs!, "{{steps.a.output.ms}}")).toBe("{{steps.a.output.ms}}");
    expect(parseFieldInput(f.timeoutMs!, "")).toBeUndefined();
    expect(parseFieldInput(f.url!, "")).toBe("");
    expect(parseFieldInput(f.body!, '{"a":1}')).toEqual({ a: 1 });
    expect(parseFieldInput(f.body!, "not json")).toBe("not json");
    // a template inside JSON keeps the JSON (it used to become the whole text as a string)
    expect(parseFieldInput(f.body!, '{"id": "{{trigger.x}}", "n": [1, "{{steps.a.output.n}}"]}')).toEqual({ id: "{{trigger.x}}", n: [1, "{{steps.a.output.n}}"] });
    expect(parseFieldInput(f.body!, "{{steps.a.output}}")).toBe("{{steps.a.output}}");
    expect(parseFieldInput(f.body!, '{"id": {{trigger.x}}}')).toBe('{"id": {{trigger.x}}}');
    expect(parseFieldInput(f.body!, '"{{trigger.x}}"')).toBe("{{trigger.x}}");
    expect(formatFieldValue(f.body!, { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatFieldValue(f.timeoutMs!, 250)).toBe("250");
    expect(formatFieldValue(f.url!, undefined)).toBe("");
  });
});

describe("JSON pointers and field paths", () => {
  it("round-trips pointers with escapes", () => {
    expect(parsePointer("/a~1b/~0c/0")).toEqual(["a/b", "~c", "0"]);
    expect(formatPointer(["a/b", "~c", 0])).toBe("/a~1b/~0c/0");
    expect(parsePointer("")).toEqual([]);
    expect(() => parsePointer("a")).toThrow();
  });

  it("spells fields like the engine and reads them back", () => {
    expect(formatField(["inputs", "blocks", 0, "text"])).toBe("inputs.blocks[0].text");
    expect(parseField("inputs.blocks[0].text")).toEqual(["inputs", "blocks", 0, "text"]);
    expect(parseField("after[12]")).toEqual(["after", 12]);
  });

  it("setAt copies along the path only and removes with undefined", () => {
    const v = { a: { b: 1 }, keep: { z: 1 } };
    const n = setAt(v, ["a", "c", 0], "x") as typeof v & { a: { c: string[] } };
    expect(n).toEqual({ a: { b: 1, c: ["x"] }, keep: { z: 1 } });
    expect(n.keep).toBe(v.keep);
    expect(v).toEqual({ a: { b: 1 }, keep: { z: 1 } });
    expect(setAt(n, ["a", "b"], undefined)).toEqual({ a: { c: ["x"] }, keep: { z: 1 } });
    expect(getAt(n, ["a", "c", 0])).toBe("x");
    expect(getAt(n, ["a", "b", "deeper"])).toBeUndefined();
  });
});
