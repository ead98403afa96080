import { describe, expect, it } from "vitest";
import { durationText, filtersFromSearch, runsQuery, searchFromFilters } from "./runFilters";

describe("run filters", () => {
  it("reads the /runs query string and writes it back", () => {
    const f = filtersFromSearch("?workflowId=wf_1&status=failed&from=2026-12-01T10:30&to=2026-12-02T00:00");
    expect(f).toEqual({ workflowId: "wf_1", status: "failed", from: "2026-12-01T10:30", to: "2026-12-02T00:00" });
    expect(filtersFromSearch(searchFromFilters(f))).toEqual(f);
    expect(searchFromFilters({})).toBe("");
  });
  it("drops what the server would refuse instead of sending it", () => {
    expect(filtersFromSearch("?status=exploded&workflowId=../x&from=yesterday&to=2026-13-45T99:99")).toEqual({});
    expect(filtersFromSearch("?workflowId=" + "a".repeat(129))).toEqual({});
  });
  it("builds GET /api/runs with milliseconds and the cursor", () => {
    const from = "2026-12-01T10:30";
    const q = runsQuery({ workflowId: "wf_1", status: "running", from }, "run_9", 20);
    const params = new URLSearchParams(q.split("?")[1]);
    expect(q.startsWith("/api/runs?")).toBe(true);
    expect(params.get("workflowId")).toBe("wf_1");
    expect(params.get("status")).toBe("running");
    expect(params.get("createdAfter")).toBe(String(new Date(from).getTime()));
    expect(params.has("createdBefore")).toBe(false);
    expect(params.get("cursor")).toBe("run_9");
    expect(params.get("limit")).toBe("20");
    expect(runsQuery({})).toBe("/api/runs?limit=50");
  });
  it("says how long a run took", () => {
    expect(durationText("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.340Z")).toBe("340 ms");
    expect(durationText("2026-01-01T00:00:00Z", "2026-01-01T00:00:01.250Z")).toBe("1.3 s");
    expect(durationText("2026-01-01T00:00:00Z", "2026-01-01T00:03:05Z")).toBe("3 min 5 s");
    expect(durationText("2026-01-01T00:00:00Z", null)).toBe("");
    expect(durationText("2026-01-01T00:00:01Z", "2026-01-01T00:00:00Z")).toBe("");
    expect(durationText("nonsense", "2026-01-01T00:00:00Z")).toBe("");
  });
});
