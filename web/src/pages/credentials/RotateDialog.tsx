// Rotate a credential: a new secret with the fields its type asks for, POST …/rotate; the
// server's problems under their fields.
import { useEffect, useId, useRef, useState } from "react";
import { api, ApiError } from "../../api";
import { errorText } from "../../components/ErrorBanner";
import { SECRET_FIELDS, buildSecret, missingSecretFields, placeSecretErrors, type CredentialInfo } from "../../lib/credentials";

interface Props {
  credential: CredentialInfo;
  onClose: () => void;
  onRotated: (c: CredentialInfo) => void;
}

export function RotateDialog({ credential, onClose, onRotated }: Props) {
  const id = useId();
  const fields = SECRET_FIELDS[credential.type] ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async () => {
    const missing = missingSecretFields(credential.type, values);
    setFieldErrors(missing);
    setGeneral([]);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      onRotated(await api.rotateCredential(credential.id, buildSecret(credential.type, values)));
    } catch (e) {
      if (e instanceof ApiError && e.code === "invalid_credential") {
        const placed = placeSecretErrors(credential.type, e.message, e.details);
        setFieldErrors(placed.fields);
        setGeneral(placed.general);
      } else setGeneral([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="rotate-dialog" onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === "Escape" && onClose()}>
        <h2 id={`${id}-title`}>Rotate {credential.name}</h2>
        <p className="muted">The new secret replaces the old one for every workflow that uses this credential.</p>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {fields.length === 0 ? <p className="muted">This kind of credential has no secret to rotate here.</p> : null}
          {fields.map((f, i) => (
            <div className="field" key={f.key}>
              <label htmlFor={`${id}-${f.key}`}>
                New {f.label.toLowerCase()}
                {f.required ? <span className="required" aria-label="required"> *</span> : null}
              </label>
              <input
                ref={i === 0 ? first : undefined}
                id={`${id}-${f.key}`}
                data-testid={`rotate-${f.key}`}
                type="password"
                autoComplete="off"
                value={values[f.key] ?? ""}
                aria-invalid={fieldErrors[f.key] ? true : undefined}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
              {fieldErrors[f.key] ? <p className="field-error" role="alert">{fieldErrors[f.key]}</p> : null}
            </div>
          ))}
          {general.map((m, i) => (
            <p key={i} className="field-error" role="alert">{m}</p>
          ))}
          <div className="row">
            <button type="submit" className="primary" data-testid="rotate-submit" disabled={busy || fields.length === 0}>
              {busy ? "Rotating…" : "Rotate"}
            </button>
            <button type="button" onClick={onClose}>Cancel</button>
          </div>
        </form>
      </div>
    </div>
  );
}
