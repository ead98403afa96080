// The inspector of the trigger: its type (manual, webhook, schedule with cron and timezone)
// as undoable edits, and the test run's trigger input (JSON, remembered per workflow).
import { useId } from "react";
import { setTriggerType } from "../../lib/edits";
import { messagesFor, type ProblemMap } from "../../lib/errors";
import { TRIGGER_NODE_ID } from "../../lib/graph";
import { parseRunInput } from "../../lib/drafts";
import type { RecordOptions } from "../../lib/history";
import type { TriggerType, WorkflowDocument } from "../../lib/types";

interface Props {
  doc: WorkflowDocument;
  problems: ProblemMap | null;
  runInput: string;
  onRunInput: (text: string) => void;
  onEdit: (doc: WorkflowDocument, opts?: RecordOptions) => void;
}

export function TriggerInspector({ doc, problems, runInput, onRunInput, onEdit }: Props) {
  const id = useId();
  const type = doc.trigger?.type ?? "manual";
  const parsed = parseRunInput(runInput);
  const msgs = (f: string) => (problems ? messagesFor(problems, TRIGGER_NODE_ID, f, true) : []);
  const setText = (key: "cron" | "timezone", v: string) => {
    const trigger = { ...(doc.trigger ?? {}), [key]: v };
    if (v === "") delete trigger[key];
    onEdit({ ...doc, trigger }, { key: `trigger:${key}` });
  };
  return (
    <aside className="inspector" aria-label="Inspector: trigger" data-undo="workflow">
      <header className="inspector-head">
        <div className="node-title">Trigger</div>
      </header>
      <div className="inspector-body stack">
        <div className="field">
          <label htmlFor={`${id}-type`}>Starts</label>
          <select id={`${id}-type`} data-testid="field-trigger.type" value={type} onChange={(e) => onEdit(setTriggerType(doc, e.target.value as TriggerType))}>
            <option value="manual">Manually (builder, API, CLI)</option>
            <option value="webhook">On a webhook request</option>
            <option value="schedule">On a schedule</option>
          </select>
        </div>
        {type === "schedule" ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-cron`}>Cron<span className="required" aria-label="required"> *</span></label>
              <input id={`${id}-cron`} data-testid="field-trigger.cron" value={doc.trigger?.cron ?? ""} placeholder="0 9 * * 1-5" onChange={(e) => setText("cron", e.target.value)} />
              {msgs("cron").map((m, i) => <p key={i} className="field-error" role="alert">{m}</p>)}
            </div>
            <div className="field">
              <label htmlFor={`${id}-tz`}>Timezone</label>
              <input id={`${id}-tz`} data-testid="field-trigger.timezone" value={doc.trigger?.timezone ?? ""} placeholder="UTC" onChange={(e) => setText("timezone", e.target.value)} />
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-input`}>Test run input (JSON)</label>
          <textarea
            id={`${id}-input`}
            data-testid="run-input"
            rows={8}
            spellCheck={false}
            value={runInput}
            aria-invalid={parsed.ok ? undefined : true}
            aria-describedby={`${id}-input-help`}
            onChange={(e) => onRunInput(e.target.value)}
          />
          <p id={`${id}-input-help`} className={parsed.ok ? "field-help" : "field-error"} role={parsed.ok ? undefined : "alert"}>
            {parsed.ok ? "What Test run sends as the trigger's input; steps read it as {{trigger.…}}." : parsed.error}
          </p>
        </div>
      </div>
    </aside>
  );
}
