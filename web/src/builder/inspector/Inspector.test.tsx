// @vitest-environment jsdom
// The inspector in jsdom with the real form components: fields from inputSchema, template
// autocomplete, the data panel inserting at the cursor, settings, undo of typing as one entry,
// save errors under their field, and Connect account. No console errors allowed.
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Inspector } from "./Inspector";
import { useWorkflowHistory } from "../useWorkflowHistory";
import { indexCatalog } from "../../lib/catalog";
import { mapProblems, type ProblemMap } from "../../lib/errors";
import { catalog, slackSend } from "../../lib/fixtures.test-support";
import type { Catalog, WorkflowDocument } from "../../lib/types";
import type { CredentialInfo } from "../../lib/credentials";
import { byTestId, button, choose, click, createHost, key, mount, settle, stubFetch, type, type Mounted } from "../testing.test-support";

const doc: WorkflowDocument = {
  name: "Notify",
  steps: [
    { id: "fetch", action: "http.request", inputs: { url: "https://x.test" } },
    { id: "notify", action: "slack.sendMessage", inputs: { channel: "#ops" } },
  ],
};

// Slack with a credential: its own type bot_token, oauth2 accepted too.
const authed: Catalog = {
  providers: catalog.providers.map((p) =>
    p.id === "slack" ? { ...p, actions: [{ ...slackSend, authType: "bot_token", acceptedAuthTypes: ["oauth2"] }] } : p,
  ),
};

let m: Mounted;
let consoleError: ReturnType<typeof vi.spyOn>;
let latest: ReturnType<typeof useWorkflowHistory>;

beforeEach(() => {
  m = createHost();
  consoleError = vi.spyOn(console, "error");
});

afterEach(() => {
  act(() => m.root.unmount());
  m.host.remove();
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();
  vi.unstubAllGlobals();
});

interface HarnessProps {
  stepId: string;
  cat?: Catalog;
  problems?: ProblemMap | null;
  outputs?: Map<string, unknown>;
  credentials?: CredentialInfo[];
}

function Harness({ stepId, cat = catalog, problems = null, outputs = new Map(), credentials = [] }: HarnessProps) {
  latest = useWorkflowHistory(doc);
  return (
    <Inspector
      doc={latest.doc}
      stepId={stepId}
      index={indexCatalog(cat)}
      problems={problems}
      outputs={outputs}
      runStep={undefined}
      triggerSample={{ who: "ada" }}
      credentials={credentials}
      credentialsError={null}
      onCredentialCreated={() => {}}
      onEdit={latest.edit}
    />
  );
}

const field = <T extends Element = HTMLInputElement>(id: string) => byTestId<T>(m.host, `field-${id}`);
const inputsOf = (id: string) => latest.doc.steps.find((s) => s.id === id)!.inputs;

