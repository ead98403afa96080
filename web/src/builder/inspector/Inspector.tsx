// The inspector of the selected step: its action's chrome, then tabs — Parameters (the form
// from inputSchema via lib/schemaForm.ts, the credential picker, the data panel), Settings (if,
// after, retry, timeout) and Output (the last run's output and the outputSchema). Every change
// is an edit of the workflow document through the one undo history; typing in one field is
// coalesced into one undo entry.
import { useMemo, useRef, useState } from "react";
import { stepChrome, type CatalogIndex } from "../../lib/catalog";
import type { CredentialInfo } from "../../lib/credentials";
import { setStepField } from "../../lib/edits";
import { messagesFor, type ProblemMap } from "../../lib/errors";
import { upstreamCandidates } from "../../lib/graph";
import { formatField } from "../../lib/jsonPointer";
import type { StepRun } from "../../lib/runs";
import { schemaToForm } from "../../lib/schemaForm";
import { dataGroups, templateContextFor } from "../../lib/stepContext";
import type { RecordOptions } from "../../lib/history";
import type { WorkflowDocument } from "../../lib/types";
import { ProviderIcon } from "../../components/ProviderIcon";
import { FieldFocusContext, type FieldFocus, type FieldInserter } from "./fieldFocus";
import { FormEnvContext, type FormEnv } from "./formEnv";
import { SchemaField } from "./SchemaField";
import { CredentialPicker } from "./CredentialPicker";
import { DataPanel } from "./DataPanel";
import { StepSettings } from "./StepSettings";
import { StepOutput } from "./StepOutput";

export interface InspectorProps {
  doc: WorkflowDocument;
  stepId: string;
  index: CatalogIndex;
  problems: ProblemMap | null;
  outputs: ReadonlyMap<string, unknown>;
  runStep: StepRun | undefined;
  triggerSample: unknown;
  credentials: CredentialInfo[] | null;
  credentialsError: unknown;
  onCredentialCreated: (c: CredentialInfo) => void;
  onEdit: (doc: WorkflowDocument, opts?: RecordOptions) => void;
}

type Tab = "parameters" | "settings" | "output";
const TABS: [Tab, string][] = [
  ["parameters", "Parameters"],
  ["settings", "Settings"],
  ["output", "Output"],
];

export function Inspector(p: InspectorProps) {
  const { doc, stepId, index } = p;
  const [tab, setTab] = useState<Tab>("parameters");
  const last = useRef<FieldInserter | null>(null);
  const focus = useMemo<FieldFocus>(() => ({ set: (f) => void (last.current = f), get: () => last.current }), []);
  const step = doc.steps.find((s) => s.id === stepId)!;
  const entry = index.actions.get(step.action);
  const chrome = stepChrome(index, step.action);
  const ctx = useMemo(() => templateContextFor(doc, stepId, index, p.outputs, p.triggerSample), [doc, stepId, index, p.outputs, p.triggerSample]);
  const form = useMemo(() => schemaToForm(entry?.action.inputSchema), [entry]);
  const env = useMemo<FormEnv>(
    () => ({
      stepId,
      ctx,
      messages: (field, deep) => (p.problems ? messagesFor(p.problems, stepId, field, deep) : []),
      stepIds: new Set(doc.steps.map((s) => s.id)),
      outputSchemaOf: (id) => index.actions.get(doc.steps.find((s) => s.id === id)?.action ?? "")?.action.outputSchema,
      set: (path, value) => {
        let next = setStepField(doc, stepId, path, value);
        const changed = next.steps.find((s) => s.id === stepId);
        if (changed?.retry && Object.keys(changed.retry).length === 0) next = setStepField(next, stepId, ["retry"], undefined);
        p.onEdit(next, { key: `field:${stepId}:${formatField(path)}` });
      },
    }),
    [doc, stepId, ctx, index, p.problems, p.onEdit],
  );
  const candidates = useMemo(() => upstreamCandidates(doc, stepId).map((s) => s.id), [doc, stepId]);

  return (
    <FormEnvContext.Provider value={env}>
      <FieldFocusContext.Provider value={focus}>
        <aside className="inspector" aria-label={`Inspector: ${stepId}`} data-undo="workflow">
          <header className="inspector-head">
            <ProviderIcon icon={chrome.icon} label={chrome.providerName} />
            <div>
              <div className="node-provider">{chrome.providerName}</div>
              <div className="node-title">{chrome.title}</div>
              <div className="node-id">{stepId}</div>
            </div>
          </header>
          <div role="tablist" className="tabs" aria-label="Inspector sections">
            {TABS.map(([t, label]) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? "active" : undefined} onClick={() => setTab(t)}>
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="inspector-body" aria-label={TABS.find(([t]) => t === tab)![1]}>
            {tab === "parameters" ? (
              <div className="stack">
                {!entry ? <p className="field-error">The action '{step.action}' is not in the catalog; its inputs are kept as they are.</p> : null}
                {form.notes.map((n) => (
                  <p key={n} className="field-note">Note: {n}.</p>
                ))}
                {form.fields.map((f) => (
                  <SchemaField key={f.name} field={f} path={["inputs", f.name]} step={step} />
                ))}
                {entry && form.fields.length === 0 ? <p className="muted">This action takes no inputs.</p> : null}
                {entry ? (
                  <CredentialPicker
                    action={entry.action}
                    providerName={chrome.providerName}
                    value={step.credential}
                    credentials={p.credentials}
                    loadError={p.credentialsError}
                    onCreated={p.onCredentialCreated}
                  />
                ) : null}
                <DataPanel groups={dataGroups(ctx)} />
              </div>
            ) : tab === "settings" ? (
              <StepSettings step={step} candidates={candidates} />
            ) : (
              <StepOutput stepId={stepId} runStep={p.runStep} outputSchema={entry?.action.outputSchema} />
            )}
          </div>
        </aside>
      </FieldFocusContext.Provider>
    </FormEnvContext.Provider>
  );
}
