// The workflows of the active org: name, trigger, updated; New workflow opens an empty builder.
import { useEffect, useState } from "react";
import { api, ApiError, type WorkflowSummary } from "../api";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate, toLogin } from "../navigation";
import { TopBar } from "../components/TopBar";

export function WorkflowsPage() {
  const [list, setList] = useState<WorkflowSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.listWorkflows().then(
      (w) => live && setList(w),
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) toLogin();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <TopBar />
      <main className="page">
        <div className="row spread">
          <h1>Workflows</h1>
          <button type="button" className="primary" onClick={() => navigate("/workflows/new")}>
            New workflow
          </button>
        </div>
        <ErrorBanner error={error} />
        {list === null && !error ? <p className="muted">Loading workflows…</p> : null}
        {list && list.length === 0 ? <p className="empty">No workflows yet — New workflow to build one.</p> : null}
        {list && list.length > 0 ? (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <tr key={w.id}>
                  <td>
                    <a
                      href={`/workflows/${w.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/workflows/${w.id}`);
                      }}
                    >
                      {w.name}
                    </a>
                  </td>
                  <td>{w.trigger}</td>
                  <td>
                    <time dateTime={w.updatedAt}>{new Date(w.updatedAt).toLocaleString()}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </main>
    </>
  );
}
