// A list field: one item form per element (at its index), Remove on each, Add item at the end.
// A whole-list template ("{{steps.a.output.items}}") is edited as text.
import { formatField, type PathToken } from "../../lib/jsonPointer";
import { isTemplateValue, type FormField } from "../../lib/schemaForm";
import { useFormEnv } from "./formEnv";
import { SchemaField } from "./SchemaField";
import { TemplateInput } from "./TemplateInput";

interface Props {
  field: FormField;
  path: PathToken[];
  value: unknown;
  step: unknown;
}

function emptyItem(item: FormField | undefined): unknown {
  switch (item?.kind) {
    case "object":
    case "map":
      return {};
    case "array":
      return [];
    case "text":
      return "";
    default:
      return null;
  }
}

export function ArrayControl({ field, path, value, step }: Props) {
  const env = useFormEnv();
  if (isTemplateValue(value)) {
    return (
      <TemplateInput
        testId={`field-${formatField(path)}-template`}
        label={field.label}
        value={value as string}
        ctx={env.ctx}
        onChange={(t) => env.set(path, t === "" ? undefined : t)}
      />
    );
  }
  const items = Array.isArray(value) ? value : [];
  const item = field.item!;
  return (
    <div className="array-items">
      {items.map((_, i) => (
        <div key={i} className="array-item">
          <SchemaField field={{ ...item, label: `${field.label} ${i + 1}`, name: String(i) }} path={[...path, i]} step={step} />
          <button type="button" className="quiet" aria-label={`Remove ${field.label} ${i + 1}`} onClick={() => env.set(path, items.length === 1 ? undefined : items.filter((__, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => env.set(path, [...items, emptyItem(item)])}>
        Add {field.label.toLowerCase()} item
      </button>
    </div>
  );
}
