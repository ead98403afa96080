// /runs/:id: one run in the run panel (followed live while it runs), its workflow, Cancel while
// it is queued or running, and Re-run with the same input (a new run, opened here).
import { useEffect, useState } from "react";
import { api, ApiError } from "../../api";
import { RunPanel } from "../../builder/run/RunPanel";
import { useTestRun } from "../../builder/run/useTestRun";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Link } from "../../components/Link";
import { TopBar } from "../../components/TopBar";
import { navigate, toLogin } from "../../navigation";
import { isTerminal } from "../../lib/runs";

function inputObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function RunPage({ id }: { id: string }) {
  const run = useTestRun();
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<"cancel" | "rerun" | null>(null);
  const { follow } = run;
  useEffect(() => follow(id), [follow, id]);
  useEffect(() => {
    if (run.error instanceof ApiError && run.error.status === 401) toLogin();
  }, [run.error]);

  const summary = run.view?.run;
  const known = summary?.workflowId !== undefined;
  const live = summary ? !isTerminal(summary.status) : false;

  const act = async (what: "cancel" | "rerun") => {
    if (!summary) return;
    setBusy(what);
    setActionError(null);
    try {
      if (what === "cancel") {
        await api.cancelRun(summary.id);
        follow(summary.id);
      } else {
        const started = await api.startRun(summary.workflowId!, inputObject(summary.input));
        navigate(`/runs/${started.runId}`);
      }
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <TopBar />
      <main className="page stack">
        <div className="row spread">
          <div className="row">
            <Link href="/runs">← Runs</Link>
            <h1>Run</h1>
            {known ? <Link href={`/workflows/${summary!.workflowId}`} data-testid="run-workflow">Open the workflow</Link> : null}
          </div>
          <div className="row">
            {live ? (
              <button type="button" data-testid="run-cancel" disabled={busy !== null || summary?.cancelRequested} onClick={() => void act("cancel")}>
                {summary?.cancelRequested ? "Cancelling…" : "Cancel run"}
              </button>
            ) : null}
            <button type="button" className="primary" data-testid="run-rerun" disabled={!known || busy !== null} onClick={() => void act("rerun")}>
              {busy === "rerun" ? "Starting…" : "Re-run with the same input"}
            </button>
          </div>
        </div>
        <ErrorBanner error={actionError} />
        <RunPanel view={run.view} error={run.error} stepIds={[]} title="Run" />
      </main>
    </>
  );
}
