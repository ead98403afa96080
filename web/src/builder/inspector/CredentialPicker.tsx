// The step's credential: the org's credentials for this action's provider and accepted auth
// types (lib/credentials.ts), and Connect account to add one, which is then selected.
import { useId, useState } from "react";
import type { CatalogAction } from "../../lib/types";
import { AUTH_LABELS, acceptedTypes, credentialsFor, type CredentialInfo } from "../../lib/credentials";
import { errorText } from "../../components/ErrorBanner";
import { useFormEnv } from "./formEnv";
import { ConnectAccountDialog } from "./ConnectAccountDialog";

interface Props {
  action: CatalogAction;
  providerName: string;
  value: string | null | undefined;
  credentials: CredentialInfo[] | null;
  loadError: unknown;
  onCreated: (c: CredentialInfo) => void;
}

export function CredentialPicker({ action, providerName, value, credentials, loadError, onCreated }: Props) {
  const env = useFormEnv();
  const id = useId();
  const [connecting, setConnecting] = useState(false);
  const types = acceptedTypes(action);
  if (types.length === 0) return null;
  const fitting = credentialsFor(credentials ?? [], action);
  const current = value ?? "";
  const errors = env.messages("credential", false);
  return (
    <div className="field credential-picker">
      <label htmlFor={id}>
        Credential<span className="required" aria-label="required"> *</span>
      </label>
      <div className="row">
        <select
          id={id}
          data-testid="field-credential"
          value={current}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={`${id}-help`}
          onChange={(e) => env.set(["credential"], e.target.value === "" ? undefined : e.target.value)}
        >
          <option value="">{credentials === null && !loadError ? "Loading…" : fitting.length ? "Choose an account" : "No account connected"}</option>
          {fitting.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({AUTH_LABELS[c.type] ?? c.type})
            </option>
          ))}
          {current && !fitting.some((c) => c.id === current) ? <option value={current}>{current} (not found for {providerName})</option> : null}
        </select>
        <button type="button" data-testid="connect-account" onClick={() => setConnecting(true)}>
          Connect account
        </button>
      </div>
      <div id={`${id}-help`}>
        <p className="field-help">
          A {providerName} credential: {types.map((t) => AUTH_LABELS[t] ?? t).join(" or ")}.
        </p>
        {loadError ? <p className="field-error">Could not list credentials: {errorText(loadError)}</p> : null}
        {errors.map((m, i) => (
          <p key={i} className="field-error" role="alert">{m}</p>
        ))}
      </div>
      {connecting ? (
        <ConnectAccountDialog
          provider={action.provider}
          providerName={providerName}
          types={types}
          onClose={() => setConnecting(false)}
          onCreated={(c) => {
            setConnecting(false);
            onCreated(c);
            env.set(["credential"], c.id);
          }}
        />
      ) : null}
    </div>
  );
}
