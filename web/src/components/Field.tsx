// A labelled text input with its help and error text under it.
import { useId, type InputHTMLAttributes } from "react";

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange"> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: string;
  error?: string;
}

export function Field({ label, value, onChange, help, error, ...rest }: Props) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={help || error ? helpId : undefined}
        {...rest}
      />
      {error ? (
        <p id={helpId} className="field-error" role="alert">
          {error}
        </p>
      ) : help ? (
        <p id={helpId} className="field-help">
          {help}
        </p>
      ) : null}
    </div>
  );
}
