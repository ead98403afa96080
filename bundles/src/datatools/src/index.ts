// The first-party "datatools" bundle: CSV to rows and back, JSON text to a value, and picking /
// renaming fields of a list of objects. Pure functions, no network, no credential. The parsing
// and its bounds live in csv.ts, json.ts and json-error.ts; this file declares the tools.
import { defineProduct, defineTool, defineVendor } from "@weft/sdk";

import { checkDelimiter, CsvError, formatRecords, MAX_CELLS, MAX_INPUT_BYTES, MAX_OUTPUT_BYTES, parseRecords, type Cell } from "./csv";
import { MISSING, parseJson, readPath, type Json } from "./json";

const MB5 = `${MAX_INPUT_BYTES / 1048576} MB`;

const delimiter = {
  type: "string",
  description: "The field separator: one character, \",\" by default (\";\" and \"\\t\" are common too).",
  minLength: 1,
  maxLength: 1,
  default: ",",
} as const;

const MAX_ROWS = 100_000;

const csvParse = defineTool({
  id: "datatools.csvParse",
  name: "Parse CSV",
  description:
    "Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes) into rows. " +
    "With a header line each row is an object keyed by the column names; without one, a list of strings. Empty lines are skipped.",
  inputSchema: {
    type: "object",
    properties: {
      csv: { type: "string", description: `The CSV text, at most ${MB5}.` },
      delimiter,
      header: {
        type: "boolean",
        description: "Whether the first line names the columns (true by default).",
        default: true,
      },
    },
    required: ["csv"],
    additionalProperties: false,
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
            { type: "array", items: { type: "string" } },
          ],
        },
      },
      columns: {
        type: "array",
        description: "The column names from the header line; empty without a header.",
        items: { type: "string" },
      },
    },
    required: ["rows", "columns"],
    additionalProperties: false,
  },
  run(input: { csv: string; delimiter?: string; header?: boolean }) {
    const { records, approxBytes } = parseRecords(input.csv, checkDelimiter(input.delimiter));
    if (input.header === false) return { rows: records, columns: [] };
    const [columns = [], ...data] = records;
    // Each row object repeats the column names: count them before building the rows.
    const namesBytes = columns.reduce((sum, name) => sum + name.length + 4, 0);
    if (approxBytes + namesBytes * data.length > MAX_OUTPUT_BYTES) {
      throw new CsvError(`the parsed rows would be larger than the ${MAX_OUTPUT_BYTES / 1048576} MiB a step may return; split the CSV or pass header: false`);
    }
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name)) throw new CsvError(`the header names the column ${JSON.stringify(name)} twice; rename one or pass header: false`);
      seen.add(name);
    }
    const rows = data.map((record, r) => {
      if (record.length > columns.length) {
        throw new CsvError(`record ${r + 1} after the header has ${record.length} fields but the header names ${columns.length} columns`);
      }
      // fromEntries defines own properties: a column named "__proto__" stays a column.
      return Object.fromEntries(columns.map((name, c) => [name, record[c] ?? ""]));
    });
    return { rows, columns };
  },
});

