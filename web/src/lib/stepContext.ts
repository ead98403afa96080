// What the inspector offers a step for templates: the steps it may read (graph.ts
// upstreamCandidates: never itself or a step after it) with their outputSchema from the catalog
// and their output in the last run, and the trigger's input. Also the data panel's rows: each
// source's paths as a tree of insertable expressions. Pure.
import type { CatalogIndex } from "./catalog";
import { stepChrome } from "./catalog";
import { upstreamCandidates } from "./graph";
import { formatPath, mergePaths, samplePaths, schemaPaths, type TemplateContext } from "./templates";
import type { WorkflowDocument } from "./types";

export function templateContextFor(
  doc: WorkflowDocument,
  stepId: string,
  index: CatalogIndex,
  outputs: ReadonlyMap<string, unknown> = new Map(),
  triggerSample?: unknown,
): TemplateContext {
  const steps = upstreamCandidates(doc, stepId).map((s) => {
    const chrome = stepChrome(index, s.action);
    return {
      stepId: s.id,
      title: `${chrome.providerName} · ${chrome.title}`,
      outputSchema: index.actions.get(s.action)?.action.outputSchema,
      lastOutput: outputs.get(s.id),
      hasLastOutput: outputs.has(s.id),
    };
  });
  return { steps, triggerSample };
}

export interface DataRow {
  expression: string;
  // The last part of the path ("status", "[0]").
  label: string;
  depth: number;
  type?: string;
  source: "schema" | "sample" | "root";
}

export interface DataGroup {
  id: string;
  title: string;
  rows: DataRow[];
}

const MAX_ROWS = 300;

// The data panel: the trigger, then each readable step, each with its output's paths.
export function dataGroups(ctx: TemplateContext): DataGroup[] {
  const groups: DataGroup[] = [];
  const rowsFor = (base: string, paths: ReturnType<typeof mergePaths>): DataRow[] => [
    { expression: base, label: base, depth: 0, source: "root" },
    ...paths.slice(0, MAX_ROWS).map((e) => {
      const last = formatPath(e.path.slice(-1));
      return {
        expression: base + formatPath(e.path),
        label: last.startsWith(".") ? last.slice(1) : last,
        depth: e.path.length,
        type: e.type,
        source: e.source,
      };
    }),
  ];
  groups.push({
    id: "trigger",
    title: "Trigger input",
    rows: rowsFor("trigger", mergePaths(schemaPaths(ctx.triggerSchema), samplePaths(ctx.triggerSample))),
  });
  for (const s of ctx.steps) {
    const paths = mergePaths(schemaPaths(s.outputSchema), s.hasLastOutput === false ? [] : samplePaths(s.lastOutput));
    groups.push({ id: s.stepId, title: s.title ? `${s.stepId} — ${s.title}` : s.stepId, rows: rowsFor(`steps.${s.stepId}.output`, paths) });
  }
  return groups;
}
