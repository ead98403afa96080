// The builder's document state: one undo history of workflow documents (lib/history.ts).
import { useCallback, useReducer } from "react";
import { createHistory, record, redo, replacePresent, undo, type History, type RecordOptions } from "../lib/history";
import type { WorkflowDocument } from "../lib/types";

type Action =
  | { type: "edit"; doc: WorkflowDocument; opts?: RecordOptions }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "replace"; doc: WorkflowDocument }
  | { type: "reset"; doc: WorkflowDocument };

function reducer(h: History<WorkflowDocument>, a: Action): History<WorkflowDocument> {
  switch (a.type) {
    case "edit":
      return record(h, a.doc, a.opts);
    case "undo":
      return undo(h);
    case "redo":
      return redo(h);
    case "replace":
      return replacePresent(h, a.doc);
    case "reset":
      return createHistory(a.doc);
  }
}

// `restored` (a draft from local storage) starts as one edit on top of `initial`, so undo can
// go back to the saved copy.
export function useWorkflowHistory(initial: WorkflowDocument, restored?: WorkflowDocument | null) {
  const [history, dispatch] = useReducer(reducer, initial, (d) => (restored ? record(createHistory(d), restored) : createHistory(d)));
  return {
    history,
    doc: history.present,
    edit: useCallback((doc: WorkflowDocument, opts?: RecordOptions) => dispatch({ type: "edit", doc, opts }), []),
    undo: useCallback(() => dispatch({ type: "undo" }), []),
    redo: useCallback(() => dispatch({ type: "redo" }), []),
    replace: useCallback((doc: WorkflowDocument) => dispatch({ type: "replace", doc }), []),
    reset: useCallback((doc: WorkflowDocument) => dispatch({ type: "reset", doc }), []),
  };
}
