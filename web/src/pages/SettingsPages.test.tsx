// @vitest-environment jsdom
// API tokens (a new token shown once, never kept in the list; revoke), members and invitations
// (admins only: invite with the link shown once, revoke, remove a member; a member sees the list
// alone), and the organization switcher (only with several orgs; a switch reloads the page).
import { describe, expect, it } from "vitest";
import { byTestId, choose, click, settle, stubFetch, type } from "../builder/testing.test-support";
import { alerts, mountAt, rows, usePageHost } from "./pages.test-support";

const token = { id: "tok_1", name: "CI", orgId: "org_1", createdAt: "2026-12-01T09:00:00Z", expiresAt: null };
const me = (role: string, orgs = [{ id: "org_1", name: "Acme", role }]) => ({
  user: { id: "u_1", email: "ada@example.test", platformAdmin: false },
  activeOrg: orgs[0],
  orgs,
});
const members = { members: [{ userId: "u_1", email: "ada@example.test", role: "admin", since: "2026-11-01T00:00:00Z" }, { userId: "u_2", email: "bo@example.test", role: "member", since: "2026-11-02T00:00:00Z" }] };
const invitation = { id: "inv_1", email: "cy@example.test", role: "member", status: "pending", createdAt: "2026-12-01T00:00:00Z", expiresAt: "2026-12-08T00:00:00Z", acceptedAt: null };

const m = usePageHost();

describe("API tokens page", () => {
  it("creates a token, shows it once, and lists it without the secret", async () => {
    const calls = stubFetch({
      "GET /api/auth/tokens": { body: { tokens: [token] } },
      "POST /api/auth/tokens": { status: 201, body: { ...token, id: "tok_2", name: "Laptop", token: "wft_secret_123" } },
    });
    await mountAt(m.current, "/settings/tokens");
    const host = m.current.host;
    expect(rows(host, "token-row-")).toEqual(["tok_1"]);
    type(byTestId(host, "token-name"), "Laptop");
    type(byTestId(host, "token-days"), "0");
    click(byTestId(host, "token-create"));
    await settle();
    expect(alerts(host)[0]).toMatch(/from 1 to 3650/);
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    type(byTestId(host, "token-days"), "30");
    click(byTestId(host, "token-create"));
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "Laptop", expiresInDays: 30 });
    expect(byTestId<HTMLInputElement>(host, "token-value").value).toBe("wft_secret_123");
    expect(rows(host, "token-row-")).toEqual(["tok_1", "tok_2"]);
    expect(byTestId(host, "tokens-table").textContent).not.toContain("wft_secret_123");
    click([...host.querySelectorAll("button")].find((b) => b.textContent === "Done")!);
    expect(host.querySelector('[data-testid="token-value"]')).toBeNull();
  });

  it("revokes after the confirmation", async () => {
    const calls = stubFetch({ "GET /api/auth/tokens": { body: { tokens: [token] } }, "DELETE /api/auth/tokens/tok_1": { status: 204 } });
    await mountAt(m.current, "/settings/tokens");
    click(byTestId(m.current.host, "revoke-token-tok_1"));
    click(byTestId(m.current.host, "revoke-token-tok_1-confirm"));
    await settle();
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/auth/tokens/tok_1")).toBe(true);
    expect(rows(m.current.host, "token-row-")).toEqual([]);
  });
});

