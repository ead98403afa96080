// `{{…}}` templates as the engine reads them (engine/templating.cpp): finding references in a
// JSON value, the paths an earlier step's output offers (from its outputSchema and, when there
// is one, a last run's actual output), autocomplete at the cursor and insertion. No rendering:
// the server renders; this only helps a person write what it will accept.
import type { JsonSchema } from "./types";
import { formatPointer, type PathToken } from "./jsonPointer";

export interface TemplateRef {
  root: "steps" | "trigger";
  step?: string;
  path: PathToken[];
  expression: string;
}

export interface LocatedRef extends TemplateRef {
  // JSON pointer of the string holding the template, relative to the value searched.
  pointer: string;
}

const IDENT = /^[A-Za-z0-9_-]+$/;

// Parses "steps.fetch.output.items[0].id" / "trigger.body['a b']"; null when it is not a
// reference the engine would accept.
export function parseExpression(expression: string): TemplateRef | null {
  const expr = expression.trim();
  const tokens: PathToken[] = [];
  let i = 0;
  const ident = () => {
    const start = i;
    while (i < expr.length && /[A-Za-z0-9_-]/.test(expr[i]!)) i++;
    return expr.slice(start, i);
  };
  const first = ident();
  if (first === "") return null;
  tokens.push(first);
  while (i < expr.length) {
    const c = expr[i];
    if (c === ".") {
      i++;
      const name = ident();
      if (name === "") return null;
      tokens.push(name);
    } else if (c === "[") {
      i++;
      const q = expr[i];
      if (q === '"' || q === "'") {
        const end = expr.indexOf(q, i + 1);
        if (end < 0) return null;
        tokens.push(expr.slice(i + 1, end));
        i = end + 1;
      } else {
        const start = i;
        while (i < expr.length && /\d/.test(expr[i]!)) i++;
        if (start === i) return null;
        tokens.push(Number(expr.slice(start, i)));
      }
      if (expr[i] !== "]") return null;
      i++;
    } else {
      return null;
    }
  }
  if (first === "trigger") return { root: "trigger", path: tokens.slice(1), expression: expr };
  if (first === "steps") {
    const [, step, output, ...path] = tokens;
    if (typeof step !== "string" || output !== "output") return null;
    return { root: "steps", step, path, expression: expr };
  }
  return null;
}

// The expressions inside one string, in order; malformed ones are left out (the server reports
// them on save).
export function expressionsIn(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf("{{", pos);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) break;
    out.push(text.slice(open + 2, close).trim());
    pos = close + 2;
  }
  return out;
}

// Every well-formed reference inside a JSON value, with the pointer of its string.
export function findRefs(value: unknown, tokens: PathToken[] = []): LocatedRef[] {
  const out: LocatedRef[] = [];
  const walk = (v: unknown, at: PathToken[]) => {
    if (typeof v === "string") {
      if (!v.includes("{{")) return;
      for (const e of expressionsIn(v)) {
        const ref = parseExpression(e);
        if (ref) out.push({ ...ref, pointer: formatPointer(at) });
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...at, i]));
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) walk(item, [...at, k]);
    }
  };
  walk(value, tokens);
  return out;
}

export function formatPath(path: readonly PathToken[]): string {
  let out = "";
  for (const t of path) {
    if (typeof t === "number") out += `[${t}]`;
    else if (IDENT.test(t)) out += "." + t;
    else if (!t.includes('"')) out += `["${t}"]`;
    else out += `['${t}']`;
  }
  return out;
}

// A key that no quoting can spell (it holds both quote characters) cannot be referenced.
function spellable(key: string): boolean {
  return IDENT.test(key) || !key.includes('"') || !key.includes("'");
}

export interface PathEntry {
  path: PathToken[];
  type?: string;
  description?: string;
  // "schema": declared by the outputSchema; "sample": seen in a run's actual output.
  source: "schema" | "sample";
}

