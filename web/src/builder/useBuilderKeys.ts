// The builder's keyboard shortcuts (shared/UI.md): Ctrl/Cmd+S save, Ctrl/Cmd+Enter test run,
// Ctrl/Cmd+Z / Shift+Ctrl/Cmd+Z / Ctrl+Y undo and redo (also inside inspector fields, whose
// edits live in the same history), Tab = Add step from the canvas, ? = the cheat sheet,
// Ctrl/Cmd+C / Ctrl/Cmd+V copy and paste steps and Shift+L tidies up (outside text fields).
import { useEffect } from "react";

export interface BuilderKeys {
  save: () => void;
  run: () => void;
  undo: () => void;
  redo: () => void;
  addStep: () => void;
  help: () => void;
  // Copies the selected steps; false when there were none (the key then does what it would).
  copy: () => boolean;
  paste: () => void;
  tidy: () => void;
  // A dialog is open: only Ctrl+S works.
  blocked: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

// Text selected on the page (a run panel's output, say): Ctrl+C copies that, not steps.
function textSelected(): boolean {
  const sel = typeof window.getSelection === "function" ? window.getSelection() : null;
  return sel !== null && !sel.isCollapsed && sel.toString() !== "";
}

function onCanvas(target: EventTarget | null): boolean {
  return target === document.body || target === document.documentElement || (target instanceof Element && target.closest(".canvas") !== null);
}

export function useBuilderKeys(k: BuilderKeys) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const typing = isTyping(e.target);
      const inInspector = e.target instanceof Element && e.target.closest('[data-undo="workflow"]') !== null;
      if (mod && key === "s") {
        e.preventDefault();
        k.save();
      } else if (k.blocked) {
        return;
      } else if (mod && e.key === "Enter") {
        e.preventDefault();
        k.run();
      } else if (typing && !inInspector) {
        return;
      } else if (mod && key === "z") {
        e.preventDefault();
        if (e.shiftKey) k.redo();
        else k.undo();
      } else if (mod && key === "y") {
        e.preventDefault();
        k.redo();
      } else if (typing) {
        return;
      } else if (mod && key === "c" && !e.shiftKey && !textSelected()) {
        if (k.copy()) e.preventDefault();
      } else if (mod && key === "v" && !e.shiftKey) {
        e.preventDefault();
        k.paste();
      } else if (e.key === "L" && e.shiftKey && !mod && !e.altKey) {
        e.preventDefault();
        k.tidy();
      } else if (e.key === "Tab" && !mod && !e.shiftKey && onCanvas(e.target)) {
        e.preventDefault();
        k.addStep();
      } else if (e.key === "?" && !mod) {
        e.preventDefault();
        k.help();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [k]);
}
