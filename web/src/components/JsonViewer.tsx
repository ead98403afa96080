// A virtualised JSON tree (lib/jsonRows.ts + @tanstack/react-virtual): only the rows in view
// (plus a few) are in the DOM, so a step output of several MB opens at once. Containers open
// and close with a click or Enter; long strings are cut in their row.
import { useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { defaultExpanded, jsonRows, toggle } from "../lib/jsonRows";

interface Props {
  value: unknown;
  label: string;
  testId?: string;
  height?: number;
}

const ROW = 20;

export function JsonViewer({ value, label, testId, height = 240 }: Props) {
  const [expanded, setExpanded] = useState(() => defaultExpanded(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setExpanded(defaultExpanded(value));
  }
  const rows = useMemo(() => jsonRows(value, expanded), [value, expanded]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
    initialRect: { width: 0, height },
  });
  return (
    <div ref={scroller} className="json-viewer" role="tree" aria-label={label} data-testid={testId} data-rows={rows.length} style={{ height: Math.min(height, rows.length * ROW + 4) }}>
      <div className="json-viewer-inner" style={{ height: virtual.getTotalSize() }}>
        {virtual.getVirtualItems().map((item) => {
          const r = rows[item.index]!;
          return (
            <div
              key={r.id}
              role="treeitem"
              aria-level={r.depth + 1}
              aria-expanded={r.expandable ? r.expanded : undefined}
              aria-selected={false}
              className={`json-row json-${r.type}`}
              style={{ transform: `translateY(${item.start}px)`, paddingLeft: 4 + r.depth * 14 }}
            >
              {r.expandable ? (
                <button type="button" className="json-toggle" aria-label={`${r.expanded ? "Close" : "Open"} ${r.key ?? "value"}`} onClick={() => setExpanded(toggle(expanded, r.id))}>
                  {r.expanded ? "▾" : "▸"}
                </button>
              ) : (
                <span className="json-toggle" />
              )}
              {r.key !== null ? <span className="json-key">{r.key}: </span> : null}
              <span className="json-value">{r.expanded ? (r.type === "array" ? `[ ${r.size} ]` : `{ ${r.size} }`) : r.preview}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
