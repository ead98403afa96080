// One numeric setting of a step (retry.maxAttempts, retry.backoffMs, timeoutMs): empty removes
// it (and an emptied retry object), a non-integer is kept as typed for the server to refuse
// in words.
import { useId } from "react";
import type { PathToken } from "../../lib/jsonPointer";
import { useFormEnv } from "./formEnv";

interface Props {
  label: string;
  field: string;
  path: PathToken[];
  value: number | undefined;
  min: number;
  help: string;
}

export function NumberSetting({ label, field, path, value, min, help }: Props) {
  const env = useFormEnv();
  const id = useId();
  const errors = env.messages(field, false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={`field-${field}`}
        type="number"
        min={min}
        step={1}
        value={value ?? ""}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          const t = e.target.value;
          const n = Number(t);
          env.set(path, t === "" ? undefined : Number.isFinite(n) ? n : t);
        }}
      />
      <p id={`${id}-help`} className="field-help">{help}</p>
      {errors.map((m, i) => (
        <p key={i} className="field-error" role="alert">{m}</p>
      ))}
    </div>
  );
}
