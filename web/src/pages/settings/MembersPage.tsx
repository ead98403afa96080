// /settings/members: the org's members (everyone may see them; admins remove them), and for
// admins the invitations: invite by email and role, list, revoke. Refusals in words.
import { useState } from "react";
import { api, ApiError, type Invitation } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TopBar } from "../../components/TopBar";
import { useLoad } from "../../components/useLoad";
import { InviteForm } from "./InviteForm";

export function MembersPage() {
  const me = useLoad(() => api.me(), []);
  const members = useLoad(() => api.listMembers(), []);
  const admin = me.data?.activeOrg?.role === "admin";
  const invitations = useLoad<Invitation[]>(() => (admin ? api.listInvitations() : Promise.resolve([])), [admin]);
  const [error, setError] = useState<unknown>(null);

  const attempt = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 403 ? new Error(`Only an organization admin can do this (${e.message}).`) : e);
    }
  };

  return (
    <>
      <TopBar />
      <main className="page stack">
        <h1>Members{me.data?.activeOrg ? ` of ${me.data.activeOrg.name}` : ""}</h1>
        <ErrorBanner error={error ?? members.error ?? invitations.error} />
        {members.data ? (
          <table className="list" data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                {admin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.userId} data-testid={`member-row-${m.userId}`}>
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                  <td><time dateTime={m.since}>{new Date(m.since).toLocaleDateString()}</time></td>
                  {admin ? (
                    <td>
                      {m.userId === me.data?.user.id ? (
                        <span className="muted">you</span>
                      ) : (
                        <ConfirmButton
                          label="Remove"
                          confirmLabel={`Remove ${m.email}`}
                          testId={`remove-member-${m.userId}`}
                          onConfirm={() =>
                            void attempt(async () => {
                              await api.removeMember(m.userId);
                              members.set((l) => l && l.filter((x) => x.userId !== m.userId));
                            })
                          }
                        />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : !members.error ? (
          <p className="muted">Loading members…</p>
        ) : null}
        {admin ? (
          <section className="stack" aria-label="Invitations">
            <h2>Invitations</h2>
            <InviteForm onInvited={() => invitations.reload()} />
            {invitations.data && invitations.data.length === 0 ? <p className="empty">No invitations.</p> : null}
            {invitations.data && invitations.data.length > 0 ? (
              <table className="list" data-testid="invitations-table">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.map((i) => (
                    <tr key={i.id} data-testid={`invitation-row-${i.id}`}>
                      <td>{i.email}</td>
                      <td>{i.role}</td>
                      <td>{i.status ?? "pending"}</td>
                      <td><time dateTime={i.expiresAt}>{new Date(i.expiresAt).toLocaleString()}</time></td>
                      <td>
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel={`Revoke the invitation of ${i.email}`}
                          testId={`revoke-invitation-${i.id}`}
                          onConfirm={() =>
                            void attempt(async () => {
                              await api.revokeInvitation(i.id);
                              invitations.set((l) => l && l.filter((x) => x.id !== i.id));
                            })
                          }
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </section>
        ) : null}
      </main>
    </>
  );
}