describe("inspector form", () => {
  it("renders the inputSchema: required marked first, help, enums as selects, maps", async () => {
    await mount(m, <Harness stepId="fetch" />);
    const labels = [...m.host.querySelectorAll(".inspector-body .field > label, .inspector-body legend")].map((l) => l.textContent);
    expect(labels.slice(0, 6)).toEqual(["Url *", "Body", "Headers", "Method", "Query", "Timeout Ms"]);
    expect(field("inputs.url").value).toBe("https://x.test");
    expect(m.host.textContent).toContain("An http:// or https:// URL.");
    const method = field<HTMLSelectElement>("inputs.method");
    expect([...method.options].map((o) => o.textContent)).toEqual(["Default (GET)", "GET", "POST", "PUT", "Template…"]);
    choose(method, "1");
    expect(inputsOf("fetch")!.method).toBe("POST");
    click(button(m.host, "Add headers entry"));
    type(field("inputs.headers.key"), "Bearer {{trigger.who}}");
    expect(inputsOf("fetch")!.headers).toEqual({ key: "Bearer {{trigger.who}}" });
    type(byTestId<HTMLInputElement>(m.host, "field-inputs.headers-key-0"), "Authorization");
    expect(inputsOf("fetch")!.headers).toEqual({ Authorization: "Bearer {{trigger.who}}" });
    type(field("inputs.timeoutMs"), "500");
    expect(inputsOf("fetch")!.timeoutMs).toBe(500);
    type(field("inputs.url"), "");
    expect(inputsOf("fetch")!.url).toBe("");
  });

  it("says 'give `text` or `blocks`' and edits arrays item by item", async () => {
    await mount(m, <Harness stepId="notify" />);
    expect(m.host.textContent).toContain("Note: give `text` or `blocks`.");
    click(button(m.host, "Add blocks item"));
    type(field("inputs.blocks[0]"), '{"type": "section"}');
    expect(inputsOf("notify")!.blocks).toEqual([{ type: "section" }]);
    // Still as typed while editing, not re-formatted under the cursor.
    expect(field<HTMLTextAreaElement>("inputs.blocks[0]").value).toBe('{"type": "section"}');
    click(m.host.querySelector('[aria-label="Remove Blocks 1"]')!);
    expect(inputsOf("notify")!.blocks).toBeUndefined();
  });

  it("completes {{ with earlier steps' outputs and trigger fields", async () => {
    await mount(m, <Harness stepId="notify" outputs={new Map([["fetch", { status: 200, body: { items: [1] } }]])} />);
    const text = field<HTMLTextAreaElement>("inputs.text");
    act(() => text.focus());
    type(text, "Got {{steps.fetch.output.bo");
    const options = [...m.host.querySelectorAll('[aria-label="Template suggestions"] [role="option"]')].map((o) => o.querySelector("code")!.textContent);
    expect(options).toEqual(["steps.fetch.output.body", "steps.fetch.output.body.items", "steps.fetch.output.body.items[0]"]);
    key(text, "ArrowDown");
    key(text, "Enter");
    expect(inputsOf("notify")!.text).toBe("Got {{steps.fetch.output.body.items}}");
    expect(text.selectionStart).toBe("Got {{steps.fetch.output.body.items}}".length);
    type(text, "Got {{steps.fetch.output.body.items}} for {{tri");
    expect(m.host.querySelector('[role="option"] code')!.textContent).toBe("trigger");
    key(text, "Escape");
    expect(m.host.querySelector('[aria-label="Template suggestions"]')).toBeNull();
    // The step itself and later steps are never offered.
    type(text, "{{steps.no");
    expect(m.host.querySelector('[aria-label="Template suggestions"]')).toBeNull();
  });

  it("inserts a data panel entry at the cursor of the last focused field", async () => {
    await mount(m, <Harness stepId="notify" />);
    const text = field<HTMLTextAreaElement>("inputs.text");
    act(() => text.focus());
    type(text, "Status:  today", "Status: ".length);
    const entry = byTestId(m.host, "data-steps.fetch.output.status");
    click(entry);
    expect(inputsOf("notify")!.text).toBe("Status: {{steps.fetch.output.status}} today");
    expect(document.activeElement).toBe(text);
    click(byTestId(m.host, "data-trigger.who"));
    expect(inputsOf("notify")!.text).toBe("Status: {{steps.fetch.output.status}}{{trigger.who}} today");
    expect(byTestId(m.host, "data-steps.fetch.output").textContent).toContain("steps.fetch.output");
    expect(m.host.querySelector('[data-testid="data-steps.notify.output"]')).toBeNull();
  });

  it("stores JSON typed into an any-JSON field as JSON, templates inside it included", async () => {
    await mount(m, <Harness stepId="fetch" />);
    const body = field<HTMLTextAreaElement>("inputs.body");
    type(body, '{"id": "{{trigger.who}}"}');
    expect(inputsOf("fetch")!.body).toEqual({ id: "{{trigger.who}}" });
    expect(body.value).toBe('{"id": "{{trigger.who}}"}');
    type(body, "{{steps.x.output}}");
    expect(inputsOf("fetch")!.body).toBe("{{steps.x.output}}");
  });

  it("undoes a word typed in a field in one step", async () => {
    await mount(m, <Harness stepId="fetch" />);
    const url = field("inputs.url");
    for (const t of ["https://x.test/a", "https://x.test/ab", "https://x.test/abc"]) type(url, t);
    expect(latest.history.past).toHaveLength(1);
    act(() => latest.undo());
    expect(field("inputs.url").value).toBe("https://x.test");
    act(() => latest.redo());
    expect(field("inputs.url").value).toBe("https://x.test/abc");
  });

  it("shows a save's errors under their field and templates that no longer resolve", async () => {
    const problems = mapProblems(doc, {
      message: "invalid",
      details: [{ step: "notify", field: "inputs.channel", message: "must be at least 1 character" }],
    });
    await mount(m, <Harness stepId="notify" problems={problems} />);
    const channel = field("inputs.channel");
    expect(channel.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(channel.getAttribute("aria-describedby")!)!.textContent).toContain("must be at least 1 character");
    type(field<HTMLTextAreaElement>("inputs.text"), "{{steps.gone.output.x}}");
    expect(m.host.textContent).toContain("{{steps.gone.output.x}} no longer resolves: there is no step 'gone'.");
  });

  it("edits if, after, retry and timeoutMs in Settings", async () => {
    await mount(m, <Harness stepId="notify" />);
    click(button(m.host, "Settings"));
    type(field("if"), "{{steps.fetch.output.status}}");
    act(() => byTestId<HTMLInputElement>(m.host, "field-after-fetch").click());
    type(field("retry.maxAttempts"), "3");
    type(field("retry.backoffMs"), "250");
    type(field("timeoutMs"), "1000");
    const step = latest.doc.steps[1]!;
    expect(step).toMatchObject({ if: "{{steps.fetch.output.status}}", after: ["fetch"], retry: { maxAttempts: 3, backoffMs: 250 }, timeoutMs: 1000 });
    type(field("retry.maxAttempts"), "");
    type(field("retry.backoffMs"), "");
    act(() => byTestId<HTMLInputElement>(m.host, "field-after-fetch").click());
    expect(latest.doc.steps[1]!.retry).toBeUndefined();
    expect(latest.doc.steps[1]!.after).toBeUndefined();
  });
});

