// Shared set-up of the jsdom component tests: React's act environment, the layout APIs xyflow
// and the virtualiser ask jsdom for, a fetch stub answering by method and path, and input
// helpers that go through React's event system as a user's typing does.
import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { vi } from "vitest";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= NoResize;
Element.prototype.scrollIntoView ??= function () {};
(globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly ??= class {
  m22 = 1;
};
// The JSON viewer's scroller is 240 px high in the CSS; jsdom lays nothing out, so the
// virtualiser would see 0 and render no rows.
Object.defineProperty(HTMLElement.prototype, "clientHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains("json-viewer") ? 240 : 0;
  },
});

export interface Mounted {
  root: Root;
  host: HTMLDivElement;
}

export function createHost(): Mounted {
  const host = document.createElement("div");
  host.style.width = "1000px";
  host.style.height = "800px";
  document.body.appendChild(host);
  return { root: createRoot(host), host };
}

// Renders and lets the effects' fetches settle.
export async function mount(m: Mounted, el: ReactNode) {
  await act(async () => {
    m.root.render(el);
  });
  await settle();
}

export async function settle() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

export type Reply = { status?: number; body?: unknown } | ((init: RequestInit | undefined) => { status?: number; body?: unknown });

export interface FetchCall {
  method: string;
  path: string;
  body: unknown;
}

// A fetch answering "METHOD /path" from `routes` (404 JSON otherwise); every call is recorded.
export function stubFetch(routes: Record<string, Reply>) {
  const calls: FetchCall[] = [];
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const path = String(url);
    calls.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const r = routes[`${method} ${path}`];
    const reply = typeof r === "function" ? r(init) : r;
    if (!reply) {
      return new Response(JSON.stringify({ error: { code: "not_found", message: `no route ${method} ${path}` } }), { status: 404, headers: { "Content-Type": "application/json" } });
    }
    const status = reply.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(reply.body ?? {}), { status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

export function key(target: Element, k: string, opts: KeyboardEventInit = {}) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...opts }));
  });
}

// Types `text` as the field's whole new value, the cursor at `cursor` (default: the end).
export function type(input: HTMLInputElement | HTMLTextAreaElement, text: string, cursor = text.length) {
  act(() => {
    const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(input, text);
    // number and email inputs have no selection
    if (input.type !== "number" && input.type !== "email") input.setSelectionRange(cursor, cursor);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

export function choose(select: HTMLSelectElement, value: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(select, value);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

export function click(el: Element) {
  act(() => {
    el.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
  });
}

export function byTestId<T extends Element = HTMLElement>(host: ParentNode, id: string): T {
  const el = host.querySelector<T>(`[data-testid="${id.replace(/["\\]/g, "\\$&")}"]`);
  if (!el) throw new Error(`no element with data-testid ${id}`);
  return el;
}

export function button(host: ParentNode, name: string): HTMLButtonElement {
  const b = [...host.querySelectorAll("button")].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
}
