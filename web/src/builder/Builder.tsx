// The builder: top bar (name, saved state, Undo/Redo, Add step, Save), the canvas and the
// problems of the last save. Every edit goes through one undo history.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ApiError } from "../api";
import { BUILTIN_TRIGGERS, chooserItems, indexCatalog, type ChooserItem } from "../lib/catalog";
import { addStepAfter, setTriggerType } from "../lib/edits";
import { firstProblemNode, mapProblems, type ProblemMap } from "../lib/errors";
import { TRIGGER_NODE_ID, workflowToGraph } from "../lib/graph";
import { canRedo, canUndo } from "../lib/history";
import type { Catalog, WorkflowDocument } from "../lib/types";
import { TopBar } from "../components/TopBar";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate } from "../navigation";
import { AddStepChooser } from "./AddStepChooser";
import { Canvas } from "./Canvas";
import { ProblemsPanel } from "./ProblemsPanel";
import { useWorkflowHistory } from "./useWorkflowHistory";
import { useTriggerPosition } from "./useTriggerPosition";

interface Props {
  catalog: Catalog;
  id: string | null;
  initial: WorkflowDocument;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function Builder({ catalog, id, initial }: Props) {
  const { history, doc, edit, undo, redo } = useWorkflowHistory(initial);
  const [saved, setSaved] = useState<WorkflowDocument>(initial);
  const [selected, setSelected] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<ProblemMap | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [triggerPosition, setTriggerPosition] = useTriggerPosition(id);
  const index = useMemo(() => indexCatalog(catalog), [catalog]);
  const items = useMemo(() => chooserItems(catalog, BUILTIN_TRIGGERS), [catalog]);
  const dirty = doc !== saved;

  const pick = useCallback(
    (item: ChooserItem) => {
      setChoosing(false);
      if (item.triggerType) {
        edit(setTriggerType(doc, item.triggerType));
        setSelected(TRIGGER_NODE_ID);
        return;
      }
      const graph = workflowToGraph(doc, triggerPosition);
      const at = new Map(graph.nodes.map((n) => [n.id, n.position]));
      const { workflow, stepId } = addStepAfter(doc, selected, item.actionKey!, (nid) => at.get(nid));
      edit(workflow);
      setSelected(stepId);
    },
    [doc, edit, selected, triggerPosition],
  );

  const save = useCallback(async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const out = id ? await api.updateWorkflow(id, doc) : await api.createWorkflow(doc);
      setSaved(doc);
      setProblems(null);
      if (!id) navigate(`/workflows/${out.id}`, true);
    } catch (e) {
      if (e instanceof ApiError && e.code === "workflow_invalid") {
        const map = mapProblems(doc, e);
        setProblems(map);
        const first = firstProblemNode(doc, map);
        if (first) setSelected(first);
      } else {
        setSaveError(e);
      }
    } finally {
      setSaving(false);
    }
  }, [doc, id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
      } else if (isTyping(e.target) || choosing) {
        return;
      } else if (mod && e.key.toLowerCase() === "z") {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && e.key.toLowerCase() === "y") {
        e.preventDefault();
        redo();
      } else if (e.key === "Tab" && !mod) {
        e.preventDefault();
        setChoosing(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, undo, redo, choosing]);

  return (
    <div className="builder">
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
        <input
          className="name-input"
          aria-label="Workflow name"
          value={doc.name}
          maxLength={200}
          onChange={(e) => edit({ ...doc, name: e.target.value }, { key: "name" })}
        />
        <span className="muted" aria-live="polite">
          {saving ? "Saving…" : dirty ? "Unsaved changes" : "Saved"}
        </span>
        <button type="button" onClick={undo} disabled={!canUndo(history)} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={!canRedo(history)} title="Redo (Shift+Ctrl+Z)">
          Redo
        </button>
        <button type="button" onClick={() => setChoosing(true)} title="Add step (Tab)">
          Add step
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={saving} title="Save (Ctrl+S)">
          Save
        </button>
      </TopBar>
      <ErrorBanner error={saveError} />
      <div className="builder-body">
        <Canvas
          doc={doc}
          index={index}
          problems={problems}
          selected={selected}
          triggerPosition={triggerPosition}
          onSelect={setSelected}
          onEdit={edit}
          onTriggerMoved={setTriggerPosition}
        />
        {problems ? <ProblemsPanel map={problems} onSelect={setSelected} /> : null}
      </div>
      {doc.steps.length === 0 ? (
        <p className="canvas-hint">
          No steps yet — <button type="button" className="link" onClick={() => setChoosing(true)}>Add step</button> (or press Tab).
        </p>
      ) : null}
      {choosing ? <AddStepChooser items={items} onPick={pick} onClose={() => setChoosing(false)} /> : null}
    </div>
  );
}
