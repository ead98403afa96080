// The control of a text, number, integer, boolean or enum field. Text-like ones take templates;
// a boolean or enum whose value is a template (or the user picks "Template…") becomes a
// template field, since a checkbox cannot hold one.
import { formatField, type PathToken } from "../../lib/jsonPointer";
import { formatFieldValue, isTemplateValue, parseFieldInput, type FormField } from "../../lib/schemaForm";
import { useFormEnv } from "./formEnv";
import { TemplateInput } from "./TemplateInput";

interface Props {
  id: string;
  field: FormField;
  path: PathToken[];
  value: unknown;
  invalid: boolean;
  describedBy: string;
}

const TEMPLATE = "__template__";

export function ScalarControl({ id, field, path, value, invalid, describedBy }: Props) {
  const env = useFormEnv();
  const testId = `field-${formatField(path)}`;
  const choices =
    field.kind === "select" ? (field.options ?? []) : field.kind === "boolean" ? [{ value: true, label: "true" }, { value: false, label: "false" }] : null;
  if (choices && !isTemplateValue(value)) {
    const at = choices.findIndex((o) => JSON.stringify(o.value) === JSON.stringify(value));
    return (
      <select
        id={id}
        data-testid={testId}
        value={value === undefined ? "" : at >= 0 ? String(at) : "other"}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          const v = e.target.value;
          if (v === TEMPLATE) env.set(path, "{{}}");
          else env.set(path, v === "" ? undefined : choices[Number(v)]!.value);
        }}
      >
        <option value="">{field.defaultValue !== undefined ? `Default (${formatFieldValue(field, field.defaultValue)})` : "—"}</option>
        {choices.map((o, i) => (
          <option key={i} value={String(i)}>
            {o.label}
          </option>
        ))}
        {at < 0 && value !== undefined ? <option value="other">{JSON.stringify(value)}</option> : null}
        <option value={TEMPLATE}>Template…</option>
      </select>
    );
  }
  return (
    <TemplateInput
      id={id}
      testId={testId}
      value={formatFieldValue(field, value)}
      multiline={field.multiline}
      placeholder={field.placeholder}
      invalid={invalid}
      describedBy={describedBy}
      ctx={env.ctx}
      onChange={(text) => env.set(path, parseFieldInput(field, text))}
    />
  );
}
