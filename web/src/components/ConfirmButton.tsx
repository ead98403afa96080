// A destructive action asked twice: the first click turns the button into "Confirm …" and a
// Cancel beside it (no window.confirm: it blocks the page and cannot be styled or tested).
import { useState } from "react";

interface Props {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}

export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, testId }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" disabled={disabled} data-testid={testId} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="row" role="group" aria-label={confirmLabel}>
      <button
        type="button"
        className="danger primary"
        data-testid={testId ? `${testId}-confirm` : undefined}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
