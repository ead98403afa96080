// Run history filters: the /runs query string (the URL is the state) ↔ the filters ↔ the query
// of GET /api/runs (api/run_routes.cpp: workflowId, status, createdAfter/createdBefore in ms
// since the epoch, cursor = the last run id of the previous page, limit). No fetching, no UI.

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const PAGE_SIZE = 50;

export interface RunFilters {
  workflowId?: string;
  status?: string;
  // datetime-local values ("2026-12-01T10:30"), in the browser's time zone.
  from?: string;
  to?: string;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

// Reads the filters from /runs?…; anything malformed is dropped, not sent to the server.
export function filtersFromSearch(search: string): RunFilters {
  const q = new URLSearchParams(search);
  const out: RunFilters = {};
  const wf = q.get("workflowId");
  if (wf && /^[A-Za-z0-9_-]{1,128}$/.test(wf)) out.workflowId = wf;
  const status = q.get("status");
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) out.status = status;
  for (const k of ["from", "to"] as const) {
    const v = q.get(k);
    if (v && LOCAL_TIME.test(v) && !Number.isNaN(new Date(v).getTime())) out[k] = v;
  }
  return out;
}

export function searchFromFilters(f: RunFilters): string {
  const q = new URLSearchParams();
  if (f.workflowId) q.set("workflowId", f.workflowId);
  if (f.status) q.set("status", f.status);
  if (f.from) q.set("from", f.from);
  if (f.to) q.set("to", f.to);
  const s = q.toString();
  return s ? `?${s}` : "";
}

// The path and query of GET /api/runs for these filters and page cursor.
export function runsQuery(f: RunFilters, cursor?: string | null, limit = PAGE_SIZE): string {
  const q = new URLSearchParams();
  if (f.workflowId) q.set("workflowId", f.workflowId);
  if (f.status) q.set("status", f.status);
  if (f.from) q.set("createdAfter", String(new Date(f.from).getTime()));
  if (f.to) q.set("createdBefore", String(new Date(f.to).getTime()));
  if (cursor) q.set("cursor", cursor);
  q.set("limit", String(limit));
  return `/api/runs?${q.toString()}`;
}

// "1.2 s", "340 ms", "3 min 5 s" between two ISO times; "" when either is missing.
export function durationText(start?: string | null, end?: string | null): string {
  if (!start || !end) return "";
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}
