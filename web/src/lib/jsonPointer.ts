// JSON pointers (RFC 6901) and the server's field names ("inputs.headers.a", "after[0]") as the
// engine writes them (engine/plan.cpp input_field). Pure functions; no knowledge of workflows.

export type PathToken = string | number;

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function formatPointer(tokens: readonly PathToken[]): string {
  return tokens.map((t) => "/" + String(t).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

// ["inputs", "blocks", 0, "text"] → "inputs.blocks[0].text", the engine's field spelling: a
// token of digits only is an index.
export function formatField(tokens: readonly PathToken[]): string {
  let out = "";
  for (const t of tokens) {
    const s = String(t);
    if (typeof t === "number" || /^\d+$/.test(s)) out += `[${s}]`;
    else out += out === "" ? s : "." + s;
  }
  return out;
}

// "inputs.blocks[0].text" → ["inputs", "blocks", 0, "text"]. Keys holding '.' or '[' cannot be
// told apart in this spelling; the server never needs them to be.
export function parseField(field: string): PathToken[] {
  const out: PathToken[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (const m of field.matchAll(re)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

export function getAt(value: unknown, tokens: readonly PathToken[]): unknown {
  let cur: unknown = value;
  for (const t of tokens) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[String(t)];
  }
  return cur;
}

// A copy of `value` with `next` at `tokens` (containers created as needed: an array for a numeric
// token, else an object); `undefined` removes the entry. The original is never changed, and
// untouched branches keep their identity.
export function setAt(value: unknown, tokens: readonly PathToken[], next: unknown): unknown {
  if (tokens.length === 0) return next;
  const [head, ...rest] = tokens as [PathToken, ...PathToken[]];
  const isIndex = typeof head === "number";
  const container: Record<string, unknown> | unknown[] =
    value !== null && typeof value === "object"
      ? Array.isArray(value)
        ? [...value]
        : { ...(value as Record<string, unknown>) }
      : isIndex
        ? []
        : {};
  const key = String(head);
  const child = setAt((container as Record<string, unknown>)[key], rest, next);
  if (child === undefined) {
    if (Array.isArray(container) && isIndex) container.splice(head, 1);
    else delete (container as Record<string, unknown>)[key];
  } else {
    (container as Record<string, unknown>)[key] = child;
  }
  return container;
}
