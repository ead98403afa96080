// Connect account from the credentials page: choose the provider (those whose actions take a
// credential, from the catalog), then the builder's Connect account dialog for it.
import { useId, useState } from "react";
import { ConnectAccountDialog } from "../../builder/inspector/ConnectAccountDialog";
import type { CredentialInfo } from "../../lib/credentials";
import type { ConnectableProvider } from "../../lib/credentialProviders";

interface Props {
  providers: ConnectableProvider[];
  onCreated: (c: CredentialInfo) => void;
}

export function ConnectProvider({ providers, onCreated }: Props) {
  const id = useId();
  const [chosen, setChosen] = useState(providers[0]?.id ?? "");
  const [open, setOpen] = useState(false);
  const provider = providers.find((p) => p.id === chosen);
  if (providers.length === 0) return <p className="muted">No installed integration takes a credential.</p>;
  return (
    <div className="row">
      <label htmlFor={id}>Provider</label>
      <select id={id} data-testid="connect-provider" value={chosen} onChange={(e) => setChosen(e.target.value)}>
        {providers.map((p) => (
          <option key={p.id} value={p.id}>{p.name}</option>
        ))}
      </select>
      <button type="button" className="primary" data-testid="connect-account" disabled={!provider} onClick={() => setOpen(true)}>
        Connect account
      </button>
      {open && provider ? (
        <ConnectAccountDialog
          provider={provider.id}
          providerName={provider.name}
          types={provider.types}
          onClose={() => setOpen(false)}
          onCreated={(c) => {
            setOpen(false);
            onCreated(c);
          }}
        />
      ) : null}
    </div>
  );
}
