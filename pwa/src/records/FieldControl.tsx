// One field of a record form, drawn from its FieldSpec: label, control, error, all linked.
import { useEffect } from "react";
import type { UseFormRegisterReturn, UseFormReturn } from "react-hook-form";
import { useWorkspace } from "../app/AppProvider";
import type { CRMConfig } from "../hooks/useCRMConfig";
import { useLive } from "../hooks/useLive";
import type { UserRow } from "../store/types";
import { Field, Input, Select, TextArea } from "../ui/Field";
import type { FieldSpec } from "./fields";
import type { FormValues } from "./formValues";

const INPUT_TYPES: Partial<Record<FieldSpec["kind"], string>> = {
  email: "email",
  tel: "tel",
  date: "date",
  datetime: "datetime-local",
};

export function FieldControl({
  spec,
  form,
  config,
  users,
}: {
  spec: FieldSpec;
  form: UseFormReturn<FormValues>;
  config: CRMConfig;
  users: UserRow[];
}) {
  const { name } = spec;
  useResync(form, name, spec.kind === "user" ? users.length : 0);
  const error = form.formState.errors[name]?.message;
  const invalid = !!error;
  const field = form.register(name);
  const wide = spec.wide ? "sm:col-span-2" : "";

  if (spec.kind === "bool") {
    return (
      <div className={`flex items-center gap-2 ${wide}`}>
        <input id={name} type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-brand-700" {...field} />
        <label htmlFor={name} className="text-sm text-slate-700">
          {spec.label}
        </label>
      </div>
    );
  }
  let control: React.ReactNode;
  if (spec.kind === "textarea") {
    control = <TextArea id={name} rows={3} invalid={invalid} {...field} />;
  } else if (spec.kind === "closed" && spec.list) {
    control = (
      <Select id={name} invalid={invalid} {...field}>
        {spec.optional && <option value="">—</option>}
        {config.options(spec.list).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    );
  } else if (spec.kind === "user") {
    control = (
      <Select id={name} invalid={invalid} {...field}>
        <option value="">Unassigned</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name || u.email}
          </option>
        ))}
      </Select>
    );
  } else if (spec.kind === "client") {
    control = <ClientSelect id={name} invalid={invalid} field={field} form={form} />;
  } else {
    control = (
      <Input
        id={name}
        invalid={invalid}
        type={INPUT_TYPES[spec.kind] ?? "text"}
        inputMode={spec.kind === "money" ? "decimal" : undefined}
        autoComplete={spec.autoComplete}
        list={spec.suggest ? `${name}-suggestions` : undefined}
        {...field}
      />
    );
  }
  return (
    <Field
      id={name}
      label={spec.kind === "money" ? `${spec.label} (${config.currency})` : spec.label}
      error={error}
      className={wide}
    >
      {control}
      {spec.suggest && (
        <datalist id={`${name}-suggestions`}>
          {config[spec.suggest].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </Field>
  );
}

/** The device's clients, by name (a project's client). */
function ClientSelect({
  id,
  invalid,
  field,
  form,
}: {
  id: string;
  invalid: boolean;
  field: UseFormRegisterReturn;
  form: UseFormReturn<FormValues>;
}) {
  const { store } = useWorkspace();
  const clients = useLive(
    store,
    async (s) =>
      (await s.list("client"))
        .filter((c) => !c.deleted_at)
        .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    [],
    ["records"],
  );
  useResync(form, id, clients?.length ?? 0);
  return (
    <Select id={id} invalid={invalid} {...field}>
      <option value="">No client</option>
      {(clients ?? []).map((c) => (
        <option key={c.id} value={c.id}>
          {String(c.name)}
        </option>
      ))}
    </Select>
  );
}

/** A select whose options arrive after the form (read from the store) shows its value once
 * they do: the browser cannot select an option that did not exist yet. */
function useResync(form: UseFormReturn<FormValues>, name: string, optionCount: number): void {
  useEffect(() => {
    if (optionCount > 0) form.setValue(name, form.getValues(name));
  }, [form, name, optionCount]);
}
