import { describe, expect, it } from "vitest";
import { defaultExpanded, jsonRows, previewOf, toggle, PREVIEW_CHARS } from "./jsonRows";

describe("jsonRows", () => {
  it("lists the root and the children of what is open", () => {
    const v = { a: 1, b: { c: [true, null] }, "x/y": "s" };
    let open = new Set([""]);
    expect(jsonRows(v, open).map((r) => [r.id, r.depth, r.key, r.preview])).toEqual([
      ["", 0, null, "{…} 3 keys"],
      ["/a", 1, "a", "1"],
      ["/b", 1, "b", "{…} 1 key"],
      ["/x~1y", 1, "x/y", '"s"'],
    ]);
    open = toggle(toggle(open, "/b"), "/b/c");
    expect(jsonRows(v, open).map((r) => r.id)).toEqual(["", "/a", "/b", "/b/c", "/b/c/0", "/b/c/1", "/x~1y"]);
    expect(jsonRows(v, toggle(open, "/b")).map((r) => r.id)).toEqual(["", "/a", "/b", "/x~1y"]);
  });

  it("cuts long strings and never opens empty containers", () => {
    const long = "x".repeat(PREVIEW_CHARS * 10);
    expect(previewOf(long)).toBe(`"${"x".repeat(PREVIEW_CHARS)}…" (${long.length} chars)`);
    expect(previewOf([])).toBe("[…] 0 items");
    const rows = jsonRows({ e: {} }, new Set(["", "/e"]));
    expect(rows[1]).toMatchObject({ expandable: false, expanded: false });
  });

  it("opens the root's children by default only when there are few", () => {
    expect([...defaultExpanded({ a: {}, b: [] })]).toEqual(["", "/a", "/b"]);
    expect([...defaultExpanded(Array.from({ length: 100 }, () => 1))]).toEqual([""]);
    expect([...defaultExpanded("x")]).toEqual([""]);
  });

  it("costs rows only for what is open in a 5 MB value", () => {
    const big = { items: Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "b"] })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(2_000_000);
    expect(jsonRows(big, defaultExpanded(big))).toHaveLength(50_002);
    expect(jsonRows(big, new Set([""]))).toHaveLength(2);
  });
});
