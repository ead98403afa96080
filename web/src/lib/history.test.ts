import { describe, expect, it } from "vitest";
import { canRedo, canUndo, createHistory, record, redo, replacePresent, undo } from "./history";
import { removeSteps, setStepField } from "./edits";
import type { WorkflowDocument } from "./types";

const doc: WorkflowDocument = {
  name: "h",
  steps: [
    { id: "a", action: "core.delay", inputs: { text: "" } },
    { id: "b", action: "core.delay", after: ["a"] },
  ],
};

describe("undo/redo", () => {
  it("undoes and redoes whole documents", () => {
    let h = createHistory(doc);
    const d1 = removeSteps(doc, ["b"]);
    h = record(h, d1, { at: 0 });
    expect(h.present).toBe(d1);
    h = undo(h);
    expect(h.present).toBe(doc);
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe(d1);
    expect(canRedo(h)).toBe(false);
  });

  it("coalesces typing in one field into one entry", () => {
    let h = createHistory(doc);
    let cur = doc;
    let t = 1000;
    for (const text of ["H", "He", "Hel", "Hell", "Hello"]) {
      cur = setStepField(cur, "a", ["inputs", "text"], text);
      h = record(h, cur, { key: "a:inputs.text", at: (t += 200) });
    }
    expect(h.past).toHaveLength(1);
    h = undo(h);
    expect(h.present).toBe(doc);
  });

  it("a pause, another field or an undo starts a new entry", () => {
    let h = createHistory(doc);
    h = record(h, setStepField(doc, "a", ["inputs", "text"], "x"), { key: "k1", at: 0 });
    h = record(h, setStepField(h.present, "a", ["inputs", "text"], "xy"), { key: "k1", at: 5000 });
    expect(h.past).toHaveLength(2);
    h = record(h, setStepField(h.present, "b", ["inputs", "text"], "z"), { key: "k2", at: 5100 });
    expect(h.past).toHaveLength(3);
    h = undo(h);
    h = record(h, setStepField(h.present, "a", ["inputs", "text"], "xyz"), { key: "k1", at: 5200 });
    expect(h.past).toHaveLength(3);
    expect(canRedo(h)).toBe(false);
  });

  it("keyless edits never coalesce; recording the same document is a no-op", () => {
    let h = createHistory(doc);
    h = record(h, removeSteps(doc, ["b"]), { at: 0 });
    h = record(h, removeSteps(h.present, ["a"]), { at: 1 });
    expect(h.past).toHaveLength(2);
    expect(record(h, h.present)).toBe(h);
  });

  it("a new edit after undo drops the redo branch", () => {
    let h = createHistory(doc);
    h = record(h, removeSteps(doc, ["b"]), { at: 0 });
    h = undo(h);
    const other = setStepField(doc, "a", ["name"], "A");
    h = record(h, other, { at: 1 });
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(doc);
  });

  it("keeps at most `limit` entries, dropping the oldest", () => {
    let h = createHistory(0);
    for (let i = 1; i <= 50; i++) h = record(h, i, { at: i }, { limit: 10 });
    expect(h.past).toHaveLength(10);
    expect(h.past[0]).toBe(40);
    while (canUndo(h)) h = undo(h);
    expect(h.present).toBe(40);
  });

  it("replacePresent does not add an entry and stops coalescing", () => {
    let h = createHistory(doc);
    h = record(h, setStepField(doc, "a", ["inputs", "text"], "x"), { key: "k", at: 0 });
    const saved = structuredClone(h.present);
    h = replacePresent(h, saved);
    expect(h.past).toHaveLength(1);
    h = record(h, setStepField(saved, "a", ["inputs", "text"], "xy"), { key: "k", at: 10 });
    expect(h.past).toHaveLength(2);
  });

  it("undo and redo at the ends change nothing", () => {
    const h = createHistory(doc);
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });
});
