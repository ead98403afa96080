// Earlier steps' outputs and the trigger's input as trees of paths (from outputSchemas and the
// last run); a click on an entry inserts its {{template}} at the cursor of the last focused
// field. mousedown is prevented so the field keeps its focus and selection.
import { useState } from "react";
import type { DataGroup } from "../../lib/stepContext";
import { useFieldFocus } from "./fieldFocus";

export function DataPanel({ groups }: { groups: DataGroup[] }) {
  const focus = useFieldFocus();
  const [hint, setHint] = useState(false);
  return (
    <section className="data-panel" aria-label="Data from earlier steps">
      <h3>Data</h3>
      <p className="field-help">Click a field to insert it where the cursor is.</p>
      {hint ? <p className="field-note" role="status">Click into a field first, then pick the data to insert.</p> : null}
      {groups.map((g) => (
        <div key={g.id} className="data-group" role="group" aria-label={g.title}>
          <div className="data-group-title">{g.title}</div>
          <ul role="tree" aria-label={g.title}>
            {g.rows.map((r) => (
              <li key={r.expression} role="treeitem" aria-level={r.depth + 1} aria-selected={false}>
                <button
                  type="button"
                  className={`data-entry depth-${Math.min(r.depth, 6)}${r.source === "sample" ? " sample" : ""}`}
                  data-testid={`data-${r.expression}`}
                  title={`Insert {{${r.expression}}}`}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    const f = focus.get();
                    if (!f) {
                      setHint(true);
                      return;
                    }
                    setHint(false);
                    f.insert(r.expression);
                  }}
                >
                  <span className="data-label">{r.label}</span>
                  {r.type ? <span className="muted"> {r.type}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
