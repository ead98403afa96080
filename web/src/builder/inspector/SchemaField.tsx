// One field of the inspector's form (lib/schemaForm.ts FormField) at its actual path: label
// (required marked), the control for its kind, help from the schema's description, the
// "give `text` or `blocks`" note, save errors under it and templates that no longer resolve.
import { useId } from "react";
import { formatField, getAt, type PathToken } from "../../lib/jsonPointer";
import type { FormField } from "../../lib/schemaForm";
import { unresolvedRefs } from "../../lib/templates";
import { useFormEnv } from "./formEnv";
import { ScalarControl } from "./ScalarControl";
import { JsonControl } from "./JsonControl";
import { ArrayControl } from "./ArrayControl";
import { MapControl } from "./MapControl";

interface Props {
  field: FormField;
  path: PathToken[];
  // The step's whole object, to read this field's value from.
  step: unknown;
}

export function SchemaField({ field, path, step }: Props) {
  const env = useFormEnv();
  const id = useId();
  const name = formatField(path);
  const value = getAt(step, path);
  const group = field.kind === "object" || field.kind === "array" || field.kind === "map";
  const errors = env.messages(name, group);
  const unresolved = unresolvedRefs(value, env.stepIds, env.outputSchemaOf);
  const helpId = `${id}-help`;
  const label = (
    <>
      {field.label}
      {field.required ? <span className="required" aria-label="required"> *</span> : null}
    </>
  );
  const below = (
    <div id={helpId}>
      {field.description ? <p className="field-help">{field.description}</p> : null}
      {field.alternative ? <p className="field-note">Note: {field.alternative}.</p> : null}
      {unresolved.map((r) => (
        <p key={r.expression + r.pointer} className="field-error">
          {`{{${r.expression}}}`} no longer resolves: {r.step && !env.stepIds.has(r.step) ? `there is no step '${r.step}'` : "its step's output has no such field"}.
        </p>
      ))}
      {errors.map((m, i) => (
        <p key={i} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );

  if (field.kind === "object") {
    return (
      <fieldset className="field-group" data-testid={`field-${name}`}>
        <legend>{label}</legend>
        {(field.fields ?? []).map((f) => (
          <SchemaField key={f.name} field={f} path={[...path, f.name]} step={step} />
        ))}
        {below}
      </fieldset>
    );
  }
  if (field.kind === "array" || field.kind === "map") {
    return (
      <fieldset className="field-group" data-testid={`field-${name}`}>
        <legend>{label}</legend>
        {field.kind === "array" ? <ArrayControl field={field} path={path} value={value} step={step} /> : <MapControl field={field} path={path} value={value} />}
        {below}
      </fieldset>
    );
  }
  return (
    <div className={`field${unresolved.length ? " unresolved" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {field.kind === "json" ? (
        <JsonControl id={id} field={field} path={path} value={value} invalid={errors.length > 0 || unresolved.length > 0} describedBy={helpId} />
      ) : (
        <ScalarControl id={id} field={field} path={path} value={value} invalid={errors.length > 0 || unresolved.length > 0} describedBy={helpId} />
      )}
      {below}
    </div>
  );
}
