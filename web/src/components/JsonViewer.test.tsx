// @vitest-environment jsdom
// The virtualised JSON viewer: a 5 MB output puts only a window of rows in the DOM, and opening
// a container adds its children. (testing.test-support gives the scroller its 240 px height.)
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JsonViewer } from "./JsonViewer";
import { click, createHost, mount, type Mounted } from "../builder/testing.test-support";

let m: Mounted;
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  m = createHost();
  consoleError = vi.spyOn(console, "error");
});

afterEach(() => {
  act(() => m.root.unmount());
  m.host.remove();
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();
});

describe("JsonViewer", () => {
  it("renders only a window of a 5 MB output's rows", async () => {
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `item number ${i}`, note: "x".repeat(40) }));
    const big = { count: items.length, items };
    expect(JSON.stringify(big).length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    await mount(m, <JsonViewer value={big} label="Output" testId="out" />);
    const viewer = m.host.querySelector('[data-testid="out"]')!;
    // root, count, items — and items opens by default (the root has two keys).
    expect(Number(viewer.getAttribute("data-rows"))).toBe(60_003);
    const rendered = viewer.querySelectorAll('[role="treeitem"]').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(viewer.textContent).toContain("items: [ 60000 ]");
    expect(viewer.textContent).not.toContain("item number 500");
    // A generous bound, only to catch rendering every row (which takes tens of seconds in jsdom).
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("opens and closes containers", async () => {
    await mount(m, <JsonViewer value={Array.from({ length: 30 }, (_, i) => ({ i }))} label="Output" />);
    const rows = () => [...m.host.querySelectorAll('[role="treeitem"]')].map((r) => r.textContent);
    expect(rows().slice(0, 2)).toEqual(["▾[ 30 ]", "▸0: {…} 1 key"]);
    click(m.host.querySelector('[aria-label="Open 0"]')!);
    expect(rows().slice(1, 3)).toEqual(["▾0: { 1 }", "i: 0"]);
    click(m.host.querySelector('[aria-label="Close value"]')!);
    expect(rows()).toEqual(["▸[…] 30 items"]);
  });
});
