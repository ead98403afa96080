// The `?` cheat sheet: every keyboard shortcut of the builder. Esc or Close closes it.
import { useEffect, useRef } from "react";

const SHORTCUTS: [string, string][] = [
  ["Tab", "Add step (after the selected node)"],
  ["↑ ↓ Enter Esc", "Move, pick and close in Add step and in template suggestions"],
  ["{{", "Suggest earlier steps' outputs and trigger fields in a field"],
  ["Delete / Backspace", "Delete the selected steps or connections"],
  ["Shift+drag, Ctrl/Cmd+click", "Select several nodes"],
  ["Ctrl/Cmd+C", "Copy the selected steps (as JSON, to paste here or in another workflow)"],
  ["Ctrl/Cmd+V", "Paste steps after the selected node"],
  ["Shift+L", "Tidy up: lay out every node"],
  ["Ctrl/Cmd+Z", "Undo (nodes, connections and fields alike)"],
  ["Shift+Ctrl/Cmd+Z, Ctrl+Y", "Redo"],
  ["Ctrl/Cmd+S", "Save"],
  ["Ctrl/Cmd+Enter", "Test run"],
  ["?", "This list"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape" || e.key === "Tab") {
            e.preventDefault();
            if (e.key === "Escape") onClose();
          }
        }}
      >
        <h2>Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, what]) => (
            <div key={k}>
              <dt><kbd>{k}</kbd></dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button ref={close} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
