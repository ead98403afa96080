// The org's credentials (GET /api/credentials) for the credential picker, loaded once when the
// builder opens; a credential connected from the inspector is added without a reload.
import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import type { CredentialInfo } from "../lib/credentials";

export function useCredentials() {
  const [list, setList] = useState<CredentialInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api.listCredentials().then(
      (l) => live && setList(l),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  const add = useCallback((c: CredentialInfo) => setList((l) => [...(l ?? []).filter((x) => x.id !== c.id), c]), []);
  return { credentials: list, error, add };
}
