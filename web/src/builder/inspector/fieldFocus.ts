// The inspector's last focused template field, so a click in the data panel inserts its
// template there (at that field's cursor, even after focus moved to the panel's button).
import { createContext, useContext } from "react";

export interface FieldInserter {
  insert: (expression: string) => void;
}

export interface FieldFocus {
  set: (f: FieldInserter | null) => void;
  get: () => FieldInserter | null;
}

export const FieldFocusContext = createContext<FieldFocus>({ set: () => {}, get: () => null });

export function useFieldFocus(): FieldFocus {
  return useContext(FieldFocusContext);
}
