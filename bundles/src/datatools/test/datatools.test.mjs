// The datatools bundle's tools, as committed in bundles/datatools/dist/index.js: RFC 4180 CSV
// both ways (round trips included), JSON parsing with located errors, dotted-path picking, and
// hostile inputs (CSV bombs, huge field counts, deep or bad JSON, prototype keys).

import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { importDist } from "../../../../sdk/test-support/helpers.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILT = path.resolve(HERE, "../../../datatools");
let tools;
before(async () => {
  tools = (await importDist(path.join(BUILT, "dist/index.js"))).default.tools;
});
const ctx = { auth: null, ids: {}, idempotencyKey: "k", log() {}, fetch: () => assert.fail("no network") };
const parse = (input) => tools["datatools.csvParse"](input, ctx);
const format = (input) => tools["datatools.csvFormat"](input, ctx);
const jsonParse = (text) => tools["datatools.jsonParse"]({ text }, ctx);
const pick = (input) => tools["datatools.jsonPick"](input, ctx);

describe("datatools.csvParse", () => {
  test("a header line makes objects", () => {
    assert.deepEqual(parse({ csv: "name,age\nAda,36\nAlan,41\n" }), {
      rows: [{ name: "Ada", age: "36" }, { name: "Alan", age: "41" }],
      columns: ["name", "age"],
    });
  });

  test("RFC 4180: quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF", () => {
    const csv = 'a,b,c\r\n"x, y","say ""hi""","line 1\r\nline 2"\r\n"",plain,"\n"\r\n';
    assert.deepEqual(parse({ csv }).rows, [
      { a: "x, y", b: 'say "hi"', c: "line 1\r\nline 2" },
      { a: "", b: "plain", c: "\n" },
    ]);
  });

  test("no header: arrays; a custom delimiter; empty fields; no final line break; BOM; empty lines", () => {
    assert.deepEqual(parse({ csv: "\uFEFFa;b;\n\n;;x\r\r\nlast", delimiter: ";", header: false }), {
      rows: [["a", "b", ""], ["", "", "x"], ["last"]],
      columns: [],
    });
    assert.deepEqual(parse({ csv: "a\tb\n1\t2", delimiter: "\t" }).rows, [{ a: "1", b: "2" }]);
    assert.deepEqual(parse({ csv: "" }), { rows: [], columns: [] });
    assert.deepEqual(parse({ csv: "only,header" }), { rows: [], columns: ["only", "header"] });
  });

  test("a short record is filled with empty fields; a long one is refused", () => {
    assert.deepEqual(parse({ csv: "a,b,c\n1" }).rows, [{ a: "1", b: "", c: "" }]);
    assert.throws(() => parse({ csv: "a,b\n1,2,3" }), /record 1 after the header has 3 fields but the header names 2 columns/);
  });

  test("malformed quoting is refused naming the line", () => {
    assert.throws(() => parse({ csv: 'a\n"open\nstill open' }), /line 2: a quoted field is never closed/);
    assert.throws(() => parse({ csv: 'a\nb\n"x"y' }), /line 3: text after a closing quote/);
    assert.throws(() => parse({ csv: 'a\n"multi\nline",ok\nab"c' }), /line 4: a quote inside an unquoted field/);
  });

  test("duplicate column names and bad delimiters are refused", () => {
    assert.throws(() => parse({ csv: "id,id\n1,2" }), /names the column "id" twice/);
    for (const delimiter of ['"', "\n", "ab", ""]) assert.throws(() => parse({ csv: "a", delimiter }), /delimiter must be one character/);
  });

  test("a column named __proto__ stays a column", () => {
    const { rows } = parse({ csv: "__proto__,constructor\nx,y" });
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    assert.deepEqual(Object.keys(rows[0]), ["__proto__", "constructor"]);
    assert.equal(JSON.stringify(rows[0]), '{"__proto__":"x","constructor":"y"}');
  });

  test("hostile: over 5 MB, a field bomb, a row bomb, one huge quoted field", () => {
    assert.throws(() => parse({ csv: "a".repeat(5 * 1024 * 1024 + 1) }), /5242881 bytes; at most 5242880 bytes \(5 MB\)/);
    // UTF-8 bytes, not characters, are counted.
    assert.throws(() => parse({ csv: "é".repeat(3 * 1024 * 1024) }), /6291456 bytes/);
    assert.throws(() => parse({ csv: ",".repeat(4 * 1024 * 1024) }), /line 1: more than 10000 fields in one record/);
    assert.throws(() => parse({ csv: '""\n'.repeat(1024 * 1024), header: false }), /more than 250000 fields in all/);
    assert.throws(() => parse({ csv: '"' + "x".repeat(4.5 * 1024 * 1024) + '"' }), /larger than the 4 MiB a step may return/);
    // Long column names repeated in every row object count too.
    const wide = "n".repeat(200);
    assert.throws(() => parse({ csv: `${wide}1,${wide}2\n` + "1,2\n".repeat(20_000) }), /larger than the 4 MiB a step may return; split the CSV or pass header: false/);
    assert.equal(parse({ csv: `${wide}1,${wide}2\n` + "1,2\n".repeat(20_000), header: false }).rows.length, 20_001);
    const ok = parse({ csv: "x\n" + "1\n".repeat(100_000) });
    assert.equal(ok.rows.length, 100_000);
  });
});

