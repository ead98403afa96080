// Workflow import and export as JSON: the document POST /api/workflows takes and
// `weft workflow run` reads (a record from GET /api/workflows/{id} is accepted too: its
// `definition` is the document). Parsing problems in words; the server validates the rest.
// No fetching, no UI.
import type { WorkflowDocument } from "./types";

export type Parsed = { ok: true; doc: WorkflowDocument } | { ok: false; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function parseWorkflowJson(text: string): Parsed {
  if (text.trim() === "") return { ok: false, message: "Paste a workflow's JSON or choose a .json file." };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `This is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isObject(v) && isObject(v.definition) && typeof v.id === "string") v = v.definition;
  if (!isObject(v)) return { ok: false, message: "A workflow is a JSON object with a name, a trigger and steps." };
  if (typeof v.name !== "string" || v.name.trim() === "") return { ok: false, message: "The workflow has no \"name\"." };
  if (!Array.isArray(v.steps)) return { ok: false, message: "The workflow has no \"steps\" list." };
  return { ok: true, doc: v as unknown as WorkflowDocument };
}

// The exported file's text: the document, pretty-printed, with a final newline.
export function exportText(doc: WorkflowDocument): string {
  return JSON.stringify(doc, null, 2) + "\n";
}

// "Daily report" → "daily-report.workflow.json" (the examples' naming).
export function exportFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return `${slug || "workflow"}.workflow.json`;
}

// A copy's name: "X (copy)", "X (copy 2)"… not taken by `taken`.
export function copyName(name: string, taken: string[]): string {
  const base = name.replace(/ \(copy(?: \d+)?\)$/, "");
  const used = new Set(taken);
  let candidate = `${base} (copy)`;
  for (let i = 2; used.has(candidate); i++) candidate = `${base} (copy ${i})`;
  return candidate;
}
