// @vitest-environment jsdom
// The canvas's "fit view" button never zooms past 100 %: a one-step workflow used to fill the
// screen at ~200 %. jsdom lays nothing out, so the canvas and its nodes are given sizes here
// (a big pane, small nodes: an uncapped fit would magnify) and a ResizeObserver that reports.
import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Builder } from "./Builder";
import { catalog } from "../lib/fixtures.test-support";
import { createHost, mount, settle, stubFetch } from "./testing.test-support";

let root: Root;
let host: HTMLDivElement;
let consoleError: ReturnType<typeof vi.spyOn>;
const saved = new Map<string, PropertyDescriptor | undefined>();

class MeasuringObserver {
  constructor(private cb: ResizeObserverCallback) {}
  observe(el: Element) {
    queueMicrotask(() => this.cb([{ target: el } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver));
  }
  unobserve() {}
  disconnect() {}
}

beforeEach(() => {
  for (const prop of ["offsetWidth", "offsetHeight"]) {
    saved.set(prop, Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop));
    Object.defineProperty(HTMLElement.prototype, prop, {
      configurable: true,
      get(this: HTMLElement) {
        if (this.classList.contains("react-flow")) return 4000;
        return this.classList.contains("react-flow__node") ? 20 : 0;
      },
    });
  }
  vi.stubGlobal("ResizeObserver", MeasuringObserver);
  ({ root, host } = createHost());
  consoleError = vi.spyOn(console, "error");
  stubFetch({ "GET /api/credentials": { body: { credentials: [] } } });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  localStorage.clear();
  for (const [prop, d] of saved) {
    if (d) Object.defineProperty(HTMLElement.prototype, prop, d);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
  }
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();
  vi.unstubAllGlobals();
});

const viewport = () => host.querySelector<HTMLElement>(".react-flow__viewport")!.style.transform;

it("fits a one-step workflow at 100 % at most", async () => {
  await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={{ name: "One", steps: [{ id: "a", action: "core.transform", inputs: {}, position: { x: 0, y: 0 } }] }} />);
  const before = viewport();
  await act(async () => host.querySelector<HTMLElement>(".react-flow__controls-fitview")!.click());
  // the fit is queued until xyflow has the nodes' sizes; let its timers run
  await act(async () => {
    await new Promise((r) => setTimeout(r, 50));
  });
  await settle();
  const after = viewport();
  expect(after).not.toBe(before); // the fit ran (centred the nodes)
  const scale = Number(/scale\(([\d.]+)\)/.exec(after)![1]);
  expect(scale).toBe(1);
});