describe("datatools.csvFormat", () => {
  test("objects: the union of keys in first-seen order, CRLF, quoting where needed", () => {
    const { csv } = format({ rows: [{ a: "x, y", b: 'say "hi"' }, { c: "two\nlines", a: 1 }, { b: true, c: null }] });
    assert.equal(csv, 'a,b,c\r\n"x, y","say ""hi""",\r\n1,,"two\nlines"\r\n,true,\r\n');
  });

  test("columns choose and order; header off; lf; nested values as JSON", () => {
    assert.equal(format({ rows: [{ a: 1, b: { k: [1, 2] }, c: 3 }], columns: ["b", "a"], header: false, lineEnding: "lf" }).csv, '"{""k"":[1,2]}",1\n');
    assert.equal(format({ rows: [[1, "a;b"], [null, 2.5]], delimiter: ";" }).csv, '1;"a;b"\r\n;2.5\r\n');
    assert.equal(format({ rows: [["x"]], columns: ["only"] }).csv, "only\r\nx\r\n");
    assert.equal(format({ rows: [] }).csv, "");
  });

  test("escapeFormulas guards spreadsheet formulas", () => {
    assert.equal(format({ rows: [["=HYPERLINK(\"x\")", "+1", "-2", "@SUM", "safe"]], escapeFormulas: true }).csv,
      "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM,safe\r\n");
    assert.equal(format({ rows: [["=1+1"]] }).csv, "=1+1\r\n");
  });

  test("refuses a mix of objects and arrays, and output over 4 MiB", () => {
    assert.throws(() => format({ rows: [{ a: 1 }, [1]] }), /all objects or all arrays/);
    assert.throws(() => format({ rows: Array.from({ length: 50 }, () => ["x".repeat(100_000)]) }), /larger than the 4 MiB/);
  });

  test("round trip: format then parse gives the rows back", () => {
    const rows = [
      { id: "1", text: 'He said "no", then left.\r\nNew line', empty: "" },
      { id: "2", text: "ünïcödé ✓ 😀", empty: "," },
    ];
    const { csv } = format({ rows });
    assert.deepEqual(parse({ csv }), { rows, columns: ["id", "text", "empty"] });
  });
});

