// First start: the owner account and organization, with the set-up token from the server log.
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api";
import { Field } from "../components/Field";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate } from "../navigation";

export function SetupPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [orgName, setOrgName] = useState("");
  const [setupToken, setSetupToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.setup({ email, password, orgName, setupToken });
      await api.login(email, password);
      navigate("/", true);
    } catch (err) {
      if (err instanceof ApiError && err.code === "setup_done") navigate("/login", true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page narrow">
      <h1>Set up Weft</h1>
      <p className="muted">Create the owner account. The set-up token is printed in the server's log on first start.</p>
      <form onSubmit={submit} className="stack">
        <Field label="Set-up token" value={setupToken} onChange={setSetupToken} required autoComplete="off" />
        <Field label="Organization name" value={orgName} onChange={setOrgName} required maxLength={100} />
        <Field label="Email" type="email" value={email} onChange={setEmail} required autoComplete="username" />
        <Field label="Password" type="password" value={password} onChange={setPassword} required autoComplete="new-password" />
        <ErrorBanner error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Setting up…" : "Create owner account"}
        </button>
      </form>
    </main>
  );
}
