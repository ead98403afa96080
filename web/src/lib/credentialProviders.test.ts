import { describe, expect, it } from "vitest";
import { connectableProviders, workflowsInUse } from "./credentialProviders";
import { catalog } from "./fixtures.test-support";
import type { Catalog } from "./types";

describe("credential providers", () => {
  it("lists only providers whose actions take a credential, with every accepted type", () => {
    const base = catalog.providers.find((p) => p.id === "slack")!;
    const send = base.actions[0]!;
    const withAuth: Catalog = {
      providers: [
        { ...base, id: "zeta", name: "Zeta", actions: [{ ...send, provider: "zeta", authType: "api_key", acceptedAuthTypes: ["none", "bearer_token"] }] },
        {
          ...base,
          id: "slack",
          name: "Slack",
          actions: [
            { ...send, authType: "bot_token", acceptedAuthTypes: ["oauth2"] },
            { ...send, authType: "oauth2", acceptedAuthTypes: ["bot_token"] },
            { ...send, authType: "none", acceptedAuthTypes: [] },
          ],
        },
        { ...base, id: "core", name: "Core", actions: [{ ...send, provider: "core", authType: "none", acceptedAuthTypes: [] }] },
      ],
    };
    expect(connectableProviders(withAuth)).toEqual([
      { id: "slack", name: "Slack", types: ["bot_token", "oauth2"] },
      { id: "zeta", name: "Zeta", types: ["api_key", "bearer_token"] },
    ]);
    expect(connectableProviders(catalog)).toEqual([]);
  });
  it("reads the workflows of a credential_in_use refusal, ignoring junk", () => {
    expect(workflowsInUse({ workflows: [{ id: "wf_1", name: "Sync" }, { id: "wf_2" }, { name: "no id" }, 7, null] })).toEqual([
      { id: "wf_1", name: "Sync" },
      { id: "wf_2", name: "wf_2" },
    ]);
    expect(workflowsInUse(null)).toEqual([]);
    expect(workflowsInUse({ workflows: "wf_1" })).toEqual([]);
    expect(workflowsInUse([])).toEqual([]);
  });
});
