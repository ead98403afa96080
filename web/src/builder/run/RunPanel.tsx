// The run panel under the canvas: the run's status, each step (in the workflow's order) with
// its status shown by icon and word, and for the chosen step its input, output (virtualised),
// logs, attempts, duration and error.
import { useState } from "react";
import type { RunView, StepRun } from "../../lib/runs";
import { nodeStatus } from "../../lib/runs";
import { errorText } from "../../components/ErrorBanner";
import { JsonViewer } from "../../components/JsonViewer";
import { StatusIcon } from "./StatusIcon";

interface Props {
  view: RunView | null;
  error: unknown;
  stepIds: string[];
  onClose?: () => void;
  title?: string;
}

function errorWords(e: unknown): string {
  if (e === null || e === undefined) return "";
  if (typeof e === "string") return e;
  if (typeof e === "object" && typeof (e as { message?: unknown }).message === "string") {
    const { code, message } = e as { code?: unknown; message: string };
    return typeof code === "string" ? `${message} (${code})` : message;
  }
  return JSON.stringify(e);
}

function StepDetail({ step }: { step: StepRun }) {
  return (
    <div className="run-detail stack" aria-label={`Run of ${step.id}`}>
      <div className="row">
        <StatusIcon status={step.status} />
        <strong>{step.id}</strong>
        <span>{step.status}</span>
        <span className="muted">
          {step.attempts} attempt{step.attempts === 1 ? "" : "s"}
          {step.durationMs !== undefined ? ` · ${step.durationMs} ms` : ""}
        </span>
      </div>
      {step.error ? <p className="field-error" role="alert">{errorWords(step.error)}</p> : null}
      <h3>Input</h3>
      <JsonViewer value={step.input} label={`Input of ${step.id}`} testId={`run-input-${step.id}`} height={160} />
      <h3>Output</h3>
      <JsonViewer value={step.output} label={`Output of ${step.id}`} testId={`run-output-${step.id}`} />
      <h3>Logs</h3>
      {Array.isArray(step.logs) && step.logs.length === 0 ? <p className="muted">No logs.</p> : <JsonViewer value={step.logs} label={`Logs of ${step.id}`} testId={`run-logs-${step.id}`} height={120} />}
    </div>
  );
}

export function RunPanel({ view, error, stepIds, onClose, title = "Test run" }: Props) {
  const [chosen, setChosen] = useState<string | null>(null);
  const recorded = view?.steps ?? [];
  const order = [...stepIds, ...recorded.map((s) => s.id).filter((id) => !stepIds.includes(id))];
  const shown = recorded.find((s) => s.id === chosen) ?? recorded.find((s) => s.status === "failed") ?? recorded[recorded.length - 1];
  return (
    <section className="run-panel" aria-label="Run" data-testid="run-panel" data-status={view?.run.status ?? "none"}>
      <header className="row spread">
        <div className="row">
          <h2>{title}</h2>
          {view ? (
            <>
              <StatusIcon status={view.run.status} />
              <span data-testid="run-status">{view.run.status}</span>
              <code className="muted">{view.run.id}</code>
            </>
          ) : null}
        </div>
        {onClose ? (
          <button type="button" className="quiet" onClick={onClose} aria-label="Close the run panel">
            Close
          </button>
        ) : null}
      </header>
      {error ? <p className="field-error" role="alert">{errorText(error)}</p> : null}
      {view?.run.error ? <p className="field-error">The run failed: {errorWords(view.run.error)}</p> : null}
      <div className="run-body">
        <ul className="run-steps" aria-label="Steps of the run">
          {order.map((id) => {
            const s = recorded.find((r) => r.id === id);
            const status = nodeStatus(view, id);
            return (
              <li key={id}>
                <button type="button" className={shown?.id === id ? "active" : undefined} disabled={!s} onClick={() => setChosen(id)} data-testid={`run-step-${id}`}>
                  <StatusIcon status={status} /> {id} <span className="muted">{status === "none" ? "not run" : status}</span>
                </button>
              </li>
            );
          })}
        </ul>
        {shown ? <StepDetail step={shown} /> : <p className="muted">{view ? "Waiting for the first step…" : "Starting…"}</p>}
      </div>
    </section>
  );
}
