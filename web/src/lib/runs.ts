// A test run as the builder follows it: the run and its steps from POST …/runs, then the
// `step` and `run` events of GET /api/runs/{id}/events (api/run_watch.cpp: one `step` event per
// recorded step, engine/workflow_service.cpp step_to_json; one `run` event with the final run,
// without steps). Pure state transitions and each node's status; the hook does the I/O.

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type StepStatus = "running" | "succeeded" | "failed" | "skipped";
// What a node shows: a step not yet recorded in a live run is "pending".
export type NodeStatus = StepStatus | "pending" | "none";

export interface StepRun {
  id: string;
  status: StepStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  logs: unknown;
  error: unknown;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
}

export interface RunSummary {
  id: string;
  status: RunStatus;
  workflowId?: string;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  createdAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  cancelRequested?: boolean;
}

export interface RunView {
  run: RunSummary;
  // In the order the server recorded them.
  steps: StepRun[];
}

export function startView(runId: string): RunView {
  return { run: { id: runId, status: "queued" }, steps: [] };
}

export function isTerminal(status: string): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

const STEP_STATUSES = new Set(["running", "succeeded", "failed", "skipped"]);
const RUN_STATUSES = new Set(["queued", "running", "succeeded", "failed", "cancelled"]);

// One step_to_json object; null when it is not one.
export function parseStep(v: unknown): StepRun | null {
  const o = asObject(v);
  if (!o || typeof o.id !== "string" || typeof o.status !== "string" || !STEP_STATUSES.has(o.status)) return null;
  return {
    id: o.id,
    status: o.status as StepStatus,
    attempts: typeof o.attempts === "number" ? o.attempts : 0,
    input: o.input,
    output: o.output,
    logs: o.logs,
    error: o.error,
    startedAt: typeof o.startedAt === "string" ? o.startedAt : undefined,
    finishedAt: typeof o.finishedAt === "string" ? o.finishedAt : undefined,
    durationMs: typeof o.durationMs === "number" ? o.durationMs : undefined,
  };
}

export function parseRun(v: unknown): RunSummary | null {
  const o = asObject(v);
  if (!o || typeof o.id !== "string" || typeof o.status !== "string" || !RUN_STATUSES.has(o.status)) return null;
  return {
    id: o.id,
    status: o.status as RunStatus,
    workflowId: typeof o.workflowId === "string" ? o.workflowId : undefined,
    input: o.input,
    output: o.output,
    error: o.error,
    createdAt: typeof o.createdAt === "string" ? o.createdAt : undefined,
    startedAt: typeof o.startedAt === "string" ? o.startedAt : null,
    finishedAt: typeof o.finishedAt === "string" ? o.finishedAt : null,
    cancelRequested: o.cancelRequested === true,
  };
}

// A `step` event: replaces the step of that id, or adds it. A live run is "running" from here.
export function applyStep(view: RunView, data: unknown): RunView {
  const step = parseStep(data);
  if (!step) return view;
  const i = view.steps.findIndex((s) => s.id === step.id);
  const steps = i < 0 ? [...view.steps, step] : view.steps.map((s, j) => (j === i ? step : s));
  const status = isTerminal(view.run.status) ? view.run.status : "running";
  return { run: { ...view.run, status }, steps };
}

// A `run` event (or GET /api/runs/{id}): the run's fields; steps when the answer has them.
export function applyRun(view: RunView, data: unknown): RunView {
  const run = parseRun(data);
  if (!run || run.id !== view.run.id) return view;
  const list = asObject(data)?.steps;
  let next: RunView = { run: { ...view.run, ...run }, steps: view.steps };
  if (Array.isArray(list)) for (const s of list) next = { ...applyStep(next, s), run: next.run };
  return next;
}

// The status a node shows for this run.
export function nodeStatus(view: RunView | null, stepId: string): NodeStatus {
  if (!view) return "none";
  const step = view.steps.find((s) => s.id === stepId);
  if (step) return step.status;
  return isTerminal(view.run.status) ? "none" : "pending";
}

// Each step's output from this run, for autocomplete and the data panel.
export function outputsOf(view: RunView | null): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of view?.steps ?? []) if (s.status === "succeeded") out.set(s.id, s.output);
  return out;
}
