// The run history's filters: workflow, status, created from/to. Each change is a new URL.
import { useId } from "react";
import type { WorkflowSummary } from "../../api";
import { RUN_STATUSES, type RunFilters } from "../../lib/runFilters";

interface Props {
  filters: RunFilters;
  workflows: WorkflowSummary[];
  onChange: (f: RunFilters) => void;
}

export function RunFiltersBar({ filters, workflows, onChange }: Props) {
  const id = useId();
  const set = (k: keyof RunFilters, v: string) => onChange({ ...filters, [k]: v || undefined });
  return (
    <form className="row filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={`${id}-wf`}>Workflow</label>
      <select id={`${id}-wf`} data-testid="runs-filter-workflow" value={filters.workflowId ?? ""} onChange={(e) => set("workflowId", e.target.value)}>
        <option value="">All workflows</option>
        {workflows.map((w) => (
          <option key={w.id} value={w.id}>{w.name}</option>
        ))}
        {filters.workflowId && !workflows.some((w) => w.id === filters.workflowId) ? <option value={filters.workflowId}>{filters.workflowId}</option> : null}
      </select>
      <label htmlFor={`${id}-st`}>Status</label>
      <select id={`${id}-st`} data-testid="runs-filter-status" value={filters.status ?? ""} onChange={(e) => set("status", e.target.value)}>
        <option value="">Any status</option>
        {RUN_STATUSES.map((s) => (
          <option key={s} value={s}>{s}</option>
        ))}
      </select>
      <label htmlFor={`${id}-from`}>From</label>
      <input id={`${id}-from`} type="datetime-local" data-testid="runs-filter-from" value={filters.from ?? ""} onChange={(e) => set("from", e.target.value)} />
      <label htmlFor={`${id}-to`}>To</label>
      <input id={`${id}-to`} type="datetime-local" data-testid="runs-filter-to" value={filters.to ?? ""} onChange={(e) => set("to", e.target.value)} />
      {filters.workflowId || filters.status || filters.from || filters.to ? (
        <button type="button" className="quiet" onClick={() => onChange({})}>Clear filters</button>
      ) : null}
    </form>
  );
}
