// Connect account: a modal asking for what the auth type needs (API key; token; bot token;
// OAuth2 access + refresh token — field names from vault/auth.cpp), POST /api/credentials, and
// the server's errors in words next to the field they name. Esc or Cancel closes it; focus
// stays inside while it is open.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { api, ApiError } from "../../api";
import { AUTH_LABELS, SECRET_FIELDS, buildSecret, missingSecretFields, placeSecretErrors, type CredentialInfo } from "../../lib/credentials";
import { errorText } from "../../components/ErrorBanner";

interface Props {
  provider: string;
  providerName: string;
  types: string[];
  onClose: () => void;
  onCreated: (c: CredentialInfo) => void;
}

function trapFocus(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== "Tab") return;
  const all = [...e.currentTarget.querySelectorAll<HTMLElement>("input, select, button:not([disabled])")];
  if (all.length === 0) return;
  const first = all[0]!;
  const last = all[all.length - 1]!;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export function ConnectAccountDialog({ provider, providerName, types, onClose, onCreated }: Props) {
  const id = useId();
  const [type, setType] = useState(types[0]!);
  const [name, setName] = useState(`${providerName} account`);
  const [values, setValues] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async () => {
    const missing = missingSecretFields(type, values);
    const nameMissing = name.trim() === "";
    setGeneral(nameMissing ? ["Give the account a name."] : []);
    setFieldErrors(missing);
    if (nameMissing || Object.keys(missing).length) return;
    setBusy(true);
    try {
      const created = await api.createCredential({ name: name.trim(), provider, type, secret: buildSecret(type, values) });
      onCreated(created);
    } catch (e) {
      if (e instanceof ApiError && e.code === "invalid_credential") {
        const placed = placeSecretErrors(type, e.message, e.details);
        setFieldErrors(placed.fields);
        setGeneral(placed.general);
      } else {
        setGeneral([e instanceof ApiError && e.status === 403 ? `Only an organization admin can connect accounts (${e.message}).` : errorText(e)]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="connect-dialog"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onClose();
          } else trapFocus(e);
        }}
      >
        <h2 id={`${id}-title`}>Connect a {providerName} account</h2>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input ref={first} id={`${id}-name`} data-testid="connect-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </div>
          {types.length > 1 ? (
            <div className="field">
              <label htmlFor={`${id}-type`}>Kind</label>
              <select id={`${id}-type`} data-testid="connect-type" value={type} onChange={(e) => { setType(e.target.value); setFieldErrors({}); }}>
                {types.map((t) => (
                  <option key={t} value={t}>{AUTH_LABELS[t] ?? t}</option>
                ))}
              </select>
            </div>
          ) : null}
          {(SECRET_FIELDS[type] ?? []).map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`${id}-${f.key}`}>
                {f.label}
                {f.required ? <span className="required" aria-label="required"> *</span> : null}
              </label>
              <input
                id={`${id}-${f.key}`}
                data-testid={`connect-${f.key}`}
                type="password"
                autoComplete="off"
                value={values[f.key] ?? ""}
                aria-invalid={fieldErrors[f.key] ? true : undefined}
                aria-describedby={fieldErrors[f.key] ? `${id}-${f.key}-error` : undefined}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
              {fieldErrors[f.key] ? (
                <p id={`${id}-${f.key}-error`} className="field-error" role="alert">{fieldErrors[f.key]}</p>
              ) : null}
            </div>
          ))}
          {general.map((m, i) => (
            <p key={i} className="field-error" role="alert">{m}</p>
          ))}
          <div className="row">
            <button type="submit" className="primary" data-testid="connect-submit" disabled={busy}>
              {busy ? "Connecting…" : "Connect"}
            </button>
            <button type="button" onClick={onClose}>Cancel</button>
          </div>
        </form>
      </div>
    </div>
  );
}
