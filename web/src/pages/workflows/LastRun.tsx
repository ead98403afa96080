// A workflow's last run status in the list (GET /api/runs?workflowId=…&limit=1), linking to it.
import { useEffect, useState } from "react";
import { api } from "../../api";
import { Link } from "../../components/Link";
import type { RunSummary } from "../../lib/runs";
import { RunStatusBadge } from "../runs/RunStatusBadge";

export function LastRun({ workflowId }: { workflowId: string }) {
  const [run, setRun] = useState<RunSummary | null | undefined | "unknown">(undefined);
  useEffect(() => {
    let live = true;
    api.listRuns({ workflowId }, null, 1).then(
      (p) => live && setRun(p.runs[0] ?? null),
      () => live && setRun("unknown"),
    );
    return () => {
      live = false;
    };
  }, [workflowId]);
  if (run === undefined) return <span className="muted">…</span>;
  if (run === "unknown") return <span className="muted">unknown</span>;
  if (run === null) return <span className="muted">never run</span>;
  return (
    <Link href={`/runs/${run.id}`} data-testid={`last-run-${workflowId}`}>
      <RunStatusBadge status={run.status} />
    </Link>
  );
}
