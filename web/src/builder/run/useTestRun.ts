// Follows one run live: GET /api/runs/{id}/events (EventSource; `step` and `run` events, see
// lib/runs.ts), then GET /api/runs/{id} once it ends for every step's final record. If the
// stream fails, the run is polled instead until it ends. Only one run is followed at a time.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api";
import { applyRun, applyStep, isTerminal, startView, type RunView } from "../../lib/runs";

export const POLL_MS = 1000;

export interface TestRun {
  view: RunView | null;
  error: unknown;
  follow: (runId: string) => void;
  fail: (error: unknown) => void;
  clear: () => void;
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

export function useTestRun(): TestRun {
  const [view, setView] = useState<RunView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stop = useRef<() => void>(() => {});

  const follow = useCallback((runId: string) => {
    stop.current();
    let live = true;
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    stop.current = () => {
      live = false;
      es?.close();
      if (timer) clearTimeout(timer);
    };
    setError(null);
    setView(startView(runId));
    const fetchRun = (thenPoll: boolean) => {
      api.getRun(runId).then(
        (run) => {
          if (!live) return;
          let done = false;
          setView((v) => {
            const next = applyRun(v ?? startView(runId), run);
            done = isTerminal(next.run.status);
            return next;
          });
          if (thenPoll && !done) timer = setTimeout(() => fetchRun(true), POLL_MS);
        },
        (e) => {
          if (live) setError(e);
        },
      );
    };
    if (typeof EventSource === "undefined") {
      fetchRun(true);
      return;
    }
    es = new EventSource(api.runEventsUrl(runId));
    es.addEventListener("step", (e) => live && setView((v) => applyStep(v ?? startView(runId), parse((e as MessageEvent<string>).data))));
    es.addEventListener("run", (e) => {
      if (!live) return;
      es?.close();
      setView((v) => applyRun(v ?? startView(runId), parse((e as MessageEvent<string>).data)));
      fetchRun(false);
    });
    es.addEventListener("error", () => {
      if (!live) return;
      es?.close();
      fetchRun(true);
    });
  }, []);

  useEffect(() => () => stop.current(), []);

  const fail = useCallback((e: unknown) => setError(e), []);
  const clear = useCallback(() => {
    stop.current();
    setView(null);
    setError(null);
  }, []);
  return { view, error, follow, fail, clear };
}
