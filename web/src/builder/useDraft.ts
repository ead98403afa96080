// Unsaved edits survive a reload: every change of the document that differs from the saved
// copy is written to local storage (lib/drafts.ts), and removed once they match again (saved,
// or undone back). The draft found when the builder opens is offered back with a notice.
import { useEffect, useState } from "react";
import { clearDraft, loadDraft, saveDraft, type Draft } from "../lib/drafts";
import type { WorkflowDocument } from "../lib/types";

function same(a: WorkflowDocument, b: WorkflowDocument): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// The draft to restore for this workflow, read once: null when none, or when it equals the
// saved copy (then it is dropped).
export function readDraft(id: string | null, initial: WorkflowDocument): Draft | null {
  const d = loadDraft(id);
  if (!d) return null;
  if (same(d.doc, initial)) {
    clearDraft(id);
    return null;
  }
  return d;
}

export function useDraftStorage(id: string | null, doc: WorkflowDocument, saved: WorkflowDocument, version?: number) {
  useEffect(() => {
    if (doc === saved) clearDraft(id);
    else saveDraft(id, doc, version);
  }, [id, doc, saved, version]);
}

export function useRunInput(id: string | null, load: (id: string | null) => string, store: (id: string | null, t: string) => void) {
  const [text, setText] = useState(() => load(id));
  return [
    text,
    (t: string) => {
      setText(t);
      store(id, t);
    },
  ] as const;
}
