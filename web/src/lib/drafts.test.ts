// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearDraft, loadDraft, loadRunInput, parseRunInput, saveDraft, saveRunInput } from "./drafts";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = { name: "A", steps: [{ id: "s", action: "core.transform", inputs: { value: 1 } }] };

afterEach(() => {
  localStorage.clear();
  vi.restoreAllMocks();
});

describe("drafts", () => {
  it("keeps a draft per workflow until it is cleared", () => {
    saveDraft("wf_1", doc, 3, 1000);
    saveDraft(null, { ...doc, name: "new" }, undefined, 2000);
    expect(loadDraft("wf_1")).toEqual({ doc, savedAt: 1000, baseVersion: 3 });
    expect(loadDraft(null)?.doc.name).toBe("new");
    expect(loadDraft("wf_2")).toBeNull();
    clearDraft("wf_1");
    expect(loadDraft("wf_1")).toBeNull();
    expect(loadDraft(null)).not.toBeNull();
  });

  it("ignores what is not a draft of a workflow", () => {
    for (const text of ["not json", "null", "[]", '{"doc":{"name":1,"steps":[]},"savedAt":1}', '{"doc":{"name":"a","steps":[null]},"savedAt":1}', '{"doc":{"name":"a","steps":[]}}']) {
      localStorage.setItem("weft:draft:wf_1", text);
      expect(loadDraft("wf_1")).toBeNull();
    }
  });

  it("survives storage that throws", () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    expect(() => saveDraft("wf_1", doc)).not.toThrow();
    expect(() => saveRunInput("wf_1", "{}")).not.toThrow();
    expect(loadDraft("wf_1")).toBeNull();
  });

  it("remembers the trigger input per workflow", () => {
    expect(loadRunInput("wf_1")).toBe("{}");
    saveRunInput("wf_1", '{"a":1}');
    expect(loadRunInput("wf_1")).toBe('{"a":1}');
    expect(loadRunInput("wf_2")).toBe("{}");
  });

  it("parses the trigger input as a JSON object, in words otherwise", () => {
    expect(parseRunInput(' {"a": [1]} ')).toEqual({ ok: true, value: { a: [1] } });
    expect(parseRunInput("")).toEqual({ ok: true, value: {} });
    const bad = parseRunInput("{a:1}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^The trigger input is not JSON/);
    for (const t of ["[]", "1", "null", '"x"']) expect(parseRunInput(t)).toEqual({ ok: false, error: expect.stringContaining("must be a JSON object") });
  });
});
