// The Settings tab: `if` (a template), `after` (the steps this one waits for, from those it may
// follow), `retry {maxAttempts, backoffMs}` and `timeoutMs`. Each change is an undoable edit.
import type { WorkflowStep } from "../../lib/types";
import { useFormEnv } from "./formEnv";
import { TemplateInput } from "./TemplateInput";
import { NumberSetting } from "./NumberSetting";

interface Props {
  step: WorkflowStep;
  // Steps this one may run after (no cycles).
  candidates: string[];
}

export function StepSettings({ step, candidates }: Props) {
  const env = useFormEnv();
  const after = step.after ?? [];
  const ifText = typeof step.if === "string" ? step.if : step.if === undefined ? "" : JSON.stringify(step.if);
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`if-${step.id}`}>Run only if</label>
        <TemplateInput
          id={`if-${step.id}`}
          testId="field-if"
          value={ifText}
          ctx={env.ctx}
          placeholder="{{steps.fetch.output.ok}}"
          invalid={env.messages("if", true).length > 0}
          onChange={(t) => env.set(["if"], t === "" ? undefined : t)}
        />
        <p className="field-help">A template; the step is skipped when it is false, null, 0 or empty.</p>
        {env.messages("if", true).map((m, i) => (
          <p key={i} className="field-error" role="alert">{m}</p>
        ))}
      </div>
      <fieldset className="field-group" data-testid="field-after">
        <legend>Run after</legend>
        {candidates.length === 0 ? <p className="muted">No earlier step to wait for.</p> : null}
        {candidates.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              data-testid={`field-after-${c}`}
              checked={after.includes(c)}
              onChange={(e) => {
                const next = e.target.checked ? [...after, c] : after.filter((a) => a !== c);
                env.set(["after"], next.length ? next : undefined);
              }}
            />
            <code>{c}</code>
          </label>
        ))}
        {env.messages("after", true).map((m, i) => (
          <p key={i} className="field-error" role="alert">{m}</p>
        ))}
      </fieldset>
      <NumberSetting label="Attempts" field="retry.maxAttempts" path={["retry", "maxAttempts"]} value={step.retry?.maxAttempts} min={1} help="How many times to try the step in all (1 = no retry)." />
      <NumberSetting label="Backoff (ms)" field="retry.backoffMs" path={["retry", "backoffMs"]} value={step.retry?.backoffMs} min={0} help="Wait before the first retry; doubles after each." />
      <NumberSetting label="Timeout (ms)" field="timeoutMs" path={["timeoutMs"]} value={step.timeoutMs} min={1} help="Stop an attempt that takes longer." />
    </div>
  );
}
