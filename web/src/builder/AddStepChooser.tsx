// Add step: a command-palette chooser over the catalog, grouped Integrations / Blocks /
// Triggers, searchable, driven by lib/chooser.ts (↑↓ Home End Enter Esc).
import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { ChooserItem } from "../lib/catalog";
import { chooserKey, openChooser, setActive, setQuery } from "../lib/chooser";
import { ProviderIcon } from "../components/ProviderIcon";

interface Props {
  items: ChooserItem[];
  onPick: (item: ChooserItem) => void;
  onClose: () => void;
}

export function AddStepChooser({ items, onPick, onClose }: Props) {
  const [state, setState] = useState(() => openChooser(items));
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();
  const rowIndex = useMemo(() => new Map(state.rows.map((r, i) => [r.id, i])), [state.rows]);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${state.active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [state.active]);

  const activeId = state.rows[state.active] ? `${id}-row-${state.active}` : undefined;
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="chooser" role="dialog" aria-modal="true" aria-label="Add step" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="chooser-search"
          type="search"
          placeholder="Search integrations, blocks and triggers"
          aria-label="Search steps"
          data-testid="chooser-search"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${id}-list`}
          aria-activedescendant={activeId}
          value={state.query}
          onChange={(e) => setState(setQuery(items, state, e.target.value))}
          onKeyDown={(e) => {
            const r = chooserKey(state, e.key);
            if (r.type === "state" && r.state === state) return;
            e.preventDefault();
            if (r.type === "pick") onPick(r.item);
            else if (r.type === "close") onClose();
            else setState(r.state);
          }}
        />
        <div ref={list} id={`${id}-list`} className="chooser-list" role="listbox" aria-label="Steps">
          {state.groups.length === 0 ? <p className="empty">Nothing matches “{state.query}”.</p> : null}
          {state.groups.map((g) => (
            <div key={g.id} role="group" aria-label={g.label}>
              <div className="chooser-group">{g.label}</div>
              {g.items.map((item) => {
                const i = rowIndex.get(item.id)!;
                return (
                  <div
                    key={item.id}
                    id={`${id}-row-${i}`}
                    data-index={i}
                    data-testid={`chooser-row-${item.id}`}
                    role="option"
                    aria-selected={i === state.active}
                    className={`chooser-row${i === state.active ? " active" : ""}`}
                    onMouseMove={() => i !== state.active && setState(setActive(state, i))}
                    onClick={() => onPick(item)}
                  >
                    <ProviderIcon icon={item.icon} label={item.providerName} size={20} />
                    <span className="chooser-provider">{item.providerName}</span>
                    <span className="chooser-title">{item.title}</span>
                    <span className="chooser-desc">{item.description}</span>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
