// A field of any JSON (no usable type in the schema): the text is kept as typed while it is
// being edited, and the value stored is its JSON when it parses, else the text (a template or
// a string). An outside change (undo) replaces the text.
import { useState } from "react";
import { formatField, type PathToken } from "../../lib/jsonPointer";
import { formatFieldValue, parseFieldInput, type FormField } from "../../lib/schemaForm";
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

export function JsonControl({ id, field, path, value, invalid, describedBy }: Props) {
  const env = useFormEnv();
  const [text, setText] = useState<{ text: string; value: unknown } | null>(null);
  const shown = text && Object.is(text.value, value) ? text.text : formatFieldValue(field, value);
  return (
    <TemplateInput
      id={id}
      testId={`field-${formatField(path)}`}
      value={shown}
      multiline
      placeholder={field.placeholder ?? "JSON, text or a {{template}}"}
      invalid={invalid}
      describedBy={describedBy}
      ctx={env.ctx}
      onChange={(t) => {
        const v = parseFieldInput(field, t);
        setText({ text: t, value: v });
        env.set(path, v);
      }}
    />
  );
}
