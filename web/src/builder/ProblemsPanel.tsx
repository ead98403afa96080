// Save's problems in words, each naming its step and field; a click selects the node.
import type { ProblemMap } from "../lib/errors";
import { TRIGGER_NODE_ID } from "../lib/graph";

export function ProblemsPanel({ map, onSelect }: { map: ProblemMap; onSelect: (node: string) => void }) {
  return (
    <section className="problems" aria-label="Problems">
      <h2>Problems ({map.problems.length})</h2>
      <ul>
        {map.problems.map((p, i) => (
          <li key={i}>
            {p.node ? (
              <button type="button" className="link" onClick={() => onSelect(p.node!)}>
                {p.node === TRIGGER_NODE_ID ? "Trigger" : p.node}
              </button>
            ) : (
              <span>Workflow</span>
            )}
            {p.field ? <code>{p.field}</code> : null}
            <span>{p.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
