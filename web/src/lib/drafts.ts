// Unsaved workflow edits kept in local storage per workflow (key "weft:draft:<id>", "new" for a
// workflow not yet created) so a reload loses nothing; cleared on save. Also the trigger input
// a test run uses, remembered per workflow. Storage failures (full, disabled) are ignored:
// the draft then lasts for the page only. No React.
import type { WorkflowDocument } from "./types";

const DRAFT = "weft:draft:";
const RUN_INPUT = "weft:run-input:";

export interface Draft {
  doc: WorkflowDocument;
  savedAt: number;
  // The server version the edits started from, when known.
  baseVersion?: number;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function isDoc(v: unknown): v is WorkflowDocument {
  if (v === null || typeof v !== "object") return false;
  const d = v as WorkflowDocument;
  return typeof d.name === "string" && Array.isArray(d.steps) && d.steps.every((s) => s && typeof s === "object" && typeof s.id === "string");
}

export function draftKey(id: string | null): string {
  return DRAFT + (id ?? "new");
}

export function saveDraft(id: string | null, doc: WorkflowDocument, baseVersion?: number, now = Date.now()): void {
  const draft: Draft = { doc, savedAt: now, ...(baseVersion !== undefined ? { baseVersion } : {}) };
  try {
    storage()?.setItem(draftKey(id), JSON.stringify(draft));
  } catch {
    // storage full or disabled
  }
}

// The stored draft, or null when there is none or it is not a workflow document.
export function loadDraft(id: string | null): Draft | null {
  try {
    const text = storage()?.getItem(draftKey(id));
    if (!text) return null;
    const v = JSON.parse(text) as Partial<Draft>;
    if (!isDoc(v.doc) || typeof v.savedAt !== "number") return null;
    return { doc: v.doc, savedAt: v.savedAt, ...(typeof v.baseVersion === "number" ? { baseVersion: v.baseVersion } : {}) };
  } catch {
    return null;
  }
}

export function clearDraft(id: string | null): void {
  try {
    storage()?.removeItem(draftKey(id));
  } catch {
    // nothing to do
  }
}

export const DEFAULT_RUN_INPUT = "{}";

export function loadRunInput(id: string | null): string {
  try {
    return storage()?.getItem(RUN_INPUT + (id ?? "new")) ?? DEFAULT_RUN_INPUT;
  } catch {
    return DEFAULT_RUN_INPUT;
  }
}

export function saveRunInput(id: string | null, text: string): void {
  try {
    storage()?.setItem(RUN_INPUT + (id ?? "new"), text);
  } catch {
    // storage full or disabled
  }
}

export type ParsedInput = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

// The trigger input as POST /api/workflows/{id}/runs takes it: a JSON object.
export function parseRunInput(text: string): ParsedInput {
  if (text.trim() === "") return { ok: true, value: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The trigger input is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return { ok: false, error: "The trigger input must be a JSON object, like {\"name\": \"Ada\"}." };
  }
  return { ok: true, value: v as Record<string, unknown> };
}
