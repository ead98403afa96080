// The trigger node's position: the server's workflow JSON has no field for it (trigger takes
// type/cron/timezone only), so it is kept per workflow in local storage.
import { useCallback, useState } from "react";
import type { Position } from "../lib/types";

const PREFIX = "weft:trigger-position:";

function read(id: string | null): Position | undefined {
  if (!id) return undefined;
  try {
    const v = JSON.parse(localStorage.getItem(PREFIX + id) ?? "null") as Position | null;
    return v && Number.isFinite(v.x) && Number.isFinite(v.y) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function useTriggerPosition(id: string | null): [Position | undefined, (p: Position) => void] {
  const [pos, setPos] = useState(() => read(id));
  const set = useCallback(
    (p: Position) => {
      setPos(p);
      if (id) {
        try {
          localStorage.setItem(PREFIX + id, JSON.stringify(p));
        } catch {
          // storage full or disabled: the position lasts for this page only
        }
      }
    },
    [id],
  );
  return [pos, set];
}