const MAX_DEPTH = 6;
const MAX_ENTRIES = 500;

function typeName(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return schema.type;
}

function sampleType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
}

// The paths below a schema (properties, and [0] for arrays' items), depth-first.
export function schemaPaths(schema: JsonSchema | undefined, base: PathToken[] = []): PathEntry[] {
  const out: PathEntry[] = [];
  const walk = (s: JsonSchema, at: PathToken[], depth: number) => {
    if (out.length >= MAX_ENTRIES || depth > MAX_DEPTH) return;
    for (const branch of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(branch, at, depth + 1);
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      if (out.length >= MAX_ENTRIES) return;
      if (!spellable(key)) continue;
      const path = [...at, key];
      if (!out.some((e) => samePath(e.path, path))) {
        out.push({ path, type: typeName(child), description: child.description, source: "schema" });
      }
      walk(child, path, depth + 1);
    }
    if (s.items && !Array.isArray(s.items)) {
      const path = [...at, 0];
      out.push({ path, type: typeName(s.items), description: s.items.description, source: "schema" });
      walk(s.items, path, depth + 1);
    }
  };
  if (schema) walk(schema, base, 0);
  return out;
}

// The paths of an actual value (a last run's output or a trigger input). Arrays show [0] only.
export function samplePaths(value: unknown, base: PathToken[] = []): PathEntry[] {
  const out: PathEntry[] = [];
  const walk = (v: unknown, at: PathToken[], depth: number) => {
    if (out.length >= MAX_ENTRIES || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      if (v.length === 0) return;
      const path = [...at, 0];
      out.push({ path, type: sampleType(v[0]), source: "sample" });
      walk(v[0], path, depth + 1);
    } else if (v !== null && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        if (out.length >= MAX_ENTRIES) return;
        if (!spellable(k)) continue;
        const path = [...at, k];
        out.push({ path, type: sampleType(child), source: "sample" });
        walk(child, path, depth + 1);
      }
    }
  };
  walk(value, base, 0);
  return out;
}

