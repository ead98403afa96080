// The builder: top bar (name, saved state, Undo/Redo, Add step, Test run, Save), the canvas,
// the inspector of the selected node, the problems of the last save and the run panel. Every
// edit goes through one undo history; unsaved edits are kept in local storage.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, type WorkflowRecord } from "../api";
import { BUILTIN_TRIGGERS, chooserItems, indexCatalog, type ChooserItem } from "../lib/catalog";
import { clearDraft, loadRunInput, parseRunInput, saveRunInput } from "../lib/drafts";
import { addStepAfter, setTriggerType } from "../lib/edits";
import { copySteps, parseClipboard, pasteSteps } from "../lib/clipboard";
import { tidyUp } from "../lib/layout";
import { firstProblemNode, mapProblems, type ProblemMap } from "../lib/errors";
import { TRIGGER_NODE_ID, workflowToGraph } from "../lib/graph";
import { outputsOf } from "../lib/runs";
import type { Catalog, WorkflowDocument } from "../lib/types";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate } from "../navigation";
import { AddStepChooser } from "./AddStepChooser";
import { BuilderTopBar } from "./BuilderTopBar";
import { Canvas } from "./Canvas";
import { ProblemsPanel } from "./ProblemsPanel";
import { DraftNotice } from "./DraftNotice";
import { ShortcutsDialog } from "./ShortcutsDialog";
import { Inspector } from "./inspector/Inspector";
import { TriggerInspector } from "./inspector/TriggerInspector";
import { RunPanel } from "./run/RunPanel";
import { useTestRun } from "./run/useTestRun";
import { useWorkflowHistory } from "./useWorkflowHistory";
import { useTriggerPosition } from "./useTriggerPosition";
import { useCredentials } from "./useCredentials";
import { readDraft, useDraftStorage, useRunInput } from "./useDraft";
import { useBuilderKeys } from "./useBuilderKeys";

interface Props {
  catalog: Catalog;
  id: string | null;
  initial: WorkflowDocument;
  version?: number;
}

