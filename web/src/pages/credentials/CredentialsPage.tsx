// /credentials: the org's credentials (secrets never come back), Connect account, Rotate, and
// Delete — which the server refuses while workflows use the credential, naming them.
import { useState } from "react";
import { api } from "../../api";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TopBar } from "../../components/TopBar";
import { useLoad } from "../../components/useLoad";
import type { CredentialInfo } from "../../lib/credentials";
import { connectableProviders } from "../../lib/credentialProviders";
import { ConnectProvider } from "./ConnectProvider";
import { CredentialRow } from "./CredentialRow";
import { RotateDialog } from "./RotateDialog";

export function CredentialsPage() {
  const creds = useLoad(() => api.listCredentials(), []);
  const catalog = useLoad(() => api.catalog(), []);
  const [rotating, setRotating] = useState<CredentialInfo | null>(null);
  const names = new Map((catalog.data?.providers ?? []).map((p) => [p.id, p.name]));
  const replace = (c: CredentialInfo) =>
    creds.set((l) => ((l ?? []).some((x) => x.id === c.id) ? l!.map((x) => (x.id === c.id ? c : x)) : [...(l ?? []), c]));
  const list = creds.data;

  return (
    <>
      <TopBar />
      <main className="page stack">
        <div className="row spread">
          <h1>Credentials</h1>
          {catalog.data ? <ConnectProvider providers={connectableProviders(catalog.data)} onCreated={replace} /> : null}
        </div>
        <ErrorBanner error={creds.error ?? catalog.error} />
        {list === null && !creds.error ? <p className="muted">Loading credentials…</p> : null}
        {list && list.length === 0 ? <p className="empty">No credentials yet — Connect account to add one.</p> : null}
        {list && list.length > 0 ? (
          <table className="list" data-testid="credentials-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Kind</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <CredentialRow
                  key={c.id}
                  c={c}
                  providerName={names.get(c.provider) ?? c.provider}
                  onRotate={() => setRotating(c)}
                  onDelete={async () => {
                    await api.deleteCredential(c.id);
                    creds.set((l) => l && l.filter((x) => x.id !== c.id));
                  }}
                />
              ))}
            </tbody>
          </table>
        ) : null}
        {rotating ? (
          <RotateDialog
            credential={rotating}
            onClose={() => setRotating(null)}
            onRotated={(c) => {
              setRotating(null);
              replace(c);
            }}
          />
        ) : null}
      </main>
    </>
  );
}
