import { describe, expect, it } from "vitest";
import { acceptedTypes, buildSecret, credentialsFor, missingSecretFields, placeSecretErrors, SECRET_FIELDS } from "./credentials";

const slack = { provider: "slack", authType: "oauth2", acceptedAuthTypes: ["bot_token"] };

describe("credentials", () => {
  it("accepts the action's own type first, then the others; none for authType none", () => {
    expect(acceptedTypes(slack)).toEqual(["oauth2", "bot_token"]);
    expect(acceptedTypes({ authType: "api_key", acceptedAuthTypes: ["api_key", "none"] })).toEqual(["api_key"]);
    expect(acceptedTypes({ authType: "none", acceptedAuthTypes: ["api_key"] })).toEqual([]);
  });

  it("offers only credentials of the provider and an accepted type", () => {
    const list = [
      { id: "c1", name: "Slack bot", provider: "slack", type: "bot_token" },
      { id: "c2", name: "Slack key", provider: "slack", type: "api_key" },
      { id: "c3", name: "Other bot", provider: "discord", type: "bot_token" },
      { id: "c4", name: "Slack OAuth", provider: "slack", type: "oauth2" },
    ];
    expect(credentialsFor(list, slack).map((c) => c.id)).toEqual(["c1", "c4"]);
  });

  it("names the secret fields as vault/auth.cpp requires", () => {
    expect(SECRET_FIELDS.api_key!.map((f) => f.key)).toEqual(["api_key"]);
    expect(SECRET_FIELDS.bearer_token!.map((f) => f.key)).toEqual(["token"]);
    expect(SECRET_FIELDS.bot_token!.map((f) => f.key)).toEqual(["bot_token"]);
    expect(SECRET_FIELDS.oauth2!.map((f) => f.key)).toEqual(["access_token", "refresh_token"]);
  });

  it("builds the secret, leaving out empty optional fields and fields of other types", () => {
    expect(buildSecret("oauth2", { access_token: "a", refresh_token: "" , api_key: "x"})).toEqual({ access_token: "a" });
    expect(buildSecret("oauth2", { access_token: "a", refresh_token: "r" })).toEqual({ access_token: "a", refresh_token: "r" });
    expect(buildSecret("api_key", {})).toEqual({ api_key: "" });
    expect(missingSecretFields("api_key", { api_key: "  " })).toEqual({ api_key: "API key is required" });
    expect(missingSecretFields("oauth2", { access_token: "a" })).toEqual({});
  });

  it("places the server's problems under their fields and keeps the rest in words", () => {
    const placed = placeSecretErrors("api_key", "invalid api_key credential: /api_key is required; /x is not allowed", [
      { field: "/api_key", message: "is required" },
      { field: "/x", message: "is not allowed for api_key credentials" },
      "junk",
      { field: "/api_key" },
    ]);
    expect(placed.fields).toEqual({ api_key: "API key is required" });
    expect(placed.general).toEqual(["x is not allowed for api_key credentials"]);
    expect(placeSecretErrors("api_key", "only admins", undefined)).toEqual({ fields: {}, general: ["only admins"] });
  });
});
