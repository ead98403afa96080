// Loads what a page shows: the data, the error (in words by ErrorBanner), a reload; a 401 sends
// the browser to sign-in. A stale answer (deps changed, page left) is dropped.
import { useCallback, useEffect, useState, type DependencyList } from "react";
import { ApiError } from "../api";
import { toLogin } from "../navigation";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
  set: (update: (d: T | null) => T | null) => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => live && setData(d),
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) toLogin();
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload, set: setData };
}
