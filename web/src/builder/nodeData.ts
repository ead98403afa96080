// What the canvas's node components receive in `data`.
import type { StepChrome } from "../lib/catalog";
import type { PlacedProblem } from "../lib/errors";
import type { NodeStatus } from "../lib/runs";

export interface StepNodeData extends Record<string, unknown> {
  stepId: string;
  chrome: StepChrome;
  problems: PlacedProblem[];
  // The last run's status of this step.
  status: NodeStatus;
}

export interface TriggerNodeData extends Record<string, unknown> {
  triggerType: string;
  problems: PlacedProblem[];
}
