// /workflows/:id and /workflows/new: loads the catalog and the workflow, then the builder.
import { useEffect, useState } from "react";
import { api, ApiError, type WorkflowRecord } from "../api";
import type { Catalog, WorkflowDocument } from "../lib/types";
import { ErrorBanner } from "../components/ErrorBanner";
import { TopBar } from "../components/TopBar";
import { toLogin } from "../navigation";
import { Builder } from "../builder/Builder";

const EMPTY: WorkflowDocument = { name: "Untitled workflow", trigger: { type: "manual" }, steps: [] };

export function BuilderPage({ id }: { id: string | null }) {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [record, setRecord] = useState<WorkflowRecord | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    Promise.all([api.catalog(), id ? api.getWorkflow(id) : Promise.resolve(null)]).then(
      ([c, w]) => {
        if (!live) return;
        setCatalog(c);
        setRecord(w);
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) toLogin();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [id]);

  if (error || !catalog) {
    return (
      <>
        <TopBar />
        <main className="page">{error ? <ErrorBanner error={error} /> : <p className="muted">Loading the builder…</p>}</main>
      </>
    );
  }
  return <Builder catalog={catalog} id={id} initial={record ? record.definition : EMPTY} version={record?.version} />;
}
