// One credential: name, provider, kind, updated; Rotate and Delete (asked twice). A delete the
// server refuses because workflows use the credential lists them, each a link.
import { useState } from "react";
import { ApiError } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { errorText } from "../../components/ErrorBanner";
import { Link } from "../../components/Link";
import { AUTH_LABELS, type CredentialInfo } from "../../lib/credentials";
import { workflowsInUse } from "../../lib/credentialProviders";

interface Props {
  c: CredentialInfo;
  providerName: string;
  onRotate: () => void;
  onDelete: () => Promise<void>;
}

export function CredentialRow({ c, providerName, onRotate, onDelete }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const users = error instanceof ApiError && error.code === "credential_in_use" ? workflowsInUse(error.details) : [];
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await onDelete();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid={`credential-row-${c.id}`}>
      <td>
        {c.name}
        {error ? (
          <div className="field-error" role="alert" data-testid={`credential-error-${c.id}`}>
            {users.length > 0 ? (
              <>
                Used by {users.length === 1 ? "a workflow" : `${users.length} workflows`}; take it out of{" "}
                {users.length === 1 ? "it" : "them"} first:{" "}
                {users.map((w, i) => (
                  <span key={w.id}>
                    {i > 0 ? ", " : ""}
                    <Link href={`/workflows/${w.id}`} data-testid={`credential-used-by-${w.id}`}>{w.name}</Link>
                  </span>
                ))}
              </>
            ) : (
              errorText(error)
            )}
          </div>
        ) : null}
      </td>
      <td>{providerName}</td>
      <td>{AUTH_LABELS[c.type] ?? c.type}</td>
      <td>{c.updatedAt ? <time dateTime={c.updatedAt}>{new Date(c.updatedAt).toLocaleString()}</time> : null}</td>
      <td className="row">
        <button type="button" className="quiet" data-testid={`rotate-credential-${c.id}`} disabled={busy} onClick={onRotate}>Rotate</button>
        <ConfirmButton label="Delete" confirmLabel={`Delete ${c.name}`} disabled={busy} testId={`delete-credential-${c.id}`} onConfirm={() => void remove()} />
      </td>
    </tr>
  );
}
