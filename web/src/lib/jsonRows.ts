// A JSON value as the rows of a virtualised viewer: one row per expanded node's child, each
// knowing its depth, key, a short preview and whether it opens. Only expanded containers are
// walked and long strings are cut in the preview, so a 5 MB output costs rows for what is open,
// never a DOM node per value. Pure; the component renders a window of these.
import { formatPointer, type PathToken } from "./jsonPointer";

export type JsonType = "object" | "array" | "string" | "number" | "boolean" | "null";

export interface JsonRow {
  // JSON pointer of the value ("" for the root): the row's identity and its expansion key.
  id: string;
  path: PathToken[];
  depth: number;
  key: string | null;
  type: JsonType;
  preview: string;
  expandable: boolean;
  expanded: boolean;
  size: number;
}

export const PREVIEW_CHARS = 200;

export function typeOf(v: unknown): JsonType {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  return "boolean";
}

export function previewOf(v: unknown): string {
  const t = typeOf(v);
  if (t === "array") return `[…] ${(v as unknown[]).length} item${(v as unknown[]).length === 1 ? "" : "s"}`;
  if (t === "object") {
    const n = Object.keys(v as object).length;
    return `{…} ${n} key${n === 1 ? "" : "s"}`;
  }
  if (t === "string") {
    const s = v as string;
    return s.length > PREVIEW_CHARS ? JSON.stringify(s.slice(0, PREVIEW_CHARS)).slice(0, -1) + `…" (${s.length} chars)` : JSON.stringify(s);
  }
  return v === undefined ? "null" : JSON.stringify(v);
}

function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v !== null && typeof v === "object") return Object.keys(v).length;
  return 0;
}

// The rows of `value` with the containers whose pointers are in `expanded` open. The root row
// comes first.
export function jsonRows(value: unknown, expanded: ReadonlySet<string>): JsonRow[] {
  const rows: JsonRow[] = [];
  const visit = (v: unknown, path: PathToken[], key: string | null, depth: number) => {
    const id = formatPointer(path);
    const size = sizeOf(v);
    const t = typeOf(v);
    const expandable = (t === "array" || t === "object") && size > 0;
    const open = expandable && expanded.has(id);
    rows.push({ id, path, depth, key, type: t, preview: previewOf(v), expandable, expanded: open, size });
    if (!open) return;
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i], String(i), depth + 1));
    else for (const [k, item] of Object.entries(v as object)) visit(item, [...path, k], k, depth + 1);
  };
  visit(value, [], null, 0);
  return rows;
}

// What opens by default: the root, and its children when there are few of them.
export function defaultExpanded(value: unknown): Set<string> {
  const out = new Set<string>([""]);
  if (sizeOf(value) <= 20 && value !== null && typeof value === "object") {
    for (const k of Object.keys(value)) out.add(formatPointer([Array.isArray(value) ? Number(k) : k]));
  }
  return out;
}

export function toggle(expanded: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(expanded);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
