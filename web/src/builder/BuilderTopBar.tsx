// The builder's top bar: ← Workflows, the name (edited in place, one undo per word typed), the
// saved state, Undo/Redo, Add step, Tidy up, Test run, Save, the workflow's runs and the shortcuts button.
import { canRedo, canUndo, type History } from "../lib/history";
import type { WorkflowDocument } from "../lib/types";
import { TopBar } from "../components/TopBar";
import { navigate } from "../navigation";
import { Link } from "../components/Link";

interface Props {
  name: string;
  onRename: (name: string) => void;
  state: string;
  history: History<WorkflowDocument>;
  onUndo: () => void;
  onRedo: () => void;
  onAddStep: () => void;
  onTidy: () => void;
  onRun: () => void;
  running: boolean;
  onSave: () => void;
  saving: boolean;
  onHelp: () => void;
  // The workflow's run history; none before its first save.
  runsHref?: string;
}

export function BuilderTopBar(p: Props) {
  return (
    <TopBar>
      <a
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigate("/");
        }}
      >
        ← Workflows
      </a>
      <input className="name-input" aria-label="Workflow name" value={p.name} maxLength={200} onChange={(e) => p.onRename(e.target.value)} />
      <span className="muted" aria-live="polite" data-testid="save-state">
        {p.state}
      </span>
      <button type="button" onClick={p.onUndo} disabled={!canUndo(p.history)} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={p.onRedo} disabled={!canRedo(p.history)} title="Redo (Shift+Ctrl+Z)">
        Redo
      </button>
      <button type="button" data-testid="add-step" onClick={p.onAddStep} title="Add step (Tab)">
        Add step
      </button>
      <button type="button" data-testid="tidy-up" onClick={p.onTidy} title="Tidy up: lay out every node (Shift+L)">
        Tidy up
      </button>
      <button type="button" data-testid="run-button" onClick={p.onRun} disabled={p.running || p.saving} title="Test run (Ctrl+Enter)">
        {p.running ? "Running…" : "Test run"}
      </button>
      <button type="button" className="primary" data-testid="save-button" onClick={p.onSave} disabled={p.saving} title="Save (Ctrl+S)">
        Save
      </button>
      {p.runsHref ? (
        <Link href={p.runsHref} data-testid="workflow-runs">
          Runs
        </Link>
      ) : null}
      <button type="button" className="quiet" onClick={p.onHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
        ?
      </button>
    </TopBar>
  );
}
