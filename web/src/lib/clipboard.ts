// Copy/paste of steps as a small JSON document on the clipboard: {"weft":"steps","steps":[…]},
// the steps exactly as the workflow JSON has them. Pasting renames clashing ids and rewrites the
// `after` entries and {{steps.<id>…}} references between the pasted steps. Pure: no clipboard API.
import type { Position, WorkflowDocument, WorkflowStep } from "./types";
import { COLUMN_WIDTH, ROW_HEIGHT, TRIGGER_NODE_ID } from "./graph";

export const CLIPBOARD_KIND = "steps";
// Bigger clipboard text is not looked at (a pasted log, not steps).
export const MAX_CLIPBOARD_CHARS = 2_000_000;
// Deeper values are refused rather than walked (the rewrite recurses).
export const MAX_CLIPBOARD_DEPTH = 100;

function shallowEnough(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== "object") return true;
  if (depth >= MAX_CLIPBOARD_DEPTH) return false;
  return (Array.isArray(v) ? v : Object.values(v)).every((x) => shallowEnough(x, depth + 1));
}

export interface StepsClipboard {
  weft: typeof CLIPBOARD_KIND;
  steps: WorkflowStep[];
}

// The document for the steps `ids` of `doc`, in the workflow's order; null when none is a step.
export function copySteps(doc: WorkflowDocument, ids: readonly string[]): string | null {
  const want = new Set(ids);
  const steps = doc.steps.filter((s) => want.has(s.id));
  if (steps.length === 0) return null;
  const out: StepsClipboard = { weft: CLIPBOARD_KIND, steps };
  return JSON.stringify(out, null, 2);
}

function isStep(v: unknown): v is WorkflowStep {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.id !== "string" || s.id === "" || typeof s.action !== "string" || s.action === "") return false;
  if (s.after !== undefined && !(Array.isArray(s.after) && s.after.every((a) => typeof a === "string"))) return false;
  if (s.inputs !== undefined && (s.inputs === null || typeof s.inputs !== "object" || Array.isArray(s.inputs))) return false;
  return true;
}

// The steps of a clipboard document; null for any other text (it is then ignored).
export function parseClipboard(text: string): WorkflowStep[] | null {
  if (typeof text !== "string" || text.length > MAX_CLIPBOARD_CHARS || !text.includes('"weft"')) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const d = v as Record<string, unknown>;
  if (d.weft !== CLIPBOARD_KIND || !Array.isArray(d.steps) || d.steps.length === 0) return null;
  if (!d.steps.every(isStep) || !shallowEnough(d.steps, 0)) return null;
  return d.steps as WorkflowStep[];
}

// "fetch" → "fetch" when free, else "fetch_2", "fetch_3", …; an id the engine would refuse
// becomes a valid one.
function freeId(id: string, used: Set<string>): string {
  let base = id.replace(/[^A-Za-z0-9_-]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = "step_" + base;
  base = base.slice(0, 56);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const next = `${base}_${n}`;
    if (!used.has(next)) return next;
  }
}

// {{steps.old…}}, {{ steps["old"]… }} → the new id, only for ids in `renamed`.
function rewriteText(text: string, renamed: Map<string, string>): string {
  if (!text.includes("{{")) return text;
  return text.replace(/\{\{([\s\S]*?)\}\}/g, (whole, inner: string) => {
    const m = /^(\s*steps)(?:\.([A-Za-z0-9_-]+)|\[(["'])([^"'\]]*)\3\])/.exec(inner);
    if (!m) return whole;
    const old = m[2] ?? m[4]!;
    const to = renamed.get(old);
    if (to === undefined || to === old) return whole;
    return `{{${m[1]}.${to}${inner.slice(m[0].length)}}}`;
  });
}

function rewriteValue(v: unknown, renamed: Map<string, string>): unknown {
  if (typeof v === "string") return rewriteText(v, renamed);
  if (Array.isArray(v)) return v.map((x) => rewriteValue(x, renamed));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = rewriteValue(x, renamed);
    return out;
  }
  return v;
}

export interface PasteResult {
  workflow: WorkflowDocument;
  // The new ids, in the order pasted.
  ids: string[];
}

function isPosition(p: unknown): p is Position {
  return p !== null && typeof p === "object" && Number.isFinite((p as Position).x) && Number.isFinite((p as Position).y);
}

// Pastes `steps` into `doc` after the step `afterId` (in the array, and the pasted steps that
// depend on no other pasted step run after it), or at the end when afterId is null or the
// trigger. References to steps outside the paste stay as written. Stored positions keep their
// arrangement, moved right of the anchor (or below every node when there is none).
export function pasteSteps(
  doc: WorkflowDocument,
  steps: readonly WorkflowStep[],
  afterId: string | null,
  positionOf: (id: string) => Position | undefined = () => undefined,
): PasteResult {
  const used = new Set(doc.steps.map((s) => s.id));
  const renamed = new Map<string, string>();
  const ids: string[] = [];
  for (const s of steps) {
    if (renamed.has(s.id)) continue; // a duplicate id in the paste: the first wins
    const id = freeId(s.id, used);
    used.add(id);
    renamed.set(s.id, id);
  }
  const anchor = afterId && afterId !== TRIGGER_NODE_ID ? doc.steps.find((s) => s.id === afterId) : undefined;
  const placed = steps.map((s) => s.position).filter(isPosition);
  let shift = { x: 0, y: 0 };
  if (placed.length > 0) {
    const minX = Math.min(...placed.map((p) => p.x));
    const minY = Math.min(...placed.map((p) => p.y));
    const at = anchor ? positionOf(anchor.id) : undefined;
    if (at) {
      shift = { x: at.x + COLUMN_WIDTH - minX, y: at.y - minY };
    } else {
      const all = doc.steps.map((s) => positionOf(s.id) ?? s.position).filter(isPosition);
      const bottom = all.length ? Math.max(...all.map((p) => p.y)) + ROW_HEIGHT : minY;
      shift = { x: 0, y: bottom - minY };
    }
  }
  const seen = new Set<string>();
  const pasted: WorkflowStep[] = [];
  for (const s of steps) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    const id = renamed.get(s.id)!;
    const next = rewriteValue(s, renamed) as WorkflowStep;
    next.id = id;
    next.action = s.action;
    const inside = (s.after ?? []).filter((a) => renamed.has(a) && a !== s.id);
    const after = (s.after ?? []).map((a) => (a === s.id ? a : renamed.get(a) ?? a));
    if (anchor && inside.length === 0 && !after.includes(anchor.id)) after.push(anchor.id);
    if (after.length > 0) next.after = [...new Set(after)];
    else delete next.after;
    if (isPosition(s.position)) next.position = { x: Math.round(s.position.x + shift.x), y: Math.round(s.position.y + shift.y) };
    else delete next.position;
    pasted.push(next);
    ids.push(id);
  }
  const out = [...doc.steps];
  const at = anchor ? out.indexOf(anchor) + 1 : out.length;
  out.splice(at, 0, ...pasted);
  return { workflow: { ...doc, steps: out }, ids };
}
