// Server errors → where they belong on the canvas. workflow_invalid carries details
// [{step?, field?, message}] (engine/workflow.cpp invalid_workflow): `step` is a step id, or
// "steps[N]" when the step's id itself is unusable; `field` is "inputs.text", "after[0]",
// "trigger.cron", "steps[3].id"… A detail may instead carry a JSON pointer of the document
// ("/steps/2/inputs/text", {"pointer": …}); both land on the same node and field.
import type { WorkflowDocument } from "./types";
import { formatField, parsePointer } from "./jsonPointer";
import { TRIGGER_NODE_ID } from "./graph";

export interface PlacedProblem {
  // A step id, TRIGGER_NODE_ID, or null for the workflow itself (its name, `output`, …).
  node: string | null;
  // The field inside that node in the engine's spelling ("inputs.text", "after[0]", "cron"
  // for the trigger); "" for the node as a whole.
  field: string;
  message: string;
}

export interface ProblemMap {
  problems: PlacedProblem[];
  byNode: Map<string, PlacedProblem[]>;
  workflow: PlacedProblem[];
}

const STEP_INDEX = /^steps\[(\d+)\](?:\.(.*))?$/;

function stepIdAt(doc: WorkflowDocument | undefined, index: number): string {
  return doc?.steps[index]?.id ?? `steps[${index}]`;
}

function placePointer(doc: WorkflowDocument | undefined, pointer: string, message: string): PlacedProblem {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return { node: null, field: "", message };
  }
  const [head, ...rest] = tokens;
  if (head === "steps" && rest.length > 0 && /^\d+$/.test(rest[0]!)) {
    return { node: stepIdAt(doc, Number(rest[0])), field: formatField(rest.slice(1)), message };
  }
  if (head === "trigger") return { node: TRIGGER_NODE_ID, field: formatField(rest), message };
  return { node: null, field: formatField(tokens), message };
}

// One detail of the error; anything that is not an object with a message is ignored.
export function placeDetail(doc: WorkflowDocument | undefined, detail: unknown): PlacedProblem | null {
  if (detail === null || typeof detail !== "object") return null;
  const d = detail as Record<string, unknown>;
  const message = typeof d.message === "string" ? d.message : "";
  if (!message) return null;
  if (typeof d.pointer === "string") return placePointer(doc, d.pointer, message);
  const step = typeof d.step === "string" ? d.step : "";
  const field = typeof d.field === "string" ? d.field : "";
  if (step) {
    const m = STEP_INDEX.exec(step);
    if (m && !doc?.steps.some((s) => s.id === step)) return { node: stepIdAt(doc, Number(m[1])), field, message };
    return { node: step, field, message };
  }
  const m = STEP_INDEX.exec(field);
  if (m) return { node: stepIdAt(doc, Number(m[1])), field: m[2] ?? "", message };
  if (field === "trigger" || field.startsWith("trigger.")) {
    return { node: TRIGGER_NODE_ID, field: field.slice("trigger.".length), message };
  }
  return { node: null, field, message };
}

// The error's details placed on nodes. An error with no usable details (a network error, a 500)
// gives one workflow-level problem with its message, so nothing is ever dropped silently.
export function mapProblems(doc: WorkflowDocument | undefined, error: { message: string; details?: unknown }): ProblemMap {
  const problems: PlacedProblem[] = [];
  if (Array.isArray(error.details)) {
    for (const d of error.details) {
      const p = placeDetail(doc, d);
      if (p) problems.push(p);
    }
  } else {
    const p = placeDetail(doc, error.details);
    if (p) problems.push(p);
  }
  if (problems.length === 0) problems.push({ node: null, field: "", message: error.message });
  const byNode = new Map<string, PlacedProblem[]>();
  const workflow: PlacedProblem[] = [];
  for (const p of problems) {
    if (p.node === null) workflow.push(p);
    else byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
  }
  return { problems, byNode, workflow };
}

// The messages for one field of a node: exactly that field, or (deep) anything below it —
// "inputs.headers" collects "inputs.headers.a" when the form has no row for "a".
export function messagesFor(map: ProblemMap, node: string, field: string, deep = false): string[] {
  return (map.byNode.get(node) ?? [])
    .filter(
      (p) =>
        p.field === field || (deep && (p.field.startsWith(field + ".") || p.field.startsWith(field + "["))),
    )
    .map((p) => p.message);
}

// The node to scroll to first: the trigger, then steps in the document's order.
export function firstProblemNode(doc: WorkflowDocument, map: ProblemMap): string | null {
  if (map.byNode.has(TRIGGER_NODE_ID)) return TRIGGER_NODE_ID;
  for (const s of doc.steps) if (map.byNode.has(s.id)) return s.id;
  const other = map.byNode.keys().next();
  return other.done ? null : other.value;
}
