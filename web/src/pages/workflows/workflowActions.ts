// The workflow list's actions over the API: rename (a new version with the new name),
// duplicate (a new workflow "X (copy)"), export (the saved document as a file).
import { api, type WorkflowRecord, type WorkflowSummary } from "../../api";
import { downloadText } from "../../lib/download";
import { copyName, exportFileName, exportText } from "../../lib/workflowFile";

export function summaryOf(w: WorkflowRecord): WorkflowSummary {
  return { id: w.id, name: w.name, version: w.version, trigger: w.definition.trigger?.type ?? "manual", updatedAt: w.updatedAt };
}

export async function renameWorkflow(id: string, name: string): Promise<WorkflowSummary> {
  const w = await api.getWorkflow(id);
  return summaryOf(await api.updateWorkflow(id, { ...w.definition, name }));
}

export async function duplicateWorkflow(id: string, taken: string[]): Promise<WorkflowSummary> {
  const w = await api.getWorkflow(id);
  return summaryOf(await api.createWorkflow({ ...w.definition, name: copyName(w.definition.name, taken) }));
}

export async function exportWorkflow(id: string): Promise<void> {
  const w = await api.getWorkflow(id);
  downloadText(exportText(w.definition), exportFileName(w.definition.name));
}
