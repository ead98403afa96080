import { describe, expect, it } from "vitest";
import { copyName, exportFileName, exportText, parseWorkflowJson } from "./workflowFile";

const doc = { name: "Daily report", trigger: { type: "manual" as const }, steps: [{ id: "a", action: "core.log", inputs: {} }] };

describe("workflow import and export", () => {
  it("round-trips the exported document", () => {
    const text = exportText(doc);
    expect(text.endsWith("\n")).toBe(true);
    expect(parseWorkflowJson(text)).toEqual({ ok: true, doc });
  });
  it("takes a record from GET /api/workflows/{id} by its definition", () => {
    const record = { id: "wf_1", name: "Daily report", version: 3, definition: doc };
    expect(parseWorkflowJson(JSON.stringify(record))).toEqual({ ok: true, doc });
  });
  it("says in words what is wrong", () => {
    const msg = (t: string) => {
      const r = parseWorkflowJson(t);
      return r.ok ? "" : r.message;
    };
    expect(msg("")).toMatch(/Paste/);
    expect(msg("{name: 1")).toMatch(/^This is not JSON/);
    expect(msg("[1,2]")).toMatch(/JSON object/);
    expect(msg('"x"')).toMatch(/JSON object/);
    expect(msg("null")).toMatch(/JSON object/);
    expect(msg('{"steps": []}')).toMatch(/no "name"/);
    expect(msg('{"name": "  ", "steps": []}')).toMatch(/no "name"/);
    expect(msg('{"name": "x", "steps": {}}')).toMatch(/no "steps"/);
  });
  it("names files and copies", () => {
    expect(exportFileName("Daily report: Ops/EU")).toBe("daily-report-ops-eu.workflow.json");
    expect(exportFileName("日本")).toBe("workflow.workflow.json");
    expect(copyName("Sync", ["Sync"])).toBe("Sync (copy)");
    expect(copyName("Sync", ["Sync", "Sync (copy)", "Sync (copy 2)"])).toBe("Sync (copy 3)");
    expect(copyName("Sync (copy)", ["Sync", "Sync (copy)"])).toBe("Sync (copy 2)");
  });
});
