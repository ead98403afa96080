// A save's or import's error as lines of words: workflow_invalid problems each with the step
// and field they name (lib/errors.ts), any other error as its message.
import { ApiError } from "../../api";
import { errorText } from "../../components/ErrorBanner";
import { mapProblems } from "../../lib/errors";
import { TRIGGER_NODE_ID } from "../../lib/graph";
import type { WorkflowDocument } from "../../lib/types";

export function problemLines(doc: WorkflowDocument | undefined, e: unknown): string[] {
  if (!(e instanceof ApiError) || !Array.isArray(e.details) || e.details.length === 0) return [errorText(e)];
  const map = mapProblems(doc, e);
  if (map.problems.length === 0) return [errorText(e)];
  return [
    e.message,
    ...map.problems.map((p) => {
      const where = [p.node === null ? "" : p.node === TRIGGER_NODE_ID ? "trigger" : `step ${p.node}`, p.field].filter(Boolean).join(", ");
      return where ? `${where}: ${p.message}` : p.message;
    }),
  ];
}
