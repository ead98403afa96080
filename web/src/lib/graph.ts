// Workflow JSON ↔ the canvas graph. Nodes: the trigger and one per step; edges from `after` AND
// from template references (a reference is a dependency to the engine, so it is one on the
// canvas). Step positions live in the workflow JSON as `steps[i].position` (a field the server
// accepts and stores); the trigger has no such field on the server, so its position is a side
// value the caller keeps (local storage), defaulting to the left of the first steps.
// Round trip: graphToWorkflow(doc, workflowToGraph(doc).nodes) deep-equals doc.
import type { Position, WorkflowDocument, WorkflowStep } from "./types";
import { findRefs } from "./templates";

// '@' is never in a step id ([A-Za-z_][A-Za-z0-9_-]*), so the trigger's node id cannot clash.
export const TRIGGER_NODE_ID = "@trigger";

export interface GraphNode {
  id: string;
  type: "trigger" | "step";
  position: Position;
  // True when the step has no stored position and this one was computed: saving an unmoved
  // node writes nothing back.
  placed: boolean;
}

export type EdgeKind = "after" | "ref" | "trigger";

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kinds: EdgeKind[];
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  // References to step ids the workflow does not have: no edge, shown as errors.
  dangling: { step: string; target: string }[];
}

export const COLUMN_WIDTH = 280;
export const ROW_HEIGHT = 120;

function isPosition(p: unknown): p is Position {
  if (p === null || typeof p !== "object") return false;
  const { x, y } = p as Record<string, unknown>;
  return typeof x === "number" && Number.isFinite(x) && typeof y === "number" && Number.isFinite(y);
}

// Each step's dependencies in first-seen order: `after` entries, then the steps its inputs and
// `if` reference. Unknown ids and self-references are kept out (the server reports them).
export function dependencies(doc: WorkflowDocument): Map<string, { id: string; kinds: EdgeKind[] }[]> {
  const ids = new Set(doc.steps.map((s) => s.id));
  const out = new Map<string, { id: string; kinds: EdgeKind[] }[]>();
  for (const step of doc.steps) {
    const deps: { id: string; kinds: EdgeKind[] }[] = [];
    const add = (id: string, kind: EdgeKind) => {
      if (!ids.has(id) || id === step.id) return;
      const found = deps.find((d) => d.id === id);
      if (!found) deps.push({ id, kinds: [kind] });
      else if (!found.kinds.includes(kind)) found.kinds.push(kind);
    };
    for (const a of step.after ?? []) add(a, "after");
    for (const ref of [...findRefs(step.inputs ?? {}), ...findRefs(step.if)]) {
      if (ref.root === "steps" && ref.step) add(ref.step, "ref");
    }
    out.set(step.id, deps);
  }
  return out;
}

// Column of each step: 1 + the longest chain of dependencies before it (the trigger is column
// 0). Cycles (the server refuses them) are cut where found.
export function columns(doc: WorkflowDocument): Map<string, number> {
  const deps = dependencies(doc);
  const col = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = col.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let c = 1;
    for (const d of deps.get(id) ?? []) c = Math.max(c, visit(d.id) + 1);
    visiting.delete(id);
    col.set(id, c);
    return c;
  };
  for (const s of doc.steps) visit(s.id);
  return col;
}

// Where a step without a stored position goes: its column, the next free row in it.
function placeSteps(doc: WorkflowDocument): Map<string, Position> {
  const col = columns(doc);
  const rows = new Map<number, number>();
  const out = new Map<string, Position>();
  for (const step of doc.steps) {
    const c = col.get(step.id) ?? 1;
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    out.set(step.id, { x: c * COLUMN_WIDTH, y: r * ROW_HEIGHT });
  }
  return out;
}

