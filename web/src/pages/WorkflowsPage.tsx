// The workflows of the active org: name, trigger, last run, updated, with rename, duplicate,
// export and delete per row; New workflow opens an empty builder; Import takes JSON.
import { useState } from "react";
import { api } from "../api";
import { ErrorBanner } from "../components/ErrorBanner";
import { TopBar } from "../components/TopBar";
import { useLoad } from "../components/useLoad";
import { navigate } from "../navigation";
import { ImportDialog } from "./workflows/ImportDialog";
import { WorkflowRow } from "./workflows/WorkflowRow";
import { duplicateWorkflow, exportWorkflow, renameWorkflow } from "./workflows/workflowActions";

export function WorkflowsPage() {
  const { data: list, error, set } = useLoad(() => api.listWorkflows(), []);
  const [importing, setImporting] = useState(false);

  return (
    <>
      <TopBar />
      <main className="page">
        <div className="row spread">
          <h1>Workflows</h1>
          <div className="row">
            <button type="button" data-testid="import-workflow" onClick={() => setImporting(true)}>
              Import
            </button>
            <button type="button" className="primary" data-testid="new-workflow" onClick={() => navigate("/workflows/new")}>
              New workflow
            </button>
          </div>
        </div>
        <ErrorBanner error={error} />
        {list === null && !error ? <p className="muted">Loading workflows…</p> : null}
        {list && list.length === 0 ? <p className="empty">No workflows yet — New workflow to build one, or Import one.</p> : null}
        {list && list.length > 0 ? (
          <table className="list" data-testid="workflows-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Last run</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <WorkflowRow
                  key={w.id}
                  w={w}
                  onRename={async (name) => {
                    const s = await renameWorkflow(w.id, name);
                    set((l) => l && l.map((x) => (x.id === s.id ? s : x)));
                  }}
                  onDuplicate={async () => {
                    const s = await duplicateWorkflow(w.id, list.map((x) => x.name));
                    set((l) => l && [...l, s]);
                  }}
                  onExport={() => exportWorkflow(w.id)}
                  onDelete={async () => {
                    await api.deleteWorkflow(w.id);
                    set((l) => l && l.filter((x) => x.id !== w.id));
                  }}
                />
              ))}
            </tbody>
          </table>
        ) : null}
        {importing ? <ImportDialog onClose={() => setImporting(false)} onImported={(w) => navigate(`/workflows/${w.id}`)} /> : null}
      </main>
    </>
  );
}
