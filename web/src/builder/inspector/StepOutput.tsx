// The inspector's Output tab: this step's output in the last run (virtualised) and what its
// action's outputSchema declares.
import type { StepRun } from "../../lib/runs";
import type { JsonSchema } from "../../lib/types";
import { JsonViewer } from "../../components/JsonViewer";

interface Props {
  stepId: string;
  runStep: StepRun | undefined;
  outputSchema: JsonSchema | undefined;
}

export function StepOutput({ stepId, runStep, outputSchema }: Props) {
  return (
    <div className="stack">
      <h3>Last run</h3>
      {runStep ? (
        <JsonViewer value={runStep.output} label={`Output of ${stepId}`} testId={`inspector-output-${stepId}`} />
      ) : (
        <p className="muted">No run yet — use Test run to see what this step gives.</p>
      )}
      <h3>Output schema</h3>
      {outputSchema && Object.keys(outputSchema).length > 0 ? (
        <JsonViewer value={outputSchema} label={`Output schema of ${stepId}`} />
      ) : (
        <p className="muted">The action does not declare its output.</p>
      )}
    </div>
  );
}
