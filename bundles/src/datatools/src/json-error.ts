// The datatools bundle's JSON error locator: run only after JSON.parse refused a text, it walks
// the text (RFC 8259) to the first byte that is wrong and says what was expected there. V8's own
// messages differ between versions and sometimes quote the whole input; this never quotes it.

export interface JsonProblem {
  offset: number;
  expected: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

// The first problem in `text`, or null when it is valid JSON. Nesting must already be bounded.
export function locateJsonError(text: string): JsonProblem | null {
  let i = 0;
  const problem = (expected: string): JsonProblem => ({ offset: i, expected });
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return null;
    }
    return problem("a value (a string, number, object, array, true, false or null)");
  };
  const string = (): JsonProblem | null => {
    i++;  // the opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return problem("the string to be closed before the line break or control character");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return problem("four hex digits after \\u");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return problem('an escape such as \\n, \\" or \\u00e9');
        }
        continue;
      }
      i++;
    }
    return problem("a closing quote: the string never ends");
  };
  const number = (): JsonProblem | null => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") return problem("a value (a string, number, object, array, true, false or null)");
    i += m[0].length;
    return null;
  };
  const value = (): JsonProblem | null => {
    skip();
    if (i >= text.length) return problem("a value, but the text ended");
    const c = text[i];
    if (c === "{") {
      i++;
      skip();
      if (text[i] === "}") {
        i++;
        return null;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') return problem('a property name in double quotes');
        const bad = string();
        if (bad) return bad;
        skip();
        if (text[i] !== ":") return problem("':' after the property name");
        i++;
        const v = value();
        if (v) return v;
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return null;
        }
        return problem("',' or '}' after a property's value");
      }
    }
    if (c === "[") {
      i++;
      skip();
      if (text[i] === "]") {
        i++;
        return null;
      }
      for (;;) {
        const v = value();
        if (v) return v;
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return null;
        }
        return problem("',' or ']' after an array element");
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    return number();
  };
  const first = value();
  if (first) return first;
  skip();
  return i < text.length ? problem("the end of the text after the value") : null;
}

// 1-based line and column (in UTF-16 code units) of `offset`.
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
