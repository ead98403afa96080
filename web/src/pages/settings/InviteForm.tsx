// Invite someone to the org by email and role (POST /api/invitations); the link is shown once.
import { useState, type FormEvent } from "react";
import { api, type Invitation } from "../../api";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Field } from "../../components/Field";
import { ShownOnce } from "./ShownOnce";

export function InviteForm({ onInvited }: { onInvited: (i: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const [link, setLink] = useState<Invitation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (email.trim() === "") return setError(new Error("Give the email address to invite."));
    setBusy(true);
    try {
      const inv = await api.invite({ email: email.trim(), role });
      setLink(inv);
      setEmail("");
      onInvited(inv);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <form className="row" aria-label="Invite a member" onSubmit={submit}>
        <Field label="Email" type="email" value={email} onChange={setEmail} maxLength={254} data-testid="invite-email" />
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" data-testid="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" className="primary" disabled={busy} data-testid="invite-submit">
          {busy ? "Inviting…" : "Invite"}
        </button>
      </form>
      <ErrorBanner error={error} />
      {link?.inviteUrl ? <ShownOnce label={`Invitation link for ${link.email}`} value={link.inviteUrl} testId="invite-link" onDone={() => setLink(null)} /> : null}
    </div>
  );
}
