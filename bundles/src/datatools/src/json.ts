// The datatools bundle's JSON helpers: parsing text with an error that names the line and column,
// and reading dotted paths ("user.login", "labels.0.name") through own properties only, so
// "__proto__" or "constructor" in a path never reaches a prototype.
import { utf8Length } from "./csv";
import { lineAndColumn, locateJsonError } from "./json-error";

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;
// Values deeper than this cannot be returned through the sandbox's frames (64 levels in all).
export const MAX_DEPTH = 48;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Parses `text`; throws an Error such as `not valid JSON at line 3, column 7: …`.
export function parseJson(text: string): Json {
  const size = utf8Length(text);
  if (size > MAX_TEXT_BYTES) throw new Error(`the text is ${size} bytes; at most ${MAX_TEXT_BYTES} bytes (5 MB) are parsed in one step`);
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH) throw new Error(`the JSON is nested ${depth} levels deep; at most ${MAX_DEPTH} levels can be returned`);
  try {
    return JSON.parse(text);
  } catch {
    const problem = locateJsonError(text);
    if (!problem) throw new Error("not valid JSON");
    const { line, column } = lineAndColumn(text, problem.offset);
    throw new Error(`not valid JSON at line ${line}, column ${column}: expected ${problem.expected}`);
  }
}

// The deepest nesting of [ and { outside strings (an upper bound when the text is not JSON).
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;  // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

export const MISSING = Symbol("missing");

// The value at a dotted path, or MISSING. A segment indexes an array when it is a whole number.
export function readPath(value: Json, path: string): Json | typeof MISSING {
  let current: Json = value;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return MISSING;
      const index = Number(segment);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === "object") {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return MISSING;
      current = current[segment];
    } else {
      return MISSING;
    }
  }
  return current;
}
