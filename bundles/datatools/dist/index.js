// ../../../sdk/index.js
var VENDOR_ID = /^[a-z][a-z0-9-]*$/;
var VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
var HOST_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$/;
var AUTH_TYPES = ["none", "api_key", "bearer_token", "oauth2", "bot_token"];
var TOOL_CATEGORIES = ["tools", "blocks"];
var VENDOR_MARK = /* @__PURE__ */ Symbol.for("weft.sdk.vendor");
function defineTool(spec) {
  return describeBlock("defineTool", "tool", spec);
}
var MAX_POLL_STATE_BYTES = 64 * 1024;
function defineProduct(spec) {
  requireObject("defineProduct", spec);
  return {
    kind: "product",
    id: spec.id,
    name: spec.name,
    category: spec.category,
    dependencies: spec.dependencies ?? [],
    tools: spec.tools,
    triggers: spec.triggers ?? []
  };
}
function defineVendor(spec) {
  requireObject("defineVendor", spec);
  const problems = [];
  const definition = normaliseVendor(spec, problems);
  if (problems.length > 0) {
    const error = new TypeError(
      `defineVendor(${JSON.stringify(String(spec.id ?? ""))}): invalid definition:
  - ${problems.join("\n  - ")}`
    );
    error.problems = problems;
    throw error;
  }
  const tools = {};
  for (const product of definition.products) {
    for (const block of [...product.tools, ...product.triggers]) tools[block.id] = block.run;
  }
  const vendor = { id: definition.id, tools, definition };
  Object.defineProperty(vendor, VENDOR_MARK, { value: true });
  const host = globalThis.defineVendor;
  if (typeof host === "function" && host !== defineVendor) return host(vendor);
  return vendor;
}
function describeBlock(fn, kind, spec) {
  requireObject(fn, spec);
  return {
    kind,
    id: spec.id,
    name: spec.name,
    description: spec.description,
    category: kind === "trigger" ? "triggers" : spec.category ?? "tools",
    inputSchema: spec.inputSchema,
    outputSchema: spec.outputSchema,
    run: spec.run
  };
}
function requireObject(fn, spec) {
  if (!isPlainObject(spec)) throw new TypeError(`${fn}(spec): spec must be an object`);
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isNonEmptyString(value) {
  return typeof value === "string" && value.length > 0;
}
function normaliseVendor(spec, problems) {
  const id = spec.id;
  if (!isNonEmptyString(id) || !VENDOR_ID.test(id)) {
    problems.push(`id ${JSON.stringify(id)} must match /^[a-z][a-z0-9-]*$/`);
  }
  requireString(spec, "name", "name", problems);
  if (!isNonEmptyString(spec.version) || !VERSION.test(spec.version)) {
    problems.push(`version ${JSON.stringify(spec.version)} must be a version string such as "1.0.0"`);
  }
  if (spec.icon !== void 0) requireString(spec, "icon", "icon", problems);
  const auth = normaliseAuth(spec.auth, problems);
  const network = normaliseNetwork(spec.network, problems);
  const capabilities = normaliseStringList(spec.capabilities, "capabilities", ["tools"], problems);
  const products = [];
  if (!Array.isArray(spec.products) || spec.products.length === 0) {
    problems.push("products must be a non-empty array of defineProduct(...) results");
  } else {
    const productIds = /* @__PURE__ */ new Set();
    const blockIds = /* @__PURE__ */ new Set();
    spec.products.forEach((product, p) => {
      products.push(normaliseProduct(product, `products[${p}]`, id, productIds, blockIds, problems));
    });
  }
  const definition = { id, name: spec.name, version: spec.version };
  if (spec.icon !== void 0) definition.icon = spec.icon;
  Object.assign(definition, { auth, network, capabilities, products });
  return definition;
}
function normaliseAuth(auth, problems) {
  if (!isPlainObject(auth)) {
    problems.push(`auth must be an object such as { type: "none" }`);
    return auth;
  }
  if (!AUTH_TYPES.includes(auth.type)) {
    problems.push(`auth.type ${JSON.stringify(auth.type)} must be one of ${AUTH_TYPES.join(", ")}`);
  }
  return { ...auth };
}
function normaliseNetwork(network, problems) {
  if (network === void 0) return { allowedHosts: [] };
  if (!isPlainObject(network)) {
    problems.push('network must be an object such as { allowedHosts: ["api.example.com"] }');
    return { allowedHosts: [] };
  }
  const hosts = normaliseStringList(network.allowedHosts, "network.allowedHosts", [], problems);
  hosts.forEach((host, i) => {
    if (typeof host === "string" && !HOST_NAME.test(host)) {
      problems.push(
        `network.allowedHosts[${i}] ${JSON.stringify(host)} must be a lower-case host such as "api.example.com", "*.example.com" or "api.example.com:8443"`
      );
    }
  });
  return { allowedHosts: hosts };
}
function normaliseStringList(list, where, fallback, problems) {
  if (list === void 0) return [...fallback];
  if (!Array.isArray(list)) {
    problems.push(`${where} must be an array of strings`);
    return [...fallback];
  }
  list.forEach((item, i) => {
    if (!isNonEmptyString(item)) problems.push(`${where}[${i}] must be a non-empty string`);
  });
  return [...list];
}
function normaliseProduct(product, where, vendorId, productIds, blockIds, problems) {
  if (!isPlainObject(product)) {
    problems.push(`${where} must be a defineProduct(...) result`);
    return product;
  }
  if (requireString(product, "id", where + ".id", problems)) {
    if (productIds.has(product.id)) problems.push(`${where}.id "${product.id}" is a duplicate product id`);
    productIds.add(product.id);
  }
  requireString(product, "name", where + ".name", problems);
  if (product.category !== void 0) requireString(product, "category", where + ".category", problems);
  const dependencies = normaliseDependencies(product.dependencies, where, problems);
  const blocks = (key, kind) => {
    const list = product[key] ?? [];
    if (!Array.isArray(list)) {
      problems.push(`${where}.${key} must be an array`);
      return [];
    }
    return list.map(
      (block, b) => normaliseBlock(block, kind, `${where}.${key}[${b}]`, vendorId, blockIds, problems)
    );
  };
  const tools = blocks("tools", "tool");
  const triggers = blocks("triggers", "trigger");
  if (tools.length + triggers.length === 0) problems.push(`${where} has no tools or triggers`);
  return {
    id: product.id,
    name: product.name,
    category: product.category ?? "Other",
    dependencies,
    tools,
    triggers
  };
}
function normaliseDependencies(list, where, problems) {
  if (list === void 0) return [];
  if (!Array.isArray(list)) {
    problems.push(`${where}.dependencies must be an array of { name, version, reason }`);
    return [];
  }
  return list.map((dep, d) => {
    const at = `${where}.dependencies[${d}]`;
    if (!isPlainObject(dep)) {
      problems.push(`${at} must be an object { name, version, reason }`);
      return dep;
    }
    for (const key of ["name", "version", "reason"]) requireString(dep, key, `${at}.${key}`, problems);
    return { name: dep.name, version: dep.version, reason: dep.reason };
  });
}
function normaliseBlock(block, kind, where, vendorId, blockIds, problems) {
  if (!isPlainObject(block)) {
    problems.push(`${where} must be a define${kind === "tool" ? "Tool" : "Trigger"}(...) result`);
    return block;
  }
  const wrongKind = block.kind !== void 0 && block.kind !== kind;
  if (wrongKind) problems.push(`${where} is a ${block.kind}, not a ${kind}`);
  if (requireString(block, "id", where + ".id", problems)) {
    const prefix = `${vendorId}.`;
    if (!block.id.startsWith(prefix) || block.id.length === prefix.length) {
      problems.push(`${where}.id "${block.id}" must start with "${prefix}" followed by a name`);
    }
    if (blockIds.has(block.id)) problems.push(`${where}.id "${block.id}" is a duplicate tool or trigger id`);
    blockIds.add(block.id);
  }
  requireString(block, "name", where + ".name", problems);
  if (typeof block.description !== "string") problems.push(`${where}.description must be a string`);
  const category = kind === "trigger" ? "triggers" : block.category ?? "tools";
  if (kind === "tool" && !wrongKind && !TOOL_CATEGORIES.includes(category)) {
    problems.push(`${where}.category ${JSON.stringify(category)} must be one of ${TOOL_CATEGORIES.join(", ")}`);
  }
  for (const key of ["inputSchema", "outputSchema"]) {
    if (!isPlainObject(block[key])) problems.push(`${where}.${key} must be a JSON Schema object`);
  }
  if (typeof block.run !== "function") problems.push(`${where}.run must be a function (input, ctx) => output`);
  return {
    kind,
    id: block.id,
    name: block.name,
    description: block.description,
    category,
    inputSchema: block.inputSchema,
    outputSchema: block.outputSchema,
    run: block.run
  };
}
function requireString(obj, key, where, problems) {
  if (isNonEmptyString(obj[key])) return true;
  problems.push(obj[key] === void 0 ? `${where} is required` : `${where} must be a non-empty string`);
  return false;
}

// src/csv.ts
var MAX_INPUT_BYTES = 5 * 1024 * 1024;
var MAX_COLUMNS = 1e4;
var MAX_CELLS = 25e4;
var MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
var CsvError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CsvError";
  }
};
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) bytes += 1;
    else if (c < 2048) bytes += 2;
    else if (c >= 55296 && c <= 56319 && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
function checkDelimiter(delimiter2) {
  const d = delimiter2 ?? ",";
  if (d.length !== 1 || d === '"' || d === "\r" || d === "\n") {
    throw new CsvError(`delimiter must be one character other than a quote or a line break (got ${JSON.stringify(d)})`);
  }
  return d;
}
function parseRecords(csv, delimiter2) {
  const size = utf8Length(csv);
  if (size > MAX_INPUT_BYTES) {
    throw new CsvError(`the CSV is ${size} bytes; at most ${MAX_INPUT_BYTES} bytes (5 MB) are parsed in one step`);
  }
  const records = [];
  let record = [];
  let cells = 0;
  let approxBytes = 2;
  let line = 1;
  let i = csv.charCodeAt(0) === 65279 ? 1 : 0;
  const n = csv.length;
  const push = (field) => {
    if (record.length >= MAX_COLUMNS) throw new CsvError(`line ${line}: more than ${MAX_COLUMNS} fields in one record`);
    if (++cells > MAX_CELLS) throw new CsvError(`more than ${MAX_CELLS} fields in all; split the CSV into smaller parts`);
    approxBytes += field.length + 4;
    if (approxBytes > MAX_OUTPUT_BYTES) {
      throw new CsvError(`the parsed rows would be larger than the ${MAX_OUTPUT_BYTES / 1048576} MiB a step may return; split the CSV`);
    }
    record.push(field);
  };
  const endRecord = () => {
    records.push(record);
    record = [];
  };
  while (i < n) {
    const c = csv[i];
    if (record.length === 0 && (c === "\n" || c === "\r")) {
      i += c === "\r" && csv[i + 1] === "\n" ? 2 : 1;
      line++;
      continue;
    }
    let field;
    if (c === '"') {
      const startLine = line;
      let parts = "";
      let from = i + 1;
      for (; ; ) {
        const q = csv.indexOf('"', from);
        if (q < 0) throw new CsvError(`line ${startLine}: a quoted field is never closed`);
        line += countLineBreaks(csv, from, q);
        parts += csv.slice(from, q);
        if (csv[q + 1] === '"') {
          parts += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      field = parts;
      if (i < n && csv[i] !== delimiter2 && csv[i] !== "\r" && csv[i] !== "\n") {
        throw new CsvError(`line ${line}: text after a closing quote; a quote inside a quoted field is written twice ("")`);
      }
    } else {
      let end = i;
      while (end < n && csv[end] !== delimiter2 && csv[end] !== "\n" && csv[end] !== "\r") {
        if (csv[end] === '"') {
          throw new CsvError(`line ${line}: a quote inside an unquoted field; quote the whole field and write the quote twice ("")`);
        }
        end++;
      }
      field = csv.slice(i, end);
      i = end;
    }
    push(field);
    if (i >= n) break;
    if (csv[i] === delimiter2) {
      i++;
      if (i >= n) push("");
      continue;
    }
    i += csv[i] === "\r" && csv[i + 1] === "\n" ? 2 : 1;
    line++;
    endRecord();
  }
  if (record.length > 0) endRecord();
  return { records, approxBytes };
}
function countLineBreaks(text, from, to) {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13 && text.charCodeAt(k + 1) !== 10) count++;
  }
  return count;
}
function formatField(value, o) {
  let text;
  if (value === null || value === void 0) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else text = JSON.stringify(value);
  if (o.escapeFormulas && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  if (text.includes(o.delimiter) || text.includes('"') || text.includes("\n") || text.includes("\r")) {
    return '"' + text.replace(/"/g, '""') + '"';
  }
  return text;
}
function formatRecords(records, o) {
  const lines = [];
  let bytes = 0;
  for (const record of records) {
    const line = record.map((v) => formatField(v, o)).join(o.delimiter);
    bytes += line.length + o.lineEnding.length;
    if (bytes > MAX_OUTPUT_BYTES) {
      throw new CsvError(`the CSV would be larger than the ${MAX_OUTPUT_BYTES / 1048576} MiB a step may return`);
    }
    lines.push(line);
  }
  return lines.length === 0 ? "" : lines.join(o.lineEnding) + o.lineEnding;
}

// src/json-error.ts
var WS = /* @__PURE__ */ new Set([32, 9, 10, 13]);
function locateJsonError(text) {
  let i = 0;
  const problem = (expected) => ({ offset: i, expected });
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return null;
    }
    return problem("a value (a string, number, object, array, true, false or null)");
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 32) return problem("the string to be closed before the line break or control character");
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return problem("four hex digits after \\u");
          i += 6;
        } else if (e !== void 0 && '"\\/bfnrt'.includes(e)) {
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
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") return problem("a value (a string, number, object, array, true, false or null)");
    i += m[0].length;
    return null;
  };
  const value = () => {
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
      for (; ; ) {
        skip();
        if (text[i] !== '"') return problem("a property name in double quotes");
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
      for (; ; ) {
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
function lineAndColumn(text, offset) {
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

// src/json.ts
var MAX_TEXT_BYTES = 5 * 1024 * 1024;
var MAX_DEPTH = 48;
function parseJson(text) {
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
function nestingDepth(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}
var MISSING = /* @__PURE__ */ Symbol("missing");
function readPath(value, path) {
  let current = value;
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

// src/index.ts
var MB5 = `${MAX_INPUT_BYTES / 1048576} MB`;
var delimiter = {
  type: "string",
  description: 'The field separator: one character, "," by default (";" and "\\t" are common too).',
  minLength: 1,
  maxLength: 1,
  default: ","
};
var MAX_ROWS = 1e5;
var csvParse = defineTool({
  id: "datatools.csvParse",
  name: "Parse CSV",
  description: "Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes) into rows. With a header line each row is an object keyed by the column names; without one, a list of strings. Empty lines are skipped.",
  inputSchema: {
    type: "object",
    properties: {
      csv: { type: "string", description: `The CSV text, at most ${MB5}.` },
      delimiter,
      header: {
        type: "boolean",
        description: "Whether the first line names the columns (true by default).",
        default: true
      }
    },
    required: ["csv"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: {
      rows: {
        type: "array",
        description: "One entry per record after the header: an object of strings (header) or an array of strings.",
        items: {
          anyOf: [
            { type: "object", additionalProperties: { type: "string" } },
            { type: "array", items: { type: "string" } }
          ]
        }
      },
      columns: {
        type: "array",
        description: "The column names from the header line; empty without a header.",
        items: { type: "string" }
      }
    },
    required: ["rows", "columns"],
    additionalProperties: false
  },
  run(input) {
    const { records, approxBytes } = parseRecords(input.csv, checkDelimiter(input.delimiter));
    if (input.header === false) return { rows: records, columns: [] };
    const [columns = [], ...data] = records;
    const namesBytes = columns.reduce((sum, name) => sum + name.length + 4, 0);
    if (approxBytes + namesBytes * data.length > MAX_OUTPUT_BYTES) {
      throw new CsvError(`the parsed rows would be larger than the ${MAX_OUTPUT_BYTES / 1048576} MiB a step may return; split the CSV or pass header: false`);
    }
    const seen = /* @__PURE__ */ new Set();
    for (const name of columns) {
      if (seen.has(name)) throw new CsvError(`the header names the column ${JSON.stringify(name)} twice; rename one or pass header: false`);
      seen.add(name);
    }
    const rows = data.map((record, r) => {
      if (record.length > columns.length) {
        throw new CsvError(`record ${r + 1} after the header has ${record.length} fields but the header names ${columns.length} columns`);
      }
      return Object.fromEntries(columns.map((name, c) => [name, record[c] ?? ""]));
    });
    return { rows, columns };
  }
});
var csvFormat = defineTool({
  id: "datatools.csvFormat",
  name: "Format CSV",
  description: "Writes rows as CSV text (RFC 4180). Rows are objects (columns: the given list, else every key in the order first seen) or arrays of values. Numbers and booleans are written as JSON writes them, null as an empty field, nested values as JSON text.",
  inputSchema: {
    type: "object",
    properties: {
      rows: {
        type: "array",
        description: `The rows: all objects or all arrays; at most ${MAX_ROWS}.`,
        maxItems: MAX_ROWS,
        items: { type: ["object", "array"] }
      },
      columns: {
        type: "array",
        description: "The columns to write, in this order (for object rows: the keys; a missing key is an empty field).",
        items: { type: "string" },
        maxItems: 1e4,
        uniqueItems: true
      },
      delimiter,
      header: { type: "boolean", description: "Whether to write a header line (true by default; needs columns for array rows).", default: true },
      lineEnding: { type: "string", description: "crlf (RFC 4180, the default) or lf.", enum: ["crlf", "lf"], default: "crlf" },
      escapeFormulas: {
        type: "boolean",
        description: "Prefix fields that start with = + - @ or a tab with ' so spreadsheets do not run them as formulas.",
        default: false
      }
    },
    required: ["rows"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: { csv: { type: "string" } },
    required: ["csv"],
    additionalProperties: false
  },
  run(input) {
    const options = {
      delimiter: checkDelimiter(input.delimiter),
      lineEnding: input.lineEnding === "lf" ? "\n" : "\r\n",
      escapeFormulas: input.escapeFormulas === true
    };
    const arrays = input.rows.filter((row) => Array.isArray(row)).length;
    if (arrays !== 0 && arrays !== input.rows.length) throw new CsvError("rows must be all objects or all arrays, not a mix");
    const header = input.header !== false;
    let columns = input.columns;
    if (arrays === 0 && columns === void 0) {
      const keys = /* @__PURE__ */ new Set();
      for (const row of input.rows) for (const key of Object.keys(row)) keys.add(key);
      columns = [...keys];
    }
    const records = [];
    if (header && columns !== void 0 && columns.length > 0) records.push(columns);
    for (const row of input.rows) {
      if (Array.isArray(row)) {
        records.push(row);
      } else {
        records.push(columns.map((name) => Object.prototype.hasOwnProperty.call(row, name) ? row[name] : null));
      }
    }
    return { csv: formatRecords(records, options) };
  }
});
var jsonParse = defineTool({
  id: "datatools.jsonParse",
  name: "Parse JSON",
  description: "Parses JSON text (an API answer kept as a string, a file's content) into a value; bad JSON fails with its line and column.",
  inputSchema: {
    type: "object",
    properties: { text: { type: "string", description: `The JSON text, at most ${MB5}.` } },
    required: ["text"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: { value: { description: "The parsed value: any JSON." } },
    required: ["value"],
    additionalProperties: false
  },
  run(input) {
    return { value: parseJson(input.text) };
  }
});
var jsonPick = defineTool({
  id: "datatools.jsonPick",
  name: "Pick fields",
  description: 'For each object of a list, keeps only the named fields, renamed: fields maps an output name to a dotted path such as "user.login" or "labels.0.name" (a number indexes a list). A path that leads nowhere gives null, or is left out with missing: omit.',
  inputSchema: {
    type: "object",
    properties: {
      items: { type: "array", description: "The objects to read.", maxItems: MAX_ROWS },
      fields: {
        type: "object",
        description: 'Output name \u2192 dotted path, e.g. {"author": "user.login"}.',
        additionalProperties: { type: "string", minLength: 1, maxLength: 1e3 },
        minProperties: 1,
        maxProperties: 200
      },
      missing: { type: "string", description: "What a path that leads nowhere gives: null (the default) or omit.", enum: ["null", "omit"], default: "null" }
    },
    required: ["items", "fields"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: { items: { type: "array", items: { type: "object" } } },
    required: ["items"],
    additionalProperties: false
  },
  run(input) {
    const fields = Object.entries(input.fields);
    if (input.items.length * fields.length > MAX_CELLS * 4) {
      throw new Error(`${input.items.length} items \xD7 ${fields.length} fields is too many values for one step; pick fewer`);
    }
    const omit = input.missing === "omit";
    const items = input.items.map((item) => {
      const picked = [];
      for (const [name, path] of fields) {
        const value = readPath(item, path);
        if (value !== MISSING) picked.push([name, value]);
        else if (!omit) picked.push([name, null]);
      }
      return Object.fromEntries(picked);
    });
    return { items };
  }
});
var index_default = defineVendor({
  id: "datatools",
  name: "Data tools",
  version: "1.0.0",
  icon: "assets/icon.svg",
  auth: { type: "none" },
  network: { allowedHosts: [] },
  capabilities: ["tools"],
  products: [
    defineProduct({
      id: "datatools-core",
      name: "Data tools",
      category: "Data",
      tools: [csvParse, csvFormat, jsonParse, jsonPick]
    })
  ]
});
export {
  index_default as default
};
