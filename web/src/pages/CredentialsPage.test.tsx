// @vitest-environment jsdom
// The credentials page: list with provider names, Connect account for a provider chosen from
// the catalog, Rotate with a new secret (required fields checked first), and a delete the
// server refuses naming the workflows that use the credential.
import { describe, expect, it } from "vitest";
import { byTestId, choose, click, settle, stubFetch, type } from "../builder/testing.test-support";
import { catalog, slackSend } from "../lib/fixtures.test-support";
import type { Catalog } from "../lib/types";
import { alerts, mountAt, rows, usePageHost } from "./pages.test-support";

const withAuth: Catalog = {
  providers: catalog.providers.map((p) => (p.id === "slack" ? { ...p, actions: [{ ...slackSend, authType: "bot_token", acceptedAuthTypes: ["oauth2"] }] } : p)),
};
const cred = { id: "cred_1", name: "Ops Slack", provider: "slack", type: "bot_token", createdAt: "2026-12-01T09:00:00Z", updatedAt: "2026-12-01T09:00:00Z" };

function routes(extra: Parameters<typeof stubFetch>[0] = {}) {
  return stubFetch({ "GET /api/credentials": { body: { credentials: [cred] } }, "GET /api/catalog": { body: withAuth }, ...extra });
}

const m = usePageHost();

describe("credentials page", () => {
  it("lists credentials with the provider's name and kind", async () => {
    routes();
    await mountAt(m.current, "/credentials");
    const row = byTestId(m.current.host, "credential-row-cred_1");
    expect(row.textContent).toContain("Ops Slack");
    expect(row.textContent).toContain("Slack");
    expect(row.textContent).toContain("Bot token");
    expect([...byTestId<HTMLSelectElement>(m.current.host, "connect-provider").options].map((o) => o.value)).toEqual(["slack"]);
  });

  it("connects an account through the Connect account dialog", async () => {
    const calls = routes({ "POST /api/credentials": (init) => ({ status: 201, body: { ...cred, id: "cred_2", ...JSON.parse(String(init!.body)), secret: undefined } }) });
    await mountAt(m.current, "/credentials");
    const host = m.current.host;
    choose(byTestId(host, "connect-provider"), "slack");
    click(byTestId(host, "connect-account"));
    type(byTestId(host, "connect-name"), "Second Slack");
    type(byTestId(host, "connect-bot_token"), "xoxb-1");
    click(byTestId(host, "connect-submit"));
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "Second Slack", provider: "slack", type: "bot_token", secret: { bot_token: "xoxb-1" } });
    expect(host.querySelector('[data-testid="connect-dialog"]')).toBeNull();
    expect(rows(host, "credential-row-")).toEqual(["cred_1", "cred_2"]);
  });

  it("rotates with a new secret, asking for the required field first", async () => {
    const calls = routes({ "POST /api/credentials/cred_1/rotate": { body: { ...cred, updatedAt: "2026-12-02T09:00:00Z" } } });
    await mountAt(m.current, "/credentials");
    const host = m.current.host;
    click(byTestId(host, "rotate-credential-cred_1"));
    click(byTestId(host, "rotate-submit"));
    await settle();
    expect(alerts(byTestId(host, "rotate-dialog"))).toEqual(["Bot token is required"]);
    expect(calls.some((c) => c.path.endsWith("/rotate"))).toBe(false);
    type(byTestId(host, "rotate-bot_token"), "xoxb-new");
    click(byTestId(host, "rotate-submit"));
    await settle();
    expect(calls.find((c) => c.path.endsWith("/rotate"))!.body).toEqual({ secret: { bot_token: "xoxb-new" } });
    expect(host.querySelector('[data-testid="rotate-dialog"]')).toBeNull();
    expect(byTestId(host, "credential-row-cred_1").querySelector("time")!.getAttribute("datetime")).toBe("2026-12-02T09:00:00Z");
  });

  it("places the server's invalid_credential problem under the field", async () => {
    routes({
      "POST /api/credentials/cred_1/rotate": { status: 400, body: { error: { code: "invalid_credential", message: "bad secret", details: [{ field: "/bot_token", message: "must start with xoxb-" }] } } },
    });
    await mountAt(m.current, "/credentials");
    const host = m.current.host;
    click(byTestId(host, "rotate-credential-cred_1"));
    type(byTestId(host, "rotate-bot_token"), "nope");
    click(byTestId(host, "rotate-submit"));
    await settle();
    expect(alerts(byTestId(host, "rotate-dialog"))).toEqual(["Bot token must start with xoxb-"]);
  });

  it("a refused delete names the workflows that use the credential", async () => {
    const calls = routes({
      "DELETE /api/credentials/cred_1": {
        status: 409,
        body: { error: { code: "credential_in_use", message: "credential is used by 2 workflow(s)", details: { workflows: [{ id: "wf_1", name: "Alerts" }, { id: "wf_2", name: "Digest" }] } } },
      },
    });
    await mountAt(m.current, "/credentials");
    const host = m.current.host;
    click(byTestId(host, "delete-credential-cred_1"));
    click(byTestId(host, "delete-credential-cred_1-confirm"));
    await settle();
    expect(calls.find((c) => c.method === "DELETE")!.path).toBe("/api/credentials/cred_1");
    const error = byTestId(host, "credential-error-cred_1");
    expect(error.textContent).toContain("Used by 2 workflows");
    expect(byTestId(host, "credential-used-by-wf_2").getAttribute("href")).toBe("/workflows/wf_2");
    expect(rows(host, "credential-row-")).toEqual(["cred_1"]);
  });

  it("deletes an unused credential", async () => {
    routes({ "DELETE /api/credentials/cred_1": { status: 204 } });
    await mountAt(m.current, "/credentials");
    click(byTestId(m.current.host, "delete-credential-cred_1"));
    click(byTestId(m.current.host, "delete-credential-cred_1-confirm"));
    await settle();
    expect(rows(m.current.host, "credential-row-")).toEqual([]);
    expect(m.current.host.textContent).toContain("No credentials yet");
  });
});