describe("members page", () => {
  it("an admin invites (the link shown once), revokes an invitation and removes a member, not themself", async () => {
    let invited = false;
    const calls = stubFetch({
      "GET /api/auth/me": { body: me("admin") },
      "GET /api/members": { body: members },
      "GET /api/invitations": () => ({ body: { invitations: invited ? [invitation] : [] } }),
      "POST /api/invitations": () => {
        invited = true;
        return { status: 201, body: { ...invitation, inviteUrl: "http://127.0.0.1:8080/invite#token=abc", token: "abc" } };
      },
      "DELETE /api/invitations/inv_1": { status: 204 },
      "DELETE /api/members/u_2": { status: 204 },
    });
    await mountAt(m.current, "/settings/members");
    const host = m.current.host;
    expect(rows(host, "member-row-")).toEqual(["u_1", "u_2"]);
    expect(host.querySelector('[data-testid="remove-member-u_1"]')).toBeNull();
    type(byTestId(host, "invite-email"), "cy@example.test");
    click(byTestId(host, "invite-submit"));
    await settle();
    expect(calls.find((c) => c.path === "/api/invitations" && c.method === "POST")!.body).toEqual({ email: "cy@example.test", role: "member" });
    expect(byTestId<HTMLInputElement>(host, "invite-link").value).toBe("http://127.0.0.1:8080/invite#token=abc");
    expect(rows(host, "invitation-row-")).toEqual(["inv_1"]);
    click(byTestId(host, "revoke-invitation-inv_1"));
    click(byTestId(host, "revoke-invitation-inv_1-confirm"));
    await settle();
    expect(rows(host, "invitation-row-")).toEqual([]);
    click(byTestId(host, "remove-member-u_2"));
    click(byTestId(host, "remove-member-u_2-confirm"));
    await settle();
    expect(rows(host, "member-row-")).toEqual(["u_1"]);
  });

  it("a member sees the list only, and the invitations are not asked for", async () => {
    const calls = stubFetch({ "GET /api/auth/me": { body: me("member") }, "GET /api/members": { body: members } });
    await mountAt(m.current, "/settings/members");
    const host = m.current.host;
    expect(rows(host, "member-row-")).toEqual(["u_1", "u_2"]);
    expect(host.querySelector('[data-testid^="remove-member-"]')).toBeNull();
    expect(host.querySelector('[data-testid="invite-email"]')).toBeNull();
    expect(calls.some((c) => c.path === "/api/invitations")).toBe(false);
  });

  it("a refused removal is shown in words", async () => {
    stubFetch({
      "GET /api/auth/me": { body: me("admin") },
      "GET /api/members": { body: members },
      "GET /api/invitations": { body: { invitations: [] } },
      "DELETE /api/members/u_2": { status: 403, body: { error: { code: "forbidden", message: "only org admins may do this" } } },
    });
    await mountAt(m.current, "/settings/members");
    click(byTestId(m.current.host, "remove-member-u_2"));
    click(byTestId(m.current.host, "remove-member-u_2-confirm"));
    await settle();
    expect(alerts(m.current.host)).toContain("Only an organization admin can do this (only org admins may do this).");
    expect(rows(m.current.host, "member-row-")).toEqual(["u_1", "u_2"]);
  });
});

describe("organization switcher", () => {
  const orgs = [{ id: "org_1", name: "Acme", role: "admin" }, { id: "org_2", name: "Globex", role: "member" }];

  it("switches the active org and reloads the page's data", async () => {
    let active = 0;
    const calls = stubFetch({
      "GET /api/auth/me": () => ({ body: { ...me("admin", orgs), activeOrg: orgs[active] } }),
      "POST /api/auth/switch-org": () => {
        active = 1;
        return { body: { ...me("admin", orgs), activeOrg: orgs[1] } };
      },
      "GET /api/workflows": { body: { workflows: [] } },
    });
    await mountAt(m.current, "/");
    const select = byTestId<HTMLSelectElement>(m.current.host, "org-switcher");
    expect(select.value).toBe("org_1");
    choose(select, "org_2");
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ orgId: "org_2" });
    expect(calls.filter((c) => c.path === "/api/workflows")).toHaveLength(2);
    expect(byTestId<HTMLSelectElement>(m.current.host, "org-switcher").value).toBe("org_2");
  });

  it("is not shown with one org", async () => {
    stubFetch({ "GET /api/auth/me": { body: me("admin") }, "GET /api/workflows": { body: { workflows: [] } } });
    await mountAt(m.current, "/");
    expect(m.current.host.querySelector('[data-testid="org-switcher"]')).toBeNull();
  });
});
