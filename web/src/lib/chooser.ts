// The Add step chooser's keyboard model: a query, the rows it shows (groups flattened in order)
// and the active row. ↑/↓ move and wrap, Home/End jump, Enter picks, Escape closes; typing
// resets the active row to the first match. Pure: the component only renders this state.
import { searchItems, type ChooserGroup, type ChooserItem } from "./catalog";

export interface ChooserState {
  query: string;
  active: number;
  groups: ChooserGroup[];
  rows: ChooserItem[];
}

export type ChooserResult =
  | { type: "state"; state: ChooserState }
  | { type: "pick"; item: ChooserItem; state: ChooserState }
  | { type: "close"; state: ChooserState };

function rowsOf(groups: ChooserGroup[]): ChooserItem[] {
  return groups.flatMap((g) => g.items);
}

export function openChooser(items: ChooserItem[], query = ""): ChooserState {
  const groups = searchItems(items, query);
  return { query, active: 0, groups, rows: rowsOf(groups) };
}

export function setQuery(items: ChooserItem[], state: ChooserState, query: string): ChooserState {
  if (query === state.query) return state;
  return openChooser(items, query);
}

export function moveActive(state: ChooserState, delta: number): ChooserState {
  const n = state.rows.length;
  if (n === 0) return { ...state, active: 0 };
  return { ...state, active: (((state.active + delta) % n) + n) % n };
}

export function setActive(state: ChooserState, index: number): ChooserState {
  if (index < 0 || index >= state.rows.length) return state;
  return { ...state, active: index };
}

export function activeItem(state: ChooserState): ChooserItem | undefined {
  return state.rows[state.active];
}

// One key press (KeyboardEvent.key). Keys the chooser does not own return the state unchanged,
// so the search box keeps them (letters, ←/→, Backspace).
export function chooserKey(state: ChooserState, key: string): ChooserResult {
  switch (key) {
    case "ArrowDown":
      return { type: "state", state: moveActive(state, 1) };
    case "ArrowUp":
      return { type: "state", state: moveActive(state, -1) };
    case "PageDown":
      return { type: "state", state: setActive(state, Math.min(state.rows.length - 1, state.active + 8)) };
    case "PageUp":
      return { type: "state", state: setActive(state, Math.max(0, state.active - 8)) };
    case "Home":
      return { type: "state", state: setActive(state, 0) };
    case "End":
      return { type: "state", state: setActive(state, state.rows.length - 1) };
    case "Enter": {
      const item = activeItem(state);
      return item ? { type: "pick", item, state } : { type: "state", state };
    }
    case "Escape":
      return { type: "close", state };
    default:
      return { type: "state", state };
  }
}
