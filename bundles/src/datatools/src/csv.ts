// The datatools bundle's CSV reader and writer (RFC 4180: quoted fields, doubled quotes, CRLF or
// LF line ends, line breaks inside quotes). It owns the size bounds that keep a hostile input from
// exhausting the sandbox's memory; it knows nothing of schemas or the ctx.

export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
export const MAX_COLUMNS = 10_000;
export const MAX_CELLS = 250_000;
// The sandbox's default cap on what a step returns is 4 MiB: refuse before building more.
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvError";
  }
}

// UTF-8 length of `text`, without encoding it.
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function checkDelimiter(delimiter: string | undefined): string {
  const d = delimiter ?? ",";
  if (d.length !== 1 || d === '"' || d === "\r" || d === "\n") {
    throw new CsvError(`delimiter must be one character other than a quote or a line break (got ${JSON.stringify(d)})`);
  }
  return d;
}

export interface ParsedCsv {
  records: string[][];
  approxBytes: number;  // what the records cost as JSON, roughly
}

// Splits `csv` into records of fields. Empty lines are skipped; a leading byte-order mark is
// dropped. Throws a CsvError naming the line for a malformed quote or a bound exceeded.
export function parseRecords(csv: string, delimiter: string): ParsedCsv {
  const size = utf8Length(csv);
  if (size > MAX_INPUT_BYTES) {
    throw new CsvError(`the CSV is ${size} bytes; at most ${MAX_INPUT_BYTES} bytes (5 MB) are parsed in one step`);
  }
  const records: string[][] = [];
  let record: string[] = [];
  let cells = 0;
  let approxBytes = 2;
  let line = 1;
  let i = csv.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = csv.length;

  const push = (field: string) => {
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
    // At the start of a field.
    const c = csv[i];
    if (record.length === 0 && (c === "\n" || c === "\r")) {  // an empty line
      i += c === "\r" && csv[i + 1] === "\n" ? 2 : 1;
      line++;
      continue;
    }
    let field: string;
    if (c === '"') {
      const startLine = line;
      let parts = "";
      let from = i + 1;
      for (;;) {
        const q = csv.indexOf('"', from);
        if (q < 0) throw new CsvError(`line ${startLine}: a quoted field is never closed`);
        line += countLineBreaks(csv, from, q);
        parts += csv.slice(from, q);
        if (csv[q + 1] === '"') {  // a doubled quote stands for one
          parts += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      field = parts;
      if (i < n && csv[i] !== delimiter && csv[i] !== "\r" && csv[i] !== "\n") {
        throw new CsvError(`line ${line}: text after a closing quote; a quote inside a quoted field is written twice ("")`);
      }
    } else {
      let end = i;
      while (end < n && csv[end] !== delimiter && csv[end] !== "\n" && csv[end] !== "\r") {
        if (csv[end] === '"') {
          throw new CsvError(`line ${line}: a quote inside an unquoted field; quote the whole field and write the quote twice ("")`);
        }
        end++;
      }
      field = csv.slice(i, end);
      i = end;
    }
    push(field);
    // After a field: a delimiter, a line end, or the end of the text.
    if (i >= n) break;
    if (csv[i] === delimiter) {
      i++;
      if (i >= n) push("");  // "a,b," ends with an empty field
      continue;
    }
    i += csv[i] === "\r" && csv[i + 1] === "\n" ? 2 : 1;
    line++;
    endRecord();
  }
  if (record.length > 0) endRecord();
  return { records, approxBytes };
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) count++;
  }
  return count;
}

export type Cell = string | number | boolean | null | object;

export interface FormatOptions {
  delimiter: string;
  lineEnding: "\r\n" | "\n";
  escapeFormulas: boolean;
}

// One CSV field: strings as they are, numbers and booleans as JSON writes them, null as empty,
// arrays and objects as JSON text; quoted when it holds the delimiter, a quote or a line break.
export function formatField(value: Cell | undefined, o: FormatOptions): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else text = JSON.stringify(value);
  // A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
  if (o.escapeFormulas && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  if (text.includes(o.delimiter) || text.includes('"') || text.includes("\n") || text.includes("\r")) {
    return '"' + text.replace(/"/g, '""') + '"';
  }
  return text;
}

// Joins records into CSV text, refusing output over MAX_OUTPUT_BYTES.
export function formatRecords(records: Iterable<(Cell | undefined)[]>, o: FormatOptions): string {
  const lines: string[] = [];
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
