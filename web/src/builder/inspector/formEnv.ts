// What every field of the inspector's form needs from the step being edited: the template
// context, the save's problems, which step ids exist (for unresolved templates) and the one
// way to change a value (an undoable edit at a path from the step).
import { createContext, useContext } from "react";
import type { PathToken } from "../../lib/jsonPointer";
import type { TemplateContext } from "../../lib/templates";
import type { JsonSchema } from "../../lib/types";

export interface FormEnv {
  stepId: string;
  ctx: TemplateContext;
  messages: (field: string, deep: boolean) => string[];
  stepIds: ReadonlySet<string>;
  outputSchemaOf: (stepId: string) => JsonSchema | undefined;
  // Edits with the same coalesce key close together are one undo (typing in a field).
  set: (path: readonly PathToken[], value: unknown) => void;
}

export const FormEnvContext = createContext<FormEnv | null>(null);

export function useFormEnv(): FormEnv {
  const env = useContext(FormEnvContext);
  if (!env) throw new Error("useFormEnv outside the inspector");
  return env;
}