describe("datatools.jsonParse", () => {
  test("parses any JSON value", () => {
    assert.deepEqual(jsonParse('{"a":[1,true,null,"x"]}'), { value: { a: [1, true, null, "x"] } });
    assert.deepEqual(jsonParse(" 42 "), { value: 42 });
    assert.deepEqual(jsonParse('"s"'), { value: "s" });
  });

  test("bad JSON names the line, the column and what was expected, never quoting the text", () => {
    const cases = [
      ['{"a":}', /line 1, column 6: expected a value/],
      ['{\n  "a": 1,\n  "b" 2\n}', /line 3, column 7: expected ':' after the property name/],
      ["[1, 2", /line 1, column 6: expected a value, but the text ended|line 1, column 6: expected ',' or '\]'/],
      ["{'a': 1}", /line 1, column 2: expected a property name in double quotes/],
      ['{"a": 1} trailing', /line 1, column 10: expected the end of the text/],
      ['"unterminated', /expected a closing quote/],
      ['"bad \\x escape"', /line 1, column 6: expected an escape/],
      ["", /line 1, column 1: expected a value, but the text ended/],
      ["[1,]", /line 1, column 4: expected a value/],
      ["01", /line 1, column 2: expected the end of the text/],
      ["secret-token-123", /line 1, column 1: expected a value/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => jsonParse(text), (e) => {
        assert.match(e.message, /^not valid JSON at /, text);
        assert.match(e.message, expected, text);
        assert.ok(!e.message.includes("secret-token"), "the text is not quoted");
        return true;
      });
    }
  });

  test("hostile: too deep, too big", () => {
    assert.throws(() => jsonParse("[".repeat(100_000)), /nested 100000 levels deep; at most 48/);
    assert.deepEqual(jsonParse("[".repeat(48) + "]".repeat(48)).value.length, 1);
    assert.throws(() => jsonParse(" ".repeat(5 * 1024 * 1024 + 1)), /at most 5242880 bytes/);
    // Brackets inside strings do not count as nesting.
    assert.deepEqual(jsonParse(JSON.stringify({ s: "[".repeat(1000) })).value.s.length, 1000);
  });
});

describe("datatools.jsonPick", () => {
  const items = [
    { id: 1, user: { login: "ada" }, labels: [{ name: "bug" }, { name: "docs" }] },
    { id: 2, user: null, labels: [] },
  ];

  test("renames, reads dotted paths and array indexes, null for what is missing", () => {
    assert.deepEqual(pick({ items, fields: { key: "id", author: "user.login", first: "labels.0.name", second: "labels.1" } }), {
      items: [
        { key: 1, author: "ada", first: "bug", second: { name: "docs" } },
        { key: 2, author: null, first: null, second: null },
      ],
    });
  });

  test("missing: omit leaves the field out", () => {
    assert.deepEqual(pick({ items, fields: { author: "user.login" }, missing: "omit" }).items, [{ author: "ada" }, {}]);
  });

  test("hostile: prototype paths read nothing; prototype names stay plain keys; non-objects", () => {
    const out = pick({ items: [{ a: 1 }, "text", 5, null, [{ x: 1 }]], fields: JSON.parse('{"p":"__proto__","c":"constructor.name","t":"toString","__proto__":"a","l":"length","i":"0.x"}') });
    for (const item of out.items) {
      assert.equal(Object.getPrototypeOf(item), Object.prototype);
      assert.equal(item.p, null);
      assert.equal(item.c, null);
      assert.equal(item.t, null);
      assert.equal(item.l, null);
    }
    assert.equal(Object.hasOwn(out.items[0], "__proto__"), true);
    assert.equal(JSON.parse(JSON.stringify(out.items[0])).__proto__, 1);
    assert.equal(out.items[4].i, 1);
    assert.equal(out.items[1].i, null);
  });

  test("refuses more values than a step should build", () => {
    const many = Array.from({ length: 100_000 }, () => ({}));
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`f${k}`, "x"]));
    assert.throws(() => pick({ items: many, fields }), /100000 items × 20 fields is too many values/);
  });
});
