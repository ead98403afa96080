// Undo/redo as a history of whole workflow documents (edits never mutate one, so keeping them is
// cheap). Typing coalesces: edits that carry the same key within `coalesceMs` of each other
// replace the newest entry instead of adding one, so a word typed in a field is one undo.
// Pure state transitions, for useReducer or anything else.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  // The coalescing key and time of the newest entry; cleared by undo/redo and by keyless edits.
  lastKey: string | null;
  lastAt: number;
}

export interface HistoryOptions {
  limit?: number;
  coalesceMs?: number;
}

export const DEFAULT_LIMIT = 200;
export const DEFAULT_COALESCE_MS = 1000;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

export interface RecordOptions {
  // Edits of one field while typing share a key, e.g. "field:notify:inputs.text".
  key?: string;
  at?: number;
}

export function record<T>(h: History<T>, next: T, opts: RecordOptions = {}, cfg: HistoryOptions = {}): History<T> {
  if (Object.is(next, h.present)) return h;
  const at = opts.at ?? Date.now();
  const coalesceMs = cfg.coalesceMs ?? DEFAULT_COALESCE_MS;
  const key = opts.key ?? null;
  if (key !== null && key === h.lastKey && at - h.lastAt <= coalesceMs && h.past.length > 0) {
    return { ...h, present: next, future: [], lastAt: at };
  }
  const limit = cfg.limit ?? DEFAULT_LIMIT;
  const past = [...h.past, h.present];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, present: next, future: [], lastKey: key, lastAt: at };
}

export function canUndo<T>(h: History<T>): boolean {
  return h.past.length > 0;
}

export function canRedo<T>(h: History<T>): boolean {
  return h.future.length > 0;
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const past = h.past.slice(0, -1);
  return { past, present: h.past[h.past.length - 1]!, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...future] = h.future;
  return { past: [...h.past, h.present], present: next!, future, lastKey: null, lastAt: 0 };
}

// Replaces the present without an undo entry (a save's server copy, a position nudge the user
// should not undo one pixel at a time) and keeps the rest.
export function replacePresent<T>(h: History<T>, present: T): History<T> {
  return { ...h, present, lastKey: null };
}