const csvFormat = defineTool({
  id: "datatools.csvFormat",
  name: "Format CSV",
  description:
    "Writes rows as CSV text (RFC 4180). Rows are objects (columns: the given list, else every key in the order first seen) or arrays of values. " +
    "Numbers and booleans are written as JSON writes them, null as an empty field, nested values as JSON text.",
  inputSchema: {
    type: "object",
    properties: {
      rows: {
        type: "array",
        description: `The rows: all objects or all arrays; at most ${MAX_ROWS}.`,
        maxItems: MAX_ROWS,
        items: { type: ["object", "array"] },
      },
      columns: {
        type: "array",
        description: "The columns to write, in this order (for object rows: the keys; a missing key is an empty field).",
        items: { type: "string" },
        maxItems: 10_000,
        uniqueItems: true,
      },
      delimiter,
      header: { type: "boolean", description: "Whether to write a header line (true by default; needs columns for array rows).", default: true },
      lineEnding: { type: "string", description: "crlf (RFC 4180, the default) or lf.", enum: ["crlf", "lf"], default: "crlf" },
      escapeFormulas: {
        type: "boolean",
        description: "Prefix fields that start with = + - @ or a tab with ' so spreadsheets do not run them as formulas.",
        default: false,
      },
    },
    required: ["rows"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: { csv: { type: "string" } },
    required: ["csv"],
    additionalProperties: false,
  },
  run(input: {
    rows: ({ [key: string]: Cell } | Cell[])[];
    columns?: string[];
    delimiter?: string;
    header?: boolean;
    lineEnding?: "crlf" | "lf";
    escapeFormulas?: boolean;
  }) {
    const options = {
      delimiter: checkDelimiter(input.delimiter),
      lineEnding: input.lineEnding === "lf" ? ("\n" as const) : ("\r\n" as const),
      escapeFormulas: input.escapeFormulas === true,
    };
    const arrays = input.rows.filter((row) => Array.isArray(row)).length;
    if (arrays !== 0 && arrays !== input.rows.length) throw new CsvError("rows must be all objects or all arrays, not a mix");
    const header = input.header !== false;
    let columns = input.columns;
    if (arrays === 0 && columns === undefined) {
      const keys = new Set<string>();
      for (const row of input.rows) for (const key of Object.keys(row)) keys.add(key);
      columns = [...keys];
    }
    const records: (Cell | undefined)[][] = [];
    if (header && columns !== undefined && columns.length > 0) records.push(columns);
    for (const row of input.rows) {
      if (Array.isArray(row)) {
        records.push(row);
      } else {
        records.push(columns!.map((name) => (Object.prototype.hasOwnProperty.call(row, name) ? row[name] : null)));
      }
    }
    return { csv: formatRecords(records, options) };
  },
});

const jsonParse = defineTool({
  id: "datatools.jsonParse",
  name: "Parse JSON",
  description: "Parses JSON text (an API answer kept as a string, a file's content) into a value; bad JSON fails with its line and column.",
  inputSchema: {
    type: "object",
    properties: { text: { type: "string", description: `The JSON text, at most ${MB5}.` } },
    required: ["text"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: { value: { description: "The parsed value: any JSON." } },
    required: ["value"],
    additionalProperties: false,
  },
  run(input: { text: string }) {
    return { value: parseJson(input.text) };
  },
});

const jsonPick = defineTool({
  id: "datatools.jsonPick",
  name: "Pick fields",
  description:
    "For each object of a list, keeps only the named fields, renamed: fields maps an output name to a dotted path " +
    "such as \"user.login\" or \"labels.0.name\" (a number indexes a list). A path that leads nowhere gives null, or is left out with missing: omit.",
  inputSchema: {
    type: "object",
    properties: {
      items: { type: "array", description: "The objects to read.", maxItems: MAX_ROWS },
      fields: {
        type: "object",
        description: "Output name → dotted path, e.g. {\"author\": \"user.login\"}.",
        additionalProperties: { type: "string", minLength: 1, maxLength: 1000 },
        minProperties: 1,
        maxProperties: 200,
      },
      missing: { type: "string", description: "What a path that leads nowhere gives: null (the default) or omit.", enum: ["null", "omit"], default: "null" },
    },
    required: ["items", "fields"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: { items: { type: "array", items: { type: "object" } } },
    required: ["items"],
    additionalProperties: false,
  },
  run(input: { items: Json[]; fields: { [name: string]: string }; missing?: "null" | "omit" }) {
    const fields = Object.entries(input.fields);
    if (input.items.length * fields.length > MAX_CELLS * 4) {
      throw new Error(`${input.items.length} items × ${fields.length} fields is too many values for one step; pick fewer`);
    }
    const omit = input.missing === "omit";
    const items = input.items.map((item) => {
      const picked: [string, Json][] = [];
      for (const [name, path] of fields) {
        const value = readPath(item, path);
        if (value !== MISSING) picked.push([name, value]);
        else if (!omit) picked.push([name, null]);
      }
      return Object.fromEntries(picked);
    });
    return { items };
  },
});

export default defineVendor({
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
      tools: [csvParse, csvFormat, jsonParse, jsonPick],
    }),
  ],
});
