import { describe, expect, it } from "vitest";
import { matchRoute } from "./route";

describe("routes", () => {
  it("matches the app's pages", () => {
    expect(matchRoute("/")).toEqual({ name: "workflows" });
    expect(matchRoute("/setup")).toEqual({ name: "setup" });
    expect(matchRoute("/login/")).toEqual({ name: "login" });
    expect(matchRoute("/workflows/wf_01ABC")).toEqual({ name: "builder", id: "wf_01ABC" });
    expect(matchRoute("/workflows/new")).toEqual({ name: "newWorkflow" });
    expect(matchRoute("/runs", "?status=failed")).toEqual({ name: "runs", search: "?status=failed" });
    expect(matchRoute("/runs/run_01X")).toEqual({ name: "run", id: "run_01X" });
    expect(matchRoute("/credentials")).toEqual({ name: "credentials" });
    expect(matchRoute("/settings/tokens")).toEqual({ name: "tokens" });
    expect(matchRoute("/settings/members/")).toEqual({ name: "members" });
  });
  it("keeps only a local ?next= after sign-in", () => {
    expect(matchRoute("/login", "?next=/workflows/wf_1")).toEqual({ name: "login", next: "/workflows/wf_1" });
    expect(matchRoute("/login", "?next=//evil.test/x")).toEqual({ name: "login" });
    expect(matchRoute("/login", "?next=https://evil.test")).toEqual({ name: "login" });
  });
  it("anything else is not found", () => {
    expect(matchRoute("/workflows/a.b").name).toBe("notFound");
    expect(matchRoute("/workflows/" + "a".repeat(129)).name).toBe("notFound");
    expect(matchRoute("/nope").name).toBe("notFound");
    expect(matchRoute("/runs/a%2Fb").name).toBe("notFound");
    expect(matchRoute("/runs/x/y").name).toBe("notFound");
  });
});
