// Edits of a workflow document, each returning a new document (the old one is never changed, so
// undo/redo can keep both): add a step after another, remove one, connect and disconnect
// `after` edges, set the trigger, change one field of a step.
import type { TriggerType, WorkflowDocument, WorkflowStep } from "./types";
import { TRIGGER_NODE_ID, COLUMN_WIDTH, ROW_HEIGHT } from "./graph";
import { setAt, type PathToken } from "./jsonPointer";

// A step id from an action key ("slack.sendMessage" → "sendMessage", then "sendMessage_2", …),
// always a valid id ([A-Za-z_][A-Za-z0-9_-]{0,63}) not used in `doc`.
export function nextStepId(doc: WorkflowDocument, actionKey: string): string {
  const tail = actionKey.includes(".") ? actionKey.slice(actionKey.lastIndexOf(".") + 1) : actionKey;
  let base = tail.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56);
  if (!/^[A-Za-z_]/.test(base)) base = "step_" + base;
  base = base.slice(0, 56);
  const used = new Set(doc.steps.map((s) => s.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}_${n}`;
    if (!used.has(id)) return id;
  }
}

export interface AddStepResult {
  workflow: WorkflowDocument;
  stepId: string;
}

// Adds a step running `actionKey` after the step `afterId` (or first, after the trigger, when
// afterId is null or the trigger). It goes to the right of that step, below the steps already
// there; it is inserted in the array right after its predecessor.
export function addStepAfter(
  doc: WorkflowDocument,
  afterId: string | null,
  actionKey: string,
  positionOf: (id: string) => { x: number; y: number } | undefined = () => undefined,
): AddStepResult {
  const id = nextStepId(doc, actionKey);
  const prev = afterId && afterId !== TRIGGER_NODE_ID ? doc.steps.find((s) => s.id === afterId) : undefined;
  const anchor = positionOf(prev ? prev.id : TRIGGER_NODE_ID) ?? { x: 0, y: 0 };
  const x = anchor.x + COLUMN_WIDTH;
  let y = anchor.y;
  const taken = doc.steps.map((s) => positionOf(s.id)).filter(Boolean) as { x: number; y: number }[];
  while (taken.some((p) => Math.abs(p.x - x) < COLUMN_WIDTH / 2 && Math.abs(p.y - y) < ROW_HEIGHT / 2)) y += ROW_HEIGHT;
  const step: WorkflowStep = { id, action: actionKey, inputs: {}, position: { x, y } };
  if (prev) step.after = [prev.id];
  const steps = [...doc.steps];
  const at = prev ? steps.indexOf(prev) + 1 : 0;
  steps.splice(at, 0, step);
  return { workflow: { ...doc, steps }, stepId: id };
}

// Removes steps and every `after` entry naming them. Templates that referenced them stay as
// written (they no longer resolve and are shown so); nothing else is rewritten behind the user.
export function removeSteps(doc: WorkflowDocument, ids: readonly string[]): WorkflowDocument {
  const gone = new Set(ids);
  if (!doc.steps.some((s) => gone.has(s.id))) return doc;
  const steps = doc.steps
    .filter((s) => !gone.has(s.id))
    .map((s) => {
      if (!s.after?.some((a) => gone.has(a))) return s;
      const after = s.after.filter((a) => !gone.has(a));
      const next: WorkflowStep = { ...s, after };
      if (after.length === 0) delete next.after;
      return next;
    });
  return { ...doc, steps };
}

// Drag to connect: target runs after source. From the trigger it is a no-op (every step
// without dependencies runs first anyway); an existing or self edge changes nothing.
export function connect(doc: WorkflowDocument, source: string, target: string): WorkflowDocument {
  if (source === target || source === TRIGGER_NODE_ID) return doc;
  if (!doc.steps.some((s) => s.id === source)) return doc;
  const i = doc.steps.findIndex((s) => s.id === target);
  if (i < 0) return doc;
  const step = doc.steps[i]!;
  if (step.after?.includes(source)) return doc;
  const steps = [...doc.steps];
  steps[i] = { ...step, after: [...(step.after ?? []), source] };
  return { ...doc, steps };
}

// Removes the `after` entry of an edge. A template reference cannot be cut here (it is in a
// field's text); the result says so, and the inspector shows where.
export function disconnect(
  doc: WorkflowDocument,
  source: string,
  target: string,
): { workflow: WorkflowDocument; removed: boolean } {
  const i = doc.steps.findIndex((s) => s.id === target);
  const step = doc.steps[i];
  if (!step || !step.after?.includes(source)) return { workflow: doc, removed: false };
  const after = step.after.filter((a) => a !== source);
  const next: WorkflowStep = { ...step, after };
  if (after.length === 0) delete next.after;
  const steps = [...doc.steps];
  steps[i] = next;
  return { workflow: { ...doc, steps }, removed: true };
}

// Sets one field of one step ("inputs", "channel" → steps[i].inputs.channel); undefined removes it.
export function setStepField(
  doc: WorkflowDocument,
  stepId: string,
  path: readonly PathToken[],
  value: unknown,
): WorkflowDocument {
  const i = doc.steps.findIndex((s) => s.id === stepId);
  if (i < 0 || path.length === 0) return doc;
  const steps = [...doc.steps];
  steps[i] = setAt(doc.steps[i], path, value) as WorkflowStep;
  return { ...doc, steps };
}

export function setTriggerType(doc: WorkflowDocument, type: TriggerType): WorkflowDocument {
  const trigger = { ...(doc.trigger ?? {}), type };
  if (type !== "schedule") {
    delete trigger.cron;
    delete trigger.timezone;
  }
  return { ...doc, trigger };
}
