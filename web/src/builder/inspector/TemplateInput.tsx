// A text field that takes `{{…}}` templates: typing `{{` opens autocomplete of earlier steps'
// outputs and trigger.* (lib/templates.ts suggest/applySuggestion; ↑↓ Enter/Tab Esc), and the
// data panel inserts at its cursor. A plain input/textarea, not CodeMirror: see web/README.md.
import { useId, useLayoutEffect, useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";
import { applySuggestion, insertTemplate, openTemplateAt, suggest, type Suggestion, type TemplateContext } from "../../lib/templates";
import { useFieldFocus } from "./fieldFocus";

interface Props {
  id?: string;
  value: string;
  onChange: (text: string) => void;
  ctx: TemplateContext;
  multiline?: boolean;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
  label?: string;
}

type Field = HTMLInputElement | HTMLTextAreaElement;

export function TemplateInput({ id, value, onChange, ctx, multiline, placeholder, invalid, describedBy, testId, label }: Props) {
  const el = useRef<Field | null>(null);
  const cursorAfter = useRef<number | null>(null);
  const [typed, setTyped] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const focus = useFieldFocus();
  const listId = useId();
  const items: Suggestion[] = useMemo(() => (typed === null ? [] : suggest(ctx, typed, 20)), [ctx, typed]);
  const open = items.length > 0;

  useLayoutEffect(() => {
    if (cursorAfter.current !== null && el.current) {
      el.current.setSelectionRange(cursorAfter.current, cursorAfter.current);
      cursorAfter.current = null;
    }
  });

  const refresh = (text: string, cursor: number) => {
    const t = openTemplateAt(text, cursor);
    setTyped(t ? t.typed : null);
    setActive(0);
  };

  const commit = (text: string, cursor: number) => {
    cursorAfter.current = cursor;
    onChange(text);
  };

  const pick = (s: Suggestion) => {
    const f = el.current;
    if (!f) return;
    const edit = applySuggestion(f.value, f.selectionStart ?? f.value.length, s.expression);
    setTyped(null);
    commit(edit.text, edit.cursor);
  };

  const inserter = {
    insert: (expression: string) => {
      const f = el.current;
      if (!f) return;
      const edit = insertTemplate(f.value, f.selectionStart ?? f.value.length, f.selectionEnd ?? f.value.length, expression);
      commit(edit.text, edit.cursor);
      f.focus();
    },
  };

  const common = {
    id,
    value,
    placeholder,
    "aria-label": label,
    "aria-invalid": invalid ? true : undefined,
    "aria-describedby": describedBy,
    "aria-autocomplete": "list" as const,
    "aria-expanded": open,
    "aria-controls": open ? listId : undefined,
    role: "combobox",
    "data-testid": testId,
    className: `template-input${multiline ? " multiline" : ""}`,
    spellCheck: false,
    onChange: (e: ChangeEvent<Field>) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart ?? e.target.value.length);
    },
    onFocus: () => focus.set(inserter),
    onBlur: () => setTyped(null),
    onKeyDown: (e: KeyboardEvent<Field>) => {
      if (!open) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = items.length;
        setActive((a) => (a + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        pick(items[active]!);
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        setTyped(null);
      }
    },
  };

  return (
    <div className="template-field">
      {multiline ? (
        <textarea ref={(r) => void (el.current = r)} rows={3} {...common} />
      ) : (
        <input ref={(r) => void (el.current = r)} type="text" {...common} />
      )}
      {open ? (
        <ul id={listId} className="suggestions" role="listbox" aria-label="Template suggestions">
          {items.map((s, i) => (
            <li
              key={s.expression}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
            >
              <code>{s.expression}</code>
              {s.detail ? <span className="muted">{s.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
