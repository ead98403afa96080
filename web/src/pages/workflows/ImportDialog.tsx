// Import a workflow: paste its JSON or choose a file, POST /api/workflows, then open it. Errors
// in words: not JSON, not a workflow, or the server's problems with step and field.
import { useEffect, useId, useRef, useState } from "react";
import { api, type WorkflowRecord } from "../../api";
import { parseWorkflowJson } from "../../lib/workflowFile";
import { problemLines } from "./problemLines";

interface Props {
  onClose: () => void;
  onImported: (w: WorkflowRecord) => void;
}

export function ImportDialog({ onClose, onImported }: Props) {
  const id = useId();
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);

  const submit = async () => {
    const parsed = parseWorkflowJson(text);
    if (!parsed.ok) {
      setErrors([parsed.message]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      onImported(await api.createWorkflow(parsed.doc));
    } catch (e) {
      setErrors(problemLines(parsed.doc, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="import-dialog"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
        }}
      >
        <h2 id={`${id}-title`}>Import a workflow</h2>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-text`}>Workflow JSON</label>
            <textarea ref={area} id={`${id}-text`} data-testid="import-text" rows={12} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-file`}>Or a file</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".json,application/json"
              data-testid="import-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                f.text().then(setText, (err: unknown) => setErrors([`Could not read ${f.name}: ${String(err)}`]));
              }}
            />
          </div>
          {errors.map((m, i) => (
            <p key={i} className="field-error" role="alert">{m}</p>
          ))}
          <div className="row">
            <button type="submit" className="primary" data-testid="import-submit" disabled={busy}>
              {busy ? "Importing…" : "Import"}
            </button>
            <button type="button" onClick={onClose}>Cancel</button>
          </div>
        </form>
      </div>
    </div>
  );
}
