// @vitest-environment jsdom
// The builder rendered in jsdom with the real components: nodes drawn from the catalog, Add step
// by keyboard only, undo, and a save's errors on the right node. No console errors allowed.
import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Builder } from "./Builder";
import { AddStepChooser } from "./AddStepChooser";
import { catalog } from "../lib/fixtures.test-support";
import { BUILTIN_TRIGGERS, chooserItems } from "../lib/catalog";
import type { WorkflowDocument } from "../lib/types";
import { button as buttonIn, createHost, key, mount, stubFetch, type } from "./testing.test-support";

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

const button = (name: string) => buttonIn(host, name);

const doc: WorkflowDocument = {
  name: "Notify",
  trigger: { type: "manual" },
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" } },
    { id: "notify", action: "slack.sendMessage", inputs: { channel: "#ops", text: "{{steps.fetch.output.status}}" } },
  ],
};

describe("Add step chooser", () => {
  it("searches, moves with the arrows and picks with Enter", () => {
    const picked: string[] = [];
    let closed = 0;
    act(() => root.render(<AddStepChooser items={chooserItems(catalog, BUILTIN_TRIGGERS)} onPick={(i) => picked.push(i.id)} onClose={() => closed++} />));
    const input = host.querySelector<HTMLInputElement>('input[aria-label="Search steps"]')!;
    expect(document.activeElement).toBe(input);
    expect([...host.querySelectorAll('[role="group"]')].map((g) => g.getAttribute("aria-label"))).toEqual(["Integrations", "Blocks", "Triggers"]);
    type(input, "core");
    expect([...host.querySelectorAll('[role="option"]')].map((o) => o.textContent)).toEqual([
      expect.stringContaining("Delay"),
      expect.stringContaining("Transform"),
    ]);
    key(input, "ArrowDown");
    expect(host.querySelector('[aria-selected="true"]')!.textContent).toContain("Transform");
    key(input, "Enter");
    expect(picked).toEqual(["core.transform"]);
    key(input, "Escape");
    expect(closed).toBe(1);
  });
});

describe("builder", () => {
  it("draws the trigger and each step with provider and title from the catalog", async () => {
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    const labels = [...host.querySelectorAll(".node")].map((n) => n.getAttribute("aria-label"));
    expect(labels).toEqual(["Trigger: Manual", "Step fetch: HTTP · HTTP request", "Step notify: Slack · Send message"]);
    const icon = host.querySelector<HTMLImageElement>('.step-node img[alt="Slack"]')!;
    expect(icon.getAttribute("src")).toBe("data:image/svg+xml;base64,U0xBQ0s=");
  });

  it("adds a step with the keyboard only, and undo takes it away", async () => {
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    key(document.body, "Tab");
    const input = host.querySelector<HTMLInputElement>('input[aria-label="Search steps"]')!;
    type(input, "transform");
    key(input, "Enter");
    expect(host.querySelector('[aria-label="Step transform: Core · Transform"]')).not.toBeNull();
    expect(host.textContent).toContain("Unsaved changes");
    key(document.body, "z", { ctrlKey: true });
    expect(host.querySelector('[aria-label="Step transform: Core · Transform"]')).toBeNull();
    key(document.body, "z", { ctrlKey: true, shiftKey: true });
    expect(host.querySelector('[aria-label="Step transform: Core · Transform"]')).not.toBeNull();
  });

  it("shows a save's problems on the node they name and lists them in words", async () => {
    const fetchStub = vi.fn(async (url: string) =>
      url === "/api/credentials" ? new Response(JSON.stringify({ credentials: [] }), { status: 200 }) : new Response(
        JSON.stringify({
          error: {
            code: "workflow_invalid",
            message: "workflow is invalid: …",
            details: [
              { step: "notify", field: "credential", message: "action 'slack.sendMessage' needs a 'slack' credential of type oauth2 or bot_token" },
              { step: "notify", field: "inputs.text", message: "template {{steps.nope.output.x}} names unknown step 'nope'" },
            ],
          },
        }),
        { status: 400, headers: { "Content-Type": "application/json" } },
      ),
    );
    vi.stubGlobal("fetch", fetchStub);
    await mount({ root, host }, <Builder catalog={catalog} id="wf_1" initial={doc} />);
    await act(async () => {
      button("Save").click();
    });
    expect(fetchStub).toHaveBeenCalledWith("/api/workflows/wf_1", expect.objectContaining({ method: "PUT" }));
    const notify = host.querySelector('[aria-label="Step notify: Slack · Send message"]')!;
    expect(notify.querySelector(".error-badge")!.getAttribute("aria-label")).toBe("2 errors");
    expect(host.querySelector('[aria-label="Step fetch: HTTP · HTTP request"] .error-badge')).toBeNull();
    const panel = host.querySelector('[aria-label="Problems"]')!;
    expect(panel.textContent).toContain("inputs.text");
    expect(panel.textContent).toContain("names unknown step 'nope'");
  });
});
