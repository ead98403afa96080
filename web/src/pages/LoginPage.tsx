// Sign-in; on success back to where the user was sent from.
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Field } from "../components/Field";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate } from "../navigation";

export function LoginPage({ next }: { next?: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(email, password);
      navigate(next ?? "/", true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page narrow">
      <h1>Sign in to Weft</h1>
      <form onSubmit={submit} className="stack">
        <Field label="Email" type="email" value={email} onChange={setEmail} required autoComplete="username" />
        <Field label="Password" type="password" value={password} onChange={setPassword} required autoComplete="current-password" />
        <ErrorBanner error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="muted">
        First start? <a href="/setup">Set up the owner account</a>.
      </p>
    </main>
  );
}
