// One row of the workflows list: name (renamed in place), trigger, last run, updated, and the
// row's actions — Rename, Duplicate, Export, Runs, Delete (asked twice). Errors in the row.
import { useState } from "react";
import type { WorkflowSummary } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { errorText } from "../../components/ErrorBanner";
import { Link } from "../../components/Link";
import { LastRun } from "./LastRun";

interface Props {
  w: WorkflowSummary;
  onRename: (name: string) => Promise<void>;
  onDuplicate: () => Promise<void>;
  onExport: () => Promise<void>;
  onDelete: () => Promise<void>;
}

export function WorkflowRow({ w, onRename, onDuplicate, onExport, onDelete }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (fn: () => Promise<void>) => async () => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const saveName = async () => {
    const name = (editing ?? "").trim();
    if (name === "") {
      setError(new Error("Give the workflow a name."));
      return;
    }
    if (await run(() => onRename(name))()) setEditing(null);
  };
  return (
    <tr data-testid={`workflow-row-${w.id}`}>
      <td>
        {editing === null ? (
          <Link href={`/workflows/${w.id}`}>{w.name}</Link>
        ) : (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void saveName();
            }}
          >
            <input aria-label={`New name of ${w.name}`} data-testid={`rename-input-${w.id}`} value={editing} maxLength={200} autoFocus onChange={(e) => setEditing(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setEditing(null)} />
            <button type="submit" className="primary" disabled={busy} data-testid={`rename-save-${w.id}`}>Save</button>
            <button type="button" onClick={() => setEditing(null)}>Cancel</button>
          </form>
        )}
        {error ? <p className="field-error" role="alert">{errorText(error)}</p> : null}
      </td>
      <td>{w.trigger}</td>
      <td>
        <LastRun workflowId={w.id} />
      </td>
      <td>
        <time dateTime={w.updatedAt}>{new Date(w.updatedAt).toLocaleString()}</time>
      </td>
      <td className="row">
        <button type="button" className="quiet" disabled={busy || editing !== null} data-testid={`rename-${w.id}`} onClick={() => setEditing(w.name)}>Rename</button>
        <button type="button" className="quiet" disabled={busy} data-testid={`duplicate-${w.id}`} onClick={() => void run(onDuplicate)()}>Duplicate</button>
        <button type="button" className="quiet" disabled={busy} data-testid={`export-${w.id}`} onClick={() => void run(onExport)()}>Export</button>
        <Link href={`/runs?workflowId=${encodeURIComponent(w.id)}`} data-testid={`runs-${w.id}`}>Runs</Link>
        <ConfirmButton label="Delete" confirmLabel={`Delete ${w.name}`} disabled={busy} testId={`delete-${w.id}`} onConfirm={() => void run(onDelete)()} />
      </td>
    </tr>
  );
}
