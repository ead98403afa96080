import { describe, expect, it } from "vitest";
import { matchRoute } from "./route";

describe("routes", () => {
  it("matches the app's pages", () => {
    expect(matchRoute("/")).toEqual({ name: "workflows" });
    expect(matchRoute("/setup")).toEqual({ name: "setup" });
    expect(matchRoute("/login/")).toEqual({ name: "login" });
    expect(matchRoute("/workflows/wf_01ABC")).toEqual({ name: "builder", id: "wf_01ABC" });
    expect(matchRoute("/workflows/new")).toEqual({ name: "newWorkflow" });
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
  });
});
