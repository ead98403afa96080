// A secret the server shows only once (a new API token, an invitation link): read-only, with
// Copy, and the warning that it will not be shown again.
import { useState } from "react";

export function ShownOnce({ label, value, testId, onDone }: { label: string; value: string; testId: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice stack" role="status">
      <p>
        <strong>{label}</strong> — copy it now: it is shown only once.
      </p>
      <div className="row">
        <input readOnly aria-label={label} data-testid={testId} value={value} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          onClick={() => {
            navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="quiet" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}
