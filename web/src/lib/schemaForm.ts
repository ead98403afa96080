// An action's inputSchema → the inspector's form: one field per property, required ones marked
// and listed first, descriptions as help, enums as selects, nested objects and arrays as groups,
// free maps (additionalProperties) as key/value rows, anything untyped as a JSON editor. Each
// field knows its path in the engine's spelling ("inputs.headers", "inputs.blocks[0]") so the
// server's errors land under it. Only the mapping: the components render it.
import type { JsonSchema } from "./types";
import { formatField, type PathToken } from "./jsonPointer";

export type FieldKind = "text" | "number" | "integer" | "boolean" | "select" | "object" | "array" | "map" | "json";

export interface SelectOption {
  value: unknown;
  label: string;
}

export interface FormField {
  kind: FieldKind;
  name: string;
  label: string;
  // Path from the step: ["inputs", "headers"]; `field` is its engine spelling.
  path: PathToken[];
  field: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  placeholder?: string;
  options?: SelectOption[];
  // object: its properties; array: the field for one item (path ends in 0); map: one value.
  fields?: FormField[];
  item?: FormField;
  value?: FormField;
  // Text-like fields accept {{…}} templates; so do number/integer/boolean ones, which fall back
  // to text when their value is a template.
  templatable: boolean;
  multiline?: boolean;
  // "give `text` or `blocks`": the alternatives an anyOf/oneOf of `required` lists ask for.
  alternative?: string;
}

export interface FormModel {
  fields: FormField[];
  // Words for anyOf/oneOf requirements of the object as a whole.
  notes: string[];
}

const SIMPLE = new Set(["string", "number", "integer", "boolean"]);
const MAX_DEPTH = 8;

function humanize(name: string): string {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === "string") return [schema.type];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.every((b) => typeof b.type === "string" && !b.properties && !b.items)) {
    return branches.map((b) => b.type as string);
  }
  if (schema.properties) return ["object"];
  if (schema.items) return ["array"];
  return [];
}

function optionLabel(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

// "give `text` or `blocks`" for anyOf: [{required:[text]}, {required:[blocks]}] (oneOf: "give
// exactly one of"). Branches that are not plain `required` lists are not summarised.
export function alternativesNote(schema: JsonSchema): string | null {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches || branches.length < 2) return null;
  const names = branches.map((b) =>
    b.required && b.required.length > 0 && Object.keys(b).every((k) => k === "required")
      ? b.required.map((r) => `\`${r}\``).join(" and ")
      : null,
  );
  if (names.some((n) => n === null)) return null;
  const list = names.length === 2 ? `${names[0]} or ${names[1]}` : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return schema.oneOf && !schema.anyOf ? `give exactly one of ${list}` : `give ${list}`;
}

function fieldFor(
  name: string,
  schema: JsonSchema,
  path: PathToken[],
  required: boolean,
  depth: number,
): FormField {
  const base = {
    name,
    label: schema.title || humanize(name),
    path,
    field: formatField(path),
    required,
    description: schema.description,
    defaultValue: schema.default,
    placeholder: schema.default !== undefined ? `Default: ${optionLabel(schema.default)}` : undefined,
  };
  if (schema.enum || schema.const !== undefined) {
    const values = schema.enum ?? [schema.const];
    return {
      ...base,
      kind: "select",
      options: values.map((v) => ({ value: v, label: optionLabel(v) })),
      templatable: true,
    };
  }
  const types = typesOf(schema).filter((t) => t !== "null");
  if (depth < MAX_DEPTH && types.length === 1 && types[0] === "object") {
    if (schema.properties && Object.keys(schema.properties).length > 0) {
      const model = objectFields(schema, path, depth + 1);
      return { ...base, kind: "object", fields: model.fields, templatable: false };
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      return {
        ...base,
        kind: "map",
        value: fieldFor("value", schema.additionalProperties, [...path, "*"], false, depth + 1),
        templatable: false,
      };
    }
    return { ...base, kind: "json", templatable: true, multiline: true };
  }
  if (depth < MAX_DEPTH && types.length === 1 && types[0] === "array" && schema.items && !Array.isArray(schema.items)) {
    return {
      ...base,
      kind: "array",
      item: fieldFor(name, schema.items, [...path, 0], false, depth + 1),
      templatable: false,
    };
  }
  if (types.length === 1 && SIMPLE.has(types[0]!)) {
    const kind = types[0] === "string" ? "text" : (types[0] as FieldKind);
    const multiline = kind === "text" && (schema.format === "textarea" || (schema.maxLength ?? 0) > 200 || /text|body|message|content/i.test(name));
    return { ...base, kind, templatable: true, multiline: kind === "text" ? multiline : undefined };
  }
  if (types.length > 1 && types.every((t) => SIMPLE.has(t))) {
    return { ...base, kind: "text", templatable: true };
  }
  return { ...base, kind: "json", templatable: true, multiline: true };
}

function objectFields(schema: JsonSchema, path: PathToken[], depth: number): FormModel {
  const required = new Set(schema.required ?? []);
  const alternatives = new Map<string, string>();
  const notes: string[] = [];
  const note = alternativesNote(schema);
  if (note) {
    notes.push(note);
    for (const b of schema.anyOf ?? schema.oneOf ?? []) for (const r of b.required ?? []) alternatives.set(r, note);
  }
  const names = Object.keys(schema.properties ?? {});
  const ordered = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))];
  const fields = ordered.map((name) => {
    const f = fieldFor(name, schema.properties![name]!, [...path, name], required.has(name), depth);
    const alt = alternatives.get(name);
    return alt ? { ...f, alternative: alt } : f;
  });
  return { fields, notes };
}

// The form for an action's inputSchema; paths start at "inputs". A schema that is not an
// object with properties gives one JSON field for the whole inputs object.
export function schemaToForm(schema: JsonSchema | undefined): FormModel {
  if (!schema || (!schema.properties && typesOf(schema)[0] !== "object")) {
    return { fields: [], notes: [] };
  }
  return objectFields(schema, ["inputs"], 0);
}

// True when the value is (or holds) a template, so a number/boolean field shows it as text.
export function isTemplateValue(value: unknown): boolean {
  return typeof value === "string" && value.includes("{{");
}

// Text typed into a field → the value stored: numbers parse when the field is numeric and the
// text is a number; JSON fields parse when the text is JSON (templates inside included); empty
// optional text removes the key; other templates stay strings.
export function parseFieldInput(field: FormField, text: string): unknown {
  if (text === "" && !field.required) return undefined;
  // A JSON field parses first: {"id": "{{trigger.x}}"} is an object holding a template; only
  // text that is not JSON ({{steps.a.output}} on its own) stays a string.
  if (field.kind === "json") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (isTemplateValue(text)) return text;
  if (field.kind === "number" || field.kind === "integer") {
    const n = Number(text);
    if (text.trim() !== "" && Number.isFinite(n) && (field.kind === "number" || Number.isInteger(n))) return n;
    return text;
  }
  return text;
}

// The text a field shows for a stored value.
export function formatFieldValue(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (field.kind === "json" || typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}
