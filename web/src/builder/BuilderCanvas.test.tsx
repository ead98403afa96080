// @vitest-environment jsdom
// The builder's canvas features through the real components: copy/paste of steps by keyboard
// (system clipboard and the in-memory fallback, within and across workflows), Tidy up, each
// one undo entry, and the cheat sheet listing them. No console errors allowed.
import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Builder } from "./Builder";
import { catalog } from "../lib/fixtures.test-support";
import type { WorkflowDocument } from "../lib/types";
import { byTestId, click, createHost, key, mount, settle, stubFetch } from "./testing.test-support";

let root: Root;
let host: HTMLDivElement;
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  ({ root, host } = createHost());
  consoleError = vi.spyOn(console, "error");
  stubFetch({ "GET /api/credentials": { body: { credentials: [] } } });
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  localStorage.clear();
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();
  vi.unstubAllGlobals();
});

const doc: WorkflowDocument = {
  name: "Notify",
  trigger: { type: "manual" },
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" }, position: { x: 280, y: 0 } },
    { id: "notify", action: "slack.sendMessage", inputs: { channel: "#ops", text: "{{steps.fetch.output.status}}" }, position: { x: 560, y: 0 } },
  ],
};

const stepLabels = () => [...host.querySelectorAll(".step-node")].map((n) => n.getAttribute("aria-label"));
const node = (id: string) => [...host.querySelectorAll<HTMLElement>(".react-flow__node")].find((n) => n.dataset.id === id)!;
// A node is selected by a click (d3-drag's mousedown needs a real view; the click is enough).
const pick = (id: string) => act(() => node(id).click());

// A system clipboard that holds text like the browser's.
function fakeClipboard(opts: { denyRead?: boolean } = {}) {
  const box = { text: "" };
  vi.stubGlobal("navigator", {
    ...navigator,
    clipboard: {
      writeText: vi.fn(async (t: string) => {
        box.text = t;
      }),
      readText: vi.fn(async () => {
        if (opts.denyRead) throw new DOMException("denied", "NotAllowedError");
        return box.text;
      }),
    },
  });
  return box;
}

const draft = (id = "wf_1"): WorkflowDocument => JSON.parse(localStorage.getItem(`weft:draft:${id}`)!).doc;

async function press(k: string, init: KeyboardEventInit = {}) {
  key(document.body, k, init);
  await settle();
}

describe("copy and paste of steps", () => {
  it("copies the selected step as JSON to the clipboard and pastes it renamed after the selection, one undo", async () => {
    const box = fakeClipboard();
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    pick("notify");
    await press("c", { ctrlKey: true });
    expect(JSON.parse(box.text)).toEqual({ weft: "steps", steps: [doc.steps[1]] });
    await press("v", { ctrlKey: true });
    expect(stepLabels()).toEqual([
      "Step fetch: HTTP · HTTP request",
      "Step notify: Slack · Send message",
      "Step notify_2: Slack · Send message",
    ]);
    // the copy's reference to fetch (not pasted) stays, and it runs after the step it was pasted after
    const pasted = draft().steps[2]!;
    expect(pasted).toMatchObject({ id: "notify_2", after: ["notify"], inputs: { text: "{{steps.fetch.output.status}}" } });
    await press("z", { ctrlKey: true });
    expect(stepLabels()).toHaveLength(2);
  });

  it("pastes into another workflow with references between the pasted steps rewritten", async () => {
    const box = fakeClipboard();
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    pick("fetch");
    await press("a", { ctrlKey: true }); // not a shortcut: nothing happens
    await press("c", { ctrlKey: true });
    const one = JSON.parse(box.text);
    expect(one.steps.map((s: { id: string }) => s.id)).toEqual(["fetch"]);
    // both steps, as another builder would have put them on the clipboard
    box.text = JSON.stringify({ weft: "steps", steps: doc.steps });
    act(() => root.unmount());
    ({ root, host } = createHost());
    const other: WorkflowDocument = { name: "Other", trigger: { type: "manual" }, steps: [{ id: "fetch", action: "core.transform", inputs: {} }] };
    await mount({ root, host }, <Builder catalog={catalog} id="wf_2" initial={other} />);
    await press("v", { metaKey: true });
    expect(stepLabels()).toEqual([
      "Step fetch: Core · Transform",
      "Step fetch_2: HTTP · HTTP request",
      "Step notify: Slack · Send message",
    ]);
    pick("notify");
    await settle();
    const text = [...host.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(".inspector input, .inspector textarea")].map((i) => i.value);
    expect(text).toContain("{{steps.fetch_2.output.status}}");
  });

  it("falls back to the steps copied here when the clipboard cannot be read, and ignores other text", async () => {
    const box = fakeClipboard({ denyRead: true });
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    pick("fetch");
    await press("c", { ctrlKey: true });
    await press("v", { ctrlKey: true });
    expect(stepLabels()).toContain("Step fetch_2: HTTP · HTTP request");
    expect(box.text).toContain('"weft": "steps"');

    fakeClipboard().text = "just some text";
    const before = stepLabels();
    await press("v", { ctrlKey: true });
    expect(stepLabels()).toEqual(before);
  });

  it("works without any clipboard API", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: undefined });
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    await press("v", { ctrlKey: true }); // nothing copied yet
    expect(stepLabels()).toHaveLength(2);
    pick("fetch");
    await press("c", { ctrlKey: true });
    await press("v", { ctrlKey: true });
    expect(stepLabels()).toHaveLength(3);
  });
});