export function Builder({ catalog, id, initial, version }: Props) {
  const [draft] = useState(() => readDraft(id, initial));
  const [draftShown, setDraftShown] = useState(draft !== null);
  const { history, doc, edit, undo, redo } = useWorkflowHistory(initial, draft?.doc);
  const [saved, setSaved] = useState<WorkflowDocument>(initial);
  const [selected, setSelected] = useState<string | null>(null);
  const [selection, setSelectionState] = useState<string[]>([]);
  // The last steps copied, for when the system clipboard cannot be read (no permission, no API).
  const copied = useRef<string | null>(null);
  const latest = useRef(doc);
  latest.current = doc;
  const [choosing, setChoosing] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<ProblemMap | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [runOpen, setRunOpen] = useState(false);
  const [triggerPosition, setTriggerPosition] = useTriggerPosition(id);
  const [runInput, setRunInput] = useRunInput(id, loadRunInput, saveRunInput);
  const creds = useCredentials();
  const run = useTestRun();
  const index = useMemo(() => indexCatalog(catalog), [catalog]);
  const items = useMemo(() => chooserItems(catalog, BUILTIN_TRIGGERS), [catalog]);
  const outputs = useMemo(() => outputsOf(run.view), [run.view]);
  const triggerSample = useMemo(() => {
    const p = parseRunInput(runInput);
    return p.ok ? p.value : undefined;
  }, [runInput]);
  const dirty = doc !== saved;
  useDraftStorage(id, doc, saved, version);

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

  // Keeps the same array while the ids are the same (xyflow reports a selection on every redraw).
  const setSelection = useCallback(
    (ids: string[]) => setSelectionState((old) => (old.length === ids.length && old.every((id, i) => id === ids[i]) ? old : ids)),
    [],
  );

  const copy = useCallback((): boolean => {
    const ids = selection.length > 0 ? selection : selected ? [selected] : [];
    const text = copySteps(doc, ids);
    if (!text) return false;
    copied.current = text;
    void navigator.clipboard?.writeText(text).catch(() => undefined);
    return true;
  }, [doc, selection, selected]);

  const paste = useCallback(async () => {
    let text = copied.current;
    if (navigator.clipboard?.readText) {
      try {
        text = await navigator.clipboard.readText();
      } catch {
        // not allowed to read it: the steps copied here are still there
      }
    }
    const steps = text ? parseClipboard(text) : null;
    if (!steps) return;
    const current = latest.current;
    const graph = workflowToGraph(current, triggerPosition);
    const at = new Map(graph.nodes.map((n) => [n.id, n.position]));
    const { workflow, ids } = pasteSteps(current, steps, selected, (nid) => at.get(nid));
    edit(workflow);
    setSelection(ids);
    setSelected(ids.length === 1 ? ids[0]! : null);
  }, [edit, selected, triggerPosition, setSelection]);

  const tidy = useCallback(() => {
    const next = tidyUp(doc, triggerPosition);
    if (next !== doc) edit(next);
  }, [doc, edit, triggerPosition]);

  // Saves the document; the record on success, null when the server refused it (shown).
  const save = useCallback(async (): Promise<WorkflowRecord | null> => {
    setSaving(true);
    setSaveError(null);
    try {
      const out = id ? await api.updateWorkflow(id, doc) : await api.createWorkflow(doc);
      setSaved(doc);
      setProblems(null);
      clearDraft(id);
      setDraftShown(false);
      return out;
    } catch (e) {
      if (e instanceof ApiError && e.code === "workflow_invalid") {
        const map = mapProblems(doc, e);
        setProblems(map);
        const first = firstProblemNode(doc, map);
        if (first) setSelected(first);
      } else {
        setSaveError(e);
      }
      return null;
    } finally {
      setSaving(false);
    }
  }, [doc, id]);

  const saveAndGo = useCallback(async () => {
    const out = await save();
    if (out && !id) navigate(`/workflows/${out.id}`, true);
  }, [save, id]);

  const testRun = useCallback(async () => {
    const input = parseRunInput(runInput);
    setRunOpen(true);
    if (!input.ok) {
      setSelected(TRIGGER_NODE_ID);
      run.fail(new Error(input.error));
      return;
    }
    let wfId = id;
    if (dirty || !id) {
      const out = await save();
      if (!out) {
        run.fail(new Error("The workflow could not be saved; fix the problems, then run it."));
        return;
      }
      wfId = out.id;
    }
    try {
      const { runId } = await api.startRun(wfId!, input.value);
      if (!id) {
        saveRunInput(wfId, runInput);
        navigate(`/workflows/${wfId}?run=${encodeURIComponent(runId)}`, true);
        return;
      }
      navigate(`/workflows/${id}?run=${encodeURIComponent(runId)}`, true);
      run.follow(runId);
    } catch (e) {
      run.fail(e);
    }
  }, [runInput, id, dirty, save, run]);

  useEffect(() => {
    const r = new URLSearchParams(location.search).get("run");
    if (r && id) {
      setRunOpen(true);
      run.follow(r);
    } else if (id) {
      // Each node shows its step's status in the workflow's last run (the panel stays closed).
      api.listRuns({ workflowId: id }, null, 1).then(
        (page) => {
          if (page.runs[0]) run.follow(page.runs[0].id);
        },
        () => {},
      );
    }
    // Only the run named by the URL the builder opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const keys = useMemo(
    () => ({
      save: () => void saveAndGo(),
      run: () => void testRun(),
      undo,
      redo,
      addStep: () => setChoosing(true),
      help: () => setHelpOpen(true),
      copy,
      paste: () => void paste(),
      tidy,
      blocked: choosing || helpOpen,
    }),
    [saveAndGo, testRun, undo, redo, copy, paste, tidy, choosing, helpOpen],
  );
  useBuilderKeys(keys);

  const step = selected && selected !== TRIGGER_NODE_ID ? doc.steps.find((s) => s.id === selected) : undefined;
  const running = run.view !== null && !["succeeded", "failed", "cancelled"].includes(run.view.run.status);
  return (
    <div className="builder">
      <BuilderTopBar
        name={doc.name}
        onRename={(name) => edit({ ...doc, name }, { key: "name" })}
        state={saving ? "Saving…" : dirty ? "Unsaved changes" : "Saved"}
        history={history}
        onUndo={undo}
        onRedo={redo}
        onAddStep={() => setChoosing(true)}
        onTidy={tidy}
        onRun={() => void testRun()}
        running={running}
        onSave={() => void saveAndGo()}
        saving={saving}
        onHelp={() => setHelpOpen(true)}
        runsHref={id ? `/runs?workflowId=${encodeURIComponent(id)}` : undefined}
      />
      <ErrorBanner error={saveError} />
      {draftShown && draft ? (
        <DraftNotice
          draft={draft}
          version={version}
          onDiscard={() => {
            edit(initial);
            setDraftShown(false);
          }}
          onDismiss={() => setDraftShown(false)}
        />
      ) : null}
      <div className="builder-body">
        <Canvas
          doc={doc}
          index={index}
          problems={problems}
          selected={selected}
          selection={selection}
          runView={run.view}
          triggerPosition={triggerPosition}
          onSelect={setSelected}
          onSelectionChange={setSelection}
          onEdit={edit}
          onTriggerMoved={setTriggerPosition}
        />
        {problems ? <ProblemsPanel map={problems} onSelect={setSelected} /> : null}
        {step ? (
          <Inspector
            key={step.id}
            doc={doc}
            stepId={step.id}
            index={index}
            problems={problems}
            outputs={outputs}
            runStep={run.view?.steps.find((s) => s.id === step.id)}
            triggerSample={triggerSample}
            credentials={creds.credentials}
            credentialsError={creds.error}
            onCredentialCreated={creds.add}
            onEdit={edit}
          />
        ) : selected === TRIGGER_NODE_ID ? (
          <TriggerInspector doc={doc} problems={problems} runInput={runInput} onRunInput={setRunInput} onEdit={edit} />
        ) : (
          // Always there, so selecting a node never narrows the canvas under the pointer.
          <aside className="inspector" aria-label="Inspector">
            <p className="muted inspector-body">Select a step to edit its inputs and settings, or the trigger to set the test run's input.</p>
          </aside>
        )}
      </div>
      {runOpen ? <RunPanel view={run.view} error={run.error} stepIds={doc.steps.map((s) => s.id)} onClose={() => setRunOpen(false)} /> : null}
      {doc.steps.length === 0 ? (
        <p className="canvas-hint">
          No steps yet — <button type="button" className="link" onClick={() => setChoosing(true)}>Add step</button> (or press Tab).
        </p>
      ) : null}
      {choosing ? <AddStepChooser items={items} onPick={pick} onClose={() => setChoosing(false)} /> : null}
      {helpOpen ? <ShortcutsDialog onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
