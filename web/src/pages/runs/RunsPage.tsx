// /runs: the org's run history, newest first, filtered by the query string (workflowId,
// status, from, to) and paged with the server's cursor ("Older runs").
import { useEffect, useState } from "react";
import { api, type RunPage } from "../../api";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Link } from "../../components/Link";
import { TopBar } from "../../components/TopBar";
import { useLoad } from "../../components/useLoad";
import { navigate } from "../../navigation";
import { durationText, filtersFromSearch, searchFromFilters } from "../../lib/runFilters";
import type { RunSummary } from "../../lib/runs";
import { RunFiltersBar } from "./RunFiltersBar";
import { RunStatusBadge } from "./RunStatusBadge";

export function RunsPage({ search }: { search: string }) {
  const filters = filtersFromSearch(search);
  const key = searchFromFilters(filters);
  const workflows = useLoad(() => api.listWorkflows(), []);
  const first = useLoad(() => api.listRuns(filters), [key]);
  const [more, setMore] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setMore([]);
    setMoreError(null);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);

  const older = async () => {
    setBusy(true);
    setMoreError(null);
    try {
      const page: RunPage = await api.listRuns(filters, cursor);
      setMore((m) => [...m, ...page.runs]);
      setCursor(page.nextCursor);
    } catch (e) {
      setMoreError(e);
    } finally {
      setBusy(false);
    }
  };

  const names = new Map((workflows.data ?? []).map((w) => [w.id, w.name]));
  const runs = first.data ? [...first.data.runs, ...more] : null;
  return (
    <>
      <TopBar />
      <main className="page">
        <h1>Runs</h1>
        <RunFiltersBar filters={filters} workflows={workflows.data ?? []} onChange={(f) => navigate(`/runs${searchFromFilters(f)}`, true)} />
        <ErrorBanner error={first.error} />
        {runs === null && !first.error ? <p className="muted">Loading runs…</p> : null}
        {runs && runs.length === 0 ? <p className="empty">No runs match — run a workflow from its builder, or clear the filters.</p> : null}
        {runs && runs.length > 0 ? (
          <table className="list" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid={`run-row-${r.id}`}>
                  <td>
                    <Link href={`/runs/${r.id}`}>
                      <code>{r.id}</code>
                    </Link>
                  </td>
                  <td>{r.workflowId ? <Link href={`/workflows/${r.workflowId}`}>{names.get(r.workflowId) ?? r.workflowId}</Link> : null}</td>
                  <td>
                    <RunStatusBadge status={r.status} />
                  </td>
                  <td>{r.createdAt ? <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time> : null}</td>
                  <td>{durationText(r.startedAt, r.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <ErrorBanner error={moreError} />
        {cursor ? (
          <button type="button" data-testid="runs-older" disabled={busy} onClick={() => void older()}>
            {busy ? "Loading…" : "Older runs"}
          </button>
        ) : null}
      </main>
    </>
  );
}