describe("selecting several nodes", () => {
  const three: WorkflowDocument = {
    ...doc,
    steps: [...doc.steps, { id: "done", action: "core.transform", after: ["notify"], inputs: {}, position: { x: 840, y: 0 } }],
  };
  const selectedIds = () => [...host.querySelectorAll<HTMLElement>(".react-flow__node.selected")].map((n) => n.dataset.id);

  async function pickSeveral(ids: string[]) {
    key(document.body, "Control", { ctrlKey: true });
    for (const id of ids) pick(id);
    act(() => {
      document.body.dispatchEvent(new KeyboardEvent("keyup", { key: "Control", bubbles: true }));
    });
    await settle();
  }

  it("copies every selected step and pastes them with their links rewritten", async () => {
    const box = fakeClipboard();
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={three} />);
    await pickSeveral(["fetch", "notify"]);
    expect(selectedIds()).toEqual(["fetch", "notify"]);
    await press("c", { ctrlKey: true });
    expect(JSON.parse(box.text).steps.map((s: { id: string }) => s.id)).toEqual(["fetch", "notify"]);
    await press("v", { ctrlKey: true });
    const d = draft();
    // after the node clicked last (notify), the copy's first step running after it
    expect(d.steps.map((s) => s.id)).toEqual(["fetch", "notify", "fetch_2", "notify_2", "done"]);
    expect(d.steps[2]!.after).toEqual(["notify"]);
    expect(d.steps[3]!.inputs!.text).toBe("{{steps.fetch_2.output.status}}");
    // the pasted steps are the selection now
    expect(selectedIds()).toEqual(["fetch_2", "notify_2"]);
  });

  it("deletes every selected step with one Delete, and one undo brings them all back", async () => {
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={three} />);
    await pickSeveral(["fetch", "done"]);
    await press("Delete");
    expect(stepLabels()).toEqual(["Step notify: Slack · Send message"]);
    await press("z", { ctrlKey: true });
    expect(stepLabels()).toHaveLength(3);
    await press("z", { ctrlKey: true }); // nothing older: the workflow as it opened
    expect(stepLabels()).toHaveLength(3);
    expect(host.textContent).toContain("Saved");
  });
});

describe("tidy up", () => {
  const messy: WorkflowDocument = {
    name: "Messy",
    trigger: { type: "manual" },
    steps: [
      { id: "fetch", action: "http.request", inputs: {}, position: { x: 900, y: 700 } },
      { id: "notify", action: "slack.sendMessage", inputs: { text: "{{steps.fetch.output.status}}" }, position: { x: -500, y: -300 } },
    ],
  };
  const transform = (id: string) => node(id).style.transform;

  it("lays out every node from the button and Shift+L, as one undo", async () => {
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={messy} />);
    const before = transform("notify");
    expect(before).toContain("-500px");
    click(byTestId(host, "tidy-up"));
    await settle();
    const fx = Number(/translate\((-?[\d.]+)px/.exec(transform("fetch"))![1]);
    const nx = Number(/translate\((-?[\d.]+)px/.exec(transform("notify"))![1]);
    expect(nx).toBeGreaterThan(fx);
    expect(host.textContent).toContain("Unsaved changes");
    await press("z", { ctrlKey: true });
    expect(transform("notify")).toBe(before);
    await press("L", { shiftKey: true });
    expect(Number(/translate\((-?[\d.]+)px/.exec(transform("notify"))![1])).toBe(nx);
  });

  it("lists the new shortcuts in the cheat sheet", async () => {
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={messy} />);
    await press("?");
    const sheet = host.querySelector('[aria-label="Keyboard shortcuts"][role="dialog"]')!;
    for (const k of ["Ctrl/Cmd+C", "Ctrl/Cmd+V", "Shift+L", "Shift+drag, Ctrl/Cmd+click"]) expect(sheet.textContent).toContain(k);
  });
});