describe("credential picker", () => {
  const creds: CredentialInfo[] = [
    { id: "cred_bot", name: "Ops bot", provider: "slack", type: "bot_token" },
    { id: "cred_key", name: "Slack key", provider: "slack", type: "api_key" },
    { id: "cred_other", name: "Discord", provider: "discord", type: "bot_token" },
  ];

  it("offers only fitting credentials, and none for an action without auth", async () => {
    await mount(m, <Harness stepId="notify" cat={authed} credentials={creds} />);
    const select = field<HTMLSelectElement>("credential");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Choose an account", "Ops bot (Bot token)"]);
    choose(select, "cred_bot");
    expect(latest.doc.steps[1]!.credential).toBe("cred_bot");
    act(() => m.root.render(<Harness stepId="fetch" cat={authed} credentials={creds} />));
    expect(m.host.querySelector('[data-testid="field-credential"]')).toBeNull();
  });

  it("connects an account with the auth type's fields, shows errors by the field, selects it", async () => {
    let attempt = 0;
    const calls = stubFetch({
      "POST /api/credentials": () =>
        ++attempt === 1
          ? { status: 400, body: { error: { code: "invalid_credential", message: "invalid oauth2 credential: /access_token must be a non-empty string", details: [{ field: "/access_token", message: "must be a non-empty string" }] } } }
          : { status: 201, body: { id: "cred_new", name: "Slack account", provider: "slack", type: "oauth2" } },
    });
    const created: CredentialInfo[] = [];
    function WithCreate() {
      latest = useWorkflowHistory(doc);
      return (
        <Inspector doc={latest.doc} stepId="notify" index={indexCatalog(authed)} problems={null} outputs={new Map()} runStep={undefined} triggerSample={undefined}
          credentials={[]} credentialsError={null} onCredentialCreated={(c) => created.push(c)} onEdit={latest.edit} />
      );
    }
    await mount(m, <WithCreate />);
    click(byTestId(m.host, "connect-account"));
    const dialog = byTestId(m.host, "connect-dialog");
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(document.activeElement).toBe(byTestId(m.host, "connect-name"));
    expect(byTestId(m.host, "connect-bot_token")).toBeTruthy();
    choose(byTestId<HTMLSelectElement>(m.host, "connect-type"), "oauth2");
    expect(m.host.querySelector('[data-testid="connect-bot_token"]')).toBeNull();
    await act(async () => byTestId<HTMLButtonElement>(m.host, "connect-submit").click());
    expect(dialog.textContent).toContain("Access token is required");
    expect(calls).toHaveLength(0);
    type(byTestId(m.host, "connect-access_token"), "expired");
    type(byTestId(m.host, "connect-refresh_token"), "r1");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "connect-submit").click());
    await settle();
    expect(calls[0]).toEqual({ method: "POST", path: "/api/credentials", body: { name: "Slack account", provider: "slack", type: "oauth2", secret: { access_token: "expired", refresh_token: "r1" } } });
    const err = byTestId(m.host, "connect-access_token");
    expect(err.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(err.getAttribute("aria-describedby")!)!.textContent).toBe("Access token must be a non-empty string");
    type(byTestId(m.host, "connect-access_token"), "xoxp-1");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "connect-submit").click());
    await settle();
    expect(m.host.querySelector('[data-testid="connect-dialog"]')).toBeNull();
    expect(created.map((c) => c.id)).toEqual(["cred_new"]);
    expect(latest.doc.steps[1]!.credential).toBe("cred_new");
  });

  it("says in words when the caller may not connect accounts, and closes on Escape", async () => {
    stubFetch({ "POST /api/credentials": { status: 403, body: { error: { code: "forbidden", message: "needs the admin role" } } } });
    await mount(m, <Harness stepId="notify" cat={authed} />);
    click(byTestId(m.host, "connect-account"));
    type(byTestId(m.host, "connect-bot_token"), "xoxb-1");
    await act(async () => byTestId<HTMLButtonElement>(m.host, "connect-submit").click());
    await settle();
    expect(byTestId(m.host, "connect-dialog").textContent).toContain("Only an organization admin can connect accounts (needs the admin role).");
    key(byTestId(m.host, "connect-bot_token"), "Escape");
    expect(m.host.querySelector('[data-testid="connect-dialog"]')).toBeNull();
  });
});