export function defaultTriggerPosition(doc: WorkflowDocument, stepPositions: Map<string, Position>): Position {
  const deps = dependencies(doc);
  const roots = doc.steps.filter((s) => (deps.get(s.id) ?? []).length === 0);
  const pts = roots.map((s) => stepPositions.get(s.id)).filter(isPosition);
  if (pts.length === 0) return { x: 0, y: 0 };
  const minX = Math.min(...pts.map((p) => p.x));
  const ys = pts.map((p) => p.y);
  return { x: minX - COLUMN_WIDTH, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
}

export function workflowToGraph(doc: WorkflowDocument, triggerPosition?: Position): Graph {
  const placed = placeSteps(doc);
  const positions = new Map<string, Position>();
  const nodes: GraphNode[] = [];
  for (const step of doc.steps) {
    const stored = isPosition(step.position);
    const position = stored ? { x: step.position!.x, y: step.position!.y } : placed.get(step.id)!;
    positions.set(step.id, position);
    nodes.push({ id: step.id, type: "step", position, placed: !stored });
  }
  const trigger: GraphNode = {
    id: TRIGGER_NODE_ID,
    type: "trigger",
    position: isPosition(triggerPosition) ? { ...triggerPosition } : defaultTriggerPosition(doc, positions),
    placed: !isPosition(triggerPosition),
  };
  const edges: GraphEdge[] = [];
  const deps = dependencies(doc);
  const ids = new Set(doc.steps.map((s) => s.id));
  const dangling: Graph["dangling"] = [];
  for (const step of doc.steps) {
    const list = deps.get(step.id) ?? [];
    if (list.length === 0) {
      edges.push({ id: `${TRIGGER_NODE_ID}->${step.id}`, source: TRIGGER_NODE_ID, target: step.id, kinds: ["trigger"] });
    }
    for (const d of list) edges.push({ id: `${d.id}->${step.id}`, source: d.id, target: step.id, kinds: d.kinds });
    const targets = [
      ...(step.after ?? []),
      ...[...findRefs(step.inputs ?? {}), ...findRefs(step.if)].filter((r) => r.root === "steps").map((r) => r.step!),
    ];
    for (const t of targets) {
      if (!ids.has(t) && !dangling.some((d) => d.step === step.id && d.target === t)) {
        dangling.push({ step: step.id, target: t });
      }
    }
  }
  return { nodes: [trigger, ...nodes], edges, dangling };
}

export interface GraphToWorkflowResult {
  workflow: WorkflowDocument;
  triggerPosition: Position | undefined;
}

// Writes the nodes' positions back. A step whose node was computed and not moved keeps having
// no position; one whose position did not change keeps its original object. Everything else in
// the document is carried over untouched.
export function graphToWorkflow(
  doc: WorkflowDocument,
  nodes: readonly Pick<GraphNode, "id" | "position" | "placed">[],
): GraphToWorkflowResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const computed = placeSteps(doc);
  let changed = false;
  const steps = doc.steps.map((step) => {
    const node = byId.get(step.id);
    if (!node) return step;
    const p = node.position;
    if (isPosition(step.position)) {
      if (step.position.x === p.x && step.position.y === p.y) return step;
    } else {
      const auto = computed.get(step.id);
      if (node.placed && auto && auto.x === p.x && auto.y === p.y) return step;
    }
    changed = true;
    return { ...step, position: { x: p.x, y: p.y } };
  });
  const t = byId.get(TRIGGER_NODE_ID);
  return {
    workflow: changed ? { ...doc, steps } : doc,
    triggerPosition: t && !t.placed ? { ...t.position } : undefined,
  };
}

// Steps whose output the given step may reference: every step but itself and those that
// (transitively) depend on it — referencing one of those would make a cycle.
export function upstreamCandidates(doc: WorkflowDocument, stepId: string): WorkflowStep[] {
  const deps = dependencies(doc);
  const dependents = new Map<string, string[]>();
  for (const [id, list] of deps) for (const d of list) dependents.set(d.id, [...(dependents.get(d.id) ?? []), id]);
  const downstream = new Set<string>([stepId]);
  const queue = [stepId];
  while (queue.length) {
    const cur = queue.pop()!;
    for (const next of dependents.get(cur) ?? []) {
      if (!downstream.has(next)) {
        downstream.add(next);
        queue.push(next);
      }
    }
  }
  return doc.steps.filter((s) => !downstream.has(s.id));
}