function samePath(a: readonly PathToken[], b: readonly PathToken[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

// Schema paths first, then sample paths the schema did not declare.
export function mergePaths(schema: PathEntry[], sample: PathEntry[]): PathEntry[] {
  const out = [...schema];
  for (const e of sample) {
    const found = out.find((s) => samePath(s.path, e.path));
    if (!found) out.push(e);
    else if (!found.type) found.type = e.type;
  }
  return out;
}

export interface TemplateSource {
  stepId: string;
  title?: string;
  outputSchema?: JsonSchema;
  lastOutput?: unknown;
  hasLastOutput?: boolean;
}

export interface TemplateContext {
  // The steps the edited step may read: earlier ones only (see graph.ts upstreamCandidates).
  steps: TemplateSource[];
  triggerSample?: unknown;
  triggerSchema?: JsonSchema;
}

export interface Suggestion {
  expression: string;
  detail: string;
  source: "step" | "schema" | "sample" | "trigger";
}

// Every expression the context offers, in order: trigger, then each step's output and its paths.
export function allSuggestions(ctx: TemplateContext): Suggestion[] {
  const out: Suggestion[] = [{ expression: "trigger", detail: "the trigger's input", source: "trigger" }];
  const triggerPaths = mergePaths(schemaPaths(ctx.triggerSchema), samplePaths(ctx.triggerSample));
  for (const e of triggerPaths) {
    out.push({ expression: "trigger" + formatPath(e.path), detail: e.type ?? "", source: "trigger" });
  }
  for (const s of ctx.steps) {
    const base = `steps.${s.stepId}.output`;
    out.push({ expression: base, detail: s.title ? `${s.title} output` : "output", source: "step" });
    const paths = mergePaths(schemaPaths(s.outputSchema), s.hasLastOutput === false ? [] : samplePaths(s.lastOutput));
    for (const e of paths) {
      out.push({
        expression: base + formatPath(e.path),
        detail: [e.type, e.description].filter(Boolean).join(" · "),
        source: e.source,
      });
    }
  }
  return out;
}

// Suggestions for what was typed after `{{`: those starting with it first (shorter paths
// first), then those merely containing it. Case-insensitive.
export function suggest(ctx: TemplateContext, typed: string, limit = 50): Suggestion[] {
  const q = typed.trim().toLowerCase();
  const all = allSuggestions(ctx);
  if (q === "") return all.slice(0, limit);
  const starts: Suggestion[] = [];
  const contains: Suggestion[] = [];
  for (const s of all) {
    const e = s.expression.toLowerCase();
    if (e.startsWith(q)) starts.push(s);
    else if (e.includes(q)) contains.push(s);
  }
  const depth = (s: Suggestion) => s.expression.length;
  starts.sort((a, b) => depth(a) - depth(b));
  return [...starts, ...contains].slice(0, limit);
}

export interface OpenTemplate {
  // Index of the "{{" that opens the template being typed.
  open: number;
  typed: string;
}

// The template the cursor is typing in, if any: the nearest "{{" before the cursor that no
// "}}" closes before it.
export function openTemplateAt(text: string, cursor: number): OpenTemplate | null {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf("{{");
  if (open < 0) return null;
  if (before.indexOf("}}", open + 2) >= 0) return null;
  return { open, typed: before.slice(open + 2) };
}

export interface Edit {
  text: string;
  cursor: number;
}

// Completes the open template at the cursor with `expression`: replaces what was typed, closes
// it with "}}" unless a "}}" already follows, and puts the cursor after the braces.
export function applySuggestion(text: string, cursor: number, expression: string): Edit {
  const open = openTemplateAt(text, cursor);
  if (!open) return insertTemplate(text, cursor, cursor, expression);
  const after = text.slice(cursor);
  const closing = /^\s*[A-Za-z0-9_.\-[\]"']*\s*\}\}/.exec(after);
  const rest = closing ? after.slice(closing[0].length) : after;
  const head = text.slice(0, open.open) + "{{" + expression + "}}";
  return { text: head + rest, cursor: head.length };
}

// Inserts "{{expression}}" in place of the selection [start, end) — a click in the data panel.
export function insertTemplate(text: string, start: number, end: number, expression: string): Edit {
  const a = Math.max(0, Math.min(start, end, text.length));
  const b = Math.min(text.length, Math.max(start, end));
  const inserted = "{{" + expression + "}}";
  return { text: text.slice(0, a) + inserted + text.slice(b), cursor: a + inserted.length };
}

// References that no longer resolve: an unknown step, or a path the step's schema does not
// declare when the schema closes it (additionalProperties false) — underlined red in the form.
export function unresolvedRefs(
  value: unknown,
  stepIds: ReadonlySet<string>,
  outputSchemaOf: (stepId: string) => JsonSchema | undefined = () => undefined,
): LocatedRef[] {
  return findRefs(value).filter((ref) => {
    if (ref.root !== "steps") return false;
    if (!ref.step || !stepIds.has(ref.step)) return true;
    return !schemaAllows(outputSchemaOf(ref.step), ref.path);
  });
}

function schemaAllows(schema: JsonSchema | undefined, path: readonly PathToken[]): boolean {
  let s = schema;
  for (const t of path) {
    if (!s || s.anyOf || s.oneOf || s.allOf) return true;
    if (typeof t === "number") {
      if (s.items === undefined) return s.type === undefined || s.type === "array" || Array.isArray(s.type);
      s = Array.isArray(s.items) ? s.items[t] : s.items;
      continue;
    }
    const child = s.properties?.[t];
    if (child) {
      s = child;
      continue;
    }
    if (s.additionalProperties === false) return false;
    if (s.type === "string" || s.type === "integer" || s.type === "number" || s.type === "boolean") return false;
    return true;
  }
  return true;
}
