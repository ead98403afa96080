import { describe, expect, it } from "vitest";
import { BUILTIN_TRIGGERS, chooserItems, groupItems, indexCatalog, scoreItem, searchItems, stepChrome } from "./catalog";
import { chooserKey, openChooser, setQuery, activeItem } from "./chooser";
import { catalog } from "./fixtures.test-support";
import type { Catalog } from "./types";

const items = chooserItems(catalog, BUILTIN_TRIGGERS);
const ids = (groups: ReturnType<typeof searchItems>) => groups.map((g) => [g.label, g.items.map((i) => i.id)]);

describe("catalog grouping", () => {
  it("groups by kind: tool → Integrations, block → Blocks, trigger → Triggers, sorted by provider then title", () => {
    expect(ids(groupItems(items))).toEqual([
      ["Integrations", ["acmecrm.createContact", "http.request", "slack.sendMessage"]],
      ["Blocks", ["core.delay", "core.transform"]],
      ["Triggers", ["acmecrm.newLead", "trigger:manual", "trigger:schedule", "trigger:webhook"]],
    ]);
  });

  it("leaves out empty groups", () => {
    const onlyTools: Catalog = { providers: [catalog.providers[0]!] };
    expect(groupItems(chooserItems(onlyTools)).map((g) => g.label)).toEqual(["Integrations"]);
    expect(groupItems([])).toEqual([]);
  });

  it("an action's own icon wins over its provider's; a provider without one gives null (generic icon)", () => {
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get("slack.sendMessage")!.icon).toBe("data:image/svg+xml;base64,U0xBQ0s=");
    expect(byId.get("http.request")!.icon).toBe("data:image/svg+xml;base64,SFRUUA==");
    expect(byId.get("acmecrm.createContact")!.icon).toBeNull();
  });

  it("an unknown kind is an integration, not dropped", () => {
    const odd = structuredClone(catalog);
    (odd.providers[0]!.actions[0] as { kind: string }).kind = "future-kind";
    expect(groupItems(chooserItems(odd))[0]!.items.map((i) => i.id)).toContain("slack.sendMessage");
  });
});

describe("node chrome", () => {
  const index = indexCatalog(catalog);
  it("reads icon, provider name and title from the catalog", () => {
    expect(stepChrome(index, "slack.sendMessage")).toEqual({
      icon: "data:image/svg+xml;base64,U0xBQ0s=",
      providerName: "Slack",
      title: "Send message",
      known: true,
    });
    expect(stepChrome(index, "acmecrm.createContact").icon).toBeNull();
  });
  it("an unknown action keeps its provider's chrome when the provider is known, else its key's parts", () => {
    expect(stepChrome(index, "slack.archive")).toEqual({
      icon: "data:image/svg+xml;base64,UFJPVklERVI=",
      providerName: "Slack",
      title: "archive",
      known: false,
    });
    expect(stepChrome(index, "gone.thing")).toEqual({ icon: null, providerName: "gone", title: "thing", known: false });
    expect(stepChrome(index, "nodot")).toEqual({ icon: null, providerName: "nodot", title: "nodot", known: false });
  });
});

describe("search", () => {
  it("finds by provider, action title and description", () => {
    expect(ids(searchItems(items, "slack"))).toEqual([["Integrations", ["slack.sendMessage"]]]);
    expect(ids(searchItems(items, "transform"))).toEqual([["Blocks", ["core.transform"]]]);
    expect(ids(searchItems(items, "cron"))).toEqual([["Triggers", ["trigger:schedule"]]]);
  });

  it("ranks a title or provider match above a description match", () => {
    // "message": Slack's title has it; Acme's createContact only in its description.
    const [integrations] = searchItems(items, "message");
    expect(integrations!.items.map((i) => i.id)).toEqual(["slack.sendMessage", "acmecrm.createContact"]);
    expect(scoreItem(items.find((i) => i.id === "slack.sendMessage")!, "message")).toBeGreaterThan(
      scoreItem(items.find((i) => i.id === "acmecrm.createContact")!, "message"),
    );
  });

  it("every word must match; case and accents do not matter", () => {
    expect(ids(searchItems(items, "SLACK send"))).toEqual([["Integrations", ["slack.sendMessage"]]]);
    expect(ids(searchItems(items, "slack transform"))).toEqual([]);
    expect(ids(searchItems(items, "Acmé lead"))).toEqual([["Triggers", ["acmecrm.newLead"]]]);
  });

  it("matches word starts inside camelCase keys and multi-word names", () => {
    expect(searchItems(items, "crm")[0]!.items[0]!.id).toBe("acmecrm.createContact");
    expect(searchItems(items, "contact")[0]!.items.map((i) => i.id)).toEqual(["acmecrm.createContact"]);
  });

  it("hostile queries are plain text: regex characters, huge input", () => {
    expect(searchItems(items, ".*")).toEqual([]);
    expect(searchItems(items, "(")).toEqual([]);
    expect(searchItems(items, "a".repeat(100000))).toEqual([]);
    expect(ids(searchItems(items, "   "))).toEqual(ids(groupItems(items)));
  });
});

describe("chooser keyboard model", () => {
  it("moves through rows across groups, wrapping, and picks with Enter", () => {
    let s = openChooser(items);
    expect(activeItem(s)!.id).toBe("acmecrm.createContact");
    s = (chooserKey(s, "ArrowUp") as { state: typeof s }).state;
    expect(activeItem(s)!.id).toBe("trigger:webhook");
    s = (chooserKey(s, "ArrowDown") as { state: typeof s }).state;
    s = (chooserKey(s, "End") as { state: typeof s }).state;
    expect(activeItem(s)!.id).toBe("trigger:webhook");
    s = (chooserKey(s, "Home") as { state: typeof s }).state;
    for (let i = 0; i < 3; i++) s = (chooserKey(s, "ArrowDown") as { state: typeof s }).state;
    expect(activeItem(s)!.id).toBe("core.delay"); // first row of Blocks
    const picked = chooserKey(s, "Enter");
    expect(picked.type).toBe("pick");
    expect(picked.type === "pick" && picked.item.id).toBe("core.delay");
  });

  it("typing resets to the first match; Enter on no match picks nothing; Escape closes", () => {
    let s = openChooser(items);
    s = (chooserKey(s, "ArrowDown") as { state: typeof s }).state;
    s = setQuery(items, s, "http");
    expect(s.active).toBe(0);
    expect(activeItem(s)!.id).toBe("http.request");
    s = setQuery(items, s, "zzzz");
    expect(s.rows).toEqual([]);
    expect(chooserKey(s, "ArrowDown").state.active).toBe(0);
    expect(chooserKey(s, "Enter").type).toBe("state");
    expect(chooserKey(s, "Escape").type).toBe("close");
    expect(chooserKey(s, "a").state).toBe(s);
  });
});
