// /settings/tokens: the user's API tokens (for the CLI and scripts; each bound to the org it was
// made in): list, create — the token shown once —, revoke.
import { useState, type FormEvent } from "react";
import { api, type ApiToken } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Field } from "../../components/Field";
import { TopBar } from "../../components/TopBar";
import { useLoad } from "../../components/useLoad";
import { ShownOnce } from "./ShownOnce";

export function TokensPage() {
  const tokens = useLoad(() => api.listTokens(), []);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (name.trim() === "") return setError(new Error("Give the token a name."));
    const n = days.trim() === "" ? undefined : Number(days);
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 3650)) return setError(new Error("Expires in: a whole number of days from 1 to 3650, or empty for never."));
    setBusy(true);
    try {
      const t = await api.createToken(n === undefined ? { name: name.trim() } : { name: name.trim(), expiresInDays: n });
      setCreated(t);
      setName("");
      setDays("");
      const { token: _secret, ...listed } = t;
      tokens.set((l) => [...(l ?? []), listed]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.deleteToken(id);
      tokens.set((l) => l && l.filter((t) => t.id !== id));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <TopBar />
      <main className="page stack">
        <h1>API tokens</h1>
        <p className="muted">A token signs the CLI and scripts in as you, in the organization where you create it.</p>
        <form className="row" aria-label="New API token" onSubmit={create}>
          <Field label="Name" value={name} onChange={setName} maxLength={100} data-testid="token-name" />
          <Field label="Expires in (days)" value={days} onChange={setDays} inputMode="numeric" placeholder="never" data-testid="token-days" />
          <button type="submit" className="primary" disabled={busy} data-testid="token-create">
            {busy ? "Creating…" : "Create token"}
          </button>
        </form>
        <ErrorBanner error={error ?? tokens.error} />
        {created?.token ? <ShownOnce label={`Token ${created.name}`} value={created.token} testId="token-value" onDone={() => setCreated(null)} /> : null}
        {tokens.data && tokens.data.length === 0 ? <p className="empty">No API tokens — create one for the CLI.</p> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <table className="list" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} data-testid={`token-row-${t.id}`}>
                  <td>{t.name}</td>
                  <td><time dateTime={t.createdAt}>{new Date(t.createdAt).toLocaleString()}</time></td>
                  <td>{t.expiresAt ? <time dateTime={t.expiresAt}>{new Date(t.expiresAt).toLocaleString()}</time> : "never"}</td>
                  <td>
                    <ConfirmButton label="Revoke" confirmLabel={`Revoke ${t.name}`} testId={`revoke-token-${t.id}`} onConfirm={() => void revoke(t.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </main>
    </>
  );
}
