// The organization switcher in the top bar, shown only when the user belongs to several orgs:
// POST /api/auth/switch-org, then every page reloads its data for the new org (App remounts
// the page on the `weft:org` event).
import { useEffect, useId, useState } from "react";
import { api, type Me } from "../api";
import { errorText } from "./ErrorBanner";

export const ORG_EVENT = "weft:org";

export function OrgSwitcher() {
  const id = useId();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    // A failure here leaves the bar without a switcher; the page reports its own errors.
    api.me().then((m) => live && setMe(m), () => {});
    return () => {
      live = false;
    };
  }, []);
  if (!me || me.orgs.length < 2) return null;
  const change = async (orgId: string) => {
    setBusy(true);
    setError(null);
    try {
      setMe(await api.switchOrg(orgId));
      window.dispatchEvent(new Event(ORG_EVENT));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row">
      <label htmlFor={id} className="muted">Organization</label>
      <select id={id} data-testid="org-switcher" value={me.activeOrg?.id ?? ""} disabled={busy} onChange={(e) => void change(e.target.value)}>
        {me.activeOrg ? null : <option value="">Choose…</option>}
        {me.orgs.map((o) => (
          <option key={o.id} value={o.id}>{o.name}</option>
        ))}
      </select>
      {error ? <span className="field-error" role="alert">{errorText(error)}</span> : null}
    </span>
  );
}
