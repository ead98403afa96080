// The notice shown when unsaved edits were restored from local storage after a reload, with a
// way to throw them away (an undoable edit back to the saved copy).
import type { Draft } from "../lib/drafts";

interface Props {
  draft: Draft;
  version?: number;
  onDiscard: () => void;
  onDismiss: () => void;
}

export function DraftNotice({ draft, version, onDiscard, onDismiss }: Props) {
  const when = new Date(draft.savedAt).toLocaleString();
  const stale = version !== undefined && draft.baseVersion !== undefined && draft.baseVersion !== version;
  return (
    <div className="notice" role="status" data-testid="draft-notice">
      <span>
        Restored your unsaved changes from {when}.
        {stale ? ` The saved workflow has changed since (now version ${version}); saving replaces it.` : ""}
      </span>
      <button type="button" onClick={onDiscard}>
        Discard them
      </button>
      <button type="button" className="quiet" onClick={onDismiss}>
        Keep
      </button>
    </div>
  );
}
