// A free map field (additionalProperties: headers, query): key/value rows, each value a
// template field; renaming a key keeps the order; an empty map is removed from the inputs.
import { formatField, type PathToken } from "../../lib/jsonPointer";
import { formatFieldValue, parseFieldInput, type FormField } from "../../lib/schemaForm";
import { useFormEnv } from "./formEnv";
import { TemplateInput } from "./TemplateInput";

interface Props {
  field: FormField;
  path: PathToken[];
  value: unknown;
}

function entriesOf(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

export function MapControl({ field, path, value }: Props) {
  const env = useFormEnv();
  const entries = entriesOf(value);
  const valueField = field.value ?? { ...field, kind: "json" as const };
  const write = (next: [string, unknown][]) => env.set(path, next.length === 0 ? undefined : Object.fromEntries(next));
  const freeKey = () => {
    for (let n = 1; ; n++) {
      const k = n === 1 ? "key" : `key${n}`;
      if (!entries.some(([e]) => e === k)) return k;
    }
  };
  return (
    <div className="map-rows">
      {entries.map(([k, v], i) => (
        <div key={i} className="map-row">
          <input
            aria-label={`${field.label} key ${i + 1}`}
            data-testid={`field-${formatField(path)}-key-${i}`}
            value={k}
            onChange={(e) => {
              const nk = e.target.value;
              if (entries.some(([o], j) => o === nk && j !== i)) return;
              write(entries.map((en, j) => (j === i ? [nk, en[1]] : en)));
            }}
          />
          <TemplateInput
            label={`${field.label} ${k}`}
            testId={`field-${formatField([...path, k])}`}
            value={formatFieldValue(valueField, v)}
            ctx={env.ctx}
            onChange={(t) => write(entries.map((en, j) => (j === i ? [k, parseFieldInput({ ...valueField, required: true }, t)] : en)))}
          />
          <button type="button" className="quiet" aria-label={`Remove ${field.label} ${k}`} onClick={() => write(entries.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => write([...entries, [freeKey(), ""]])}>
        Add {field.label.toLowerCase()} entry
      </button>
    </div>
  );
}
