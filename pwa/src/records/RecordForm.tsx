// The generic record form: any entity, drawn from its FieldSpecs, validated with the generated
// Create schema, saved to the device at once (engine.mutate) and synced later. An edit sends
// only the fields the user changed. `fix` reopens a change the server refused, with its values
// and the server's messages on the fields they name.
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useWorkspace } from "../app/AppProvider";
import { serverFieldErrors } from "../forms/zodForm";
import { useCRMConfig } from "../hooks/useCRMConfig";
import { useLive } from "../hooks/useLive";
import { StorageFullError } from "../store/errors";
import type { RecordRow, RejectedEntry } from "../store/types";
import { uuid } from "../store/uuid";
import type { RecordEntity } from "../sync/entities";
import { Button } from "../ui/Button";
import { FieldControl } from "./FieldControl";
import { fieldsOf } from "./fields";
import {
  changedFields,
  createPayload,
  type FormValues,
  PARENT_FIELDS,
  recordResolver,
  toFormValues,
} from "./formValues";

export interface RecordFormProps {
  entity: RecordEntity;
  /** the record to edit; absent: a new one */
  record?: RecordRow | undefined;
  /** the fields shown (default: all of the entity's) */
  fields?: readonly string[];
  /** first values of a new record */
  defaults?: Record<string, unknown>;
  /** values sent with a new record and not shown (its parent) */
  fixed?: Record<string, unknown>;
  fix?: RejectedEntry | undefined;
  label: string;
  submitLabel?: string;
  onSaved(id: string): void;
  onCancel?: () => void;
}

export function RecordForm(props: RecordFormProps) {
  const { entity, record, fix } = props;
  const { engine, store } = useWorkspace();
  const config = useCRMConfig();
  const users = useLive(store, (s) => s.users(), [], ["users"]) ?? [];
  const specs = useMemo(() => fieldsOf(entity, props.fields), [entity, props.fields]);
  const id = useMemo(() => record?.id ?? fix?.id ?? uuid(), [record, fix]);
  const initial = useMemo(
    () => toFormValues(entity, specs, record ?? props.defaults),
    [entity, specs, record, props.defaults],
  );
  const fixed = useMemo(() => {
    const parents = Object.fromEntries(PARENT_FIELDS[entity].map((k) => [k, record?.[k] ?? fix?.fields[k] ?? null]));
    return { ...parents, ...props.fixed };
  }, [entity, record, fix, props.fixed]);
  const form = useForm<FormValues>({
    resolver: recordResolver(entity, specs, fixed),
    defaultValues: fix ? { ...initial, ...toFormValues(entity, specs, { ...record, ...fix.fields }) } : initial,
  });
  const [rootError, setRootError] = useState<string | null>(null);
  const names = useMemo(() => specs.map((s) => s.name), [specs]);

  useEffect(() => {
    if (!fix) return;
    const messages: string[] = [];
    for (const { field, message } of serverFieldErrors(fix.error, names)) {
      if (field === "root") messages.push(message);
      else form.setError(field, { type: "server", message });
    }
    setRootError(messages.join(" ") || null);
  }, [fix, form, names]);

  const submit = form.handleSubmit(async (values) => {
    setRootError(null);
    try {
      if (!record) {
        await engine.mutate({ entity, id, op: "create", fields: createPayload(specs, values, fixed) });
      } else {
        const fields = changedFields(specs, initial, values);
        if (Object.keys(fields).length > 0) await engine.mutate({ entity, id, op: "update", fields });
      }
      if (fix) await store.dismissRejected(fix.key);
      props.onSaved(id);
    } catch (err) {
      setRootError(
        err instanceof StorageFullError ? `Not saved. ${err.message} Free some space, then try again.` : String(err),
      );
    }
  });
  const rootMessage = rootError ?? form.formState.errors.root?.message;

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={props.label}>
      {rootMessage && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
          {rootMessage}
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {specs.map((spec) => (
          <FieldControl key={spec.name} spec={spec} form={form} config={config} users={users} />
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {props.submitLabel ?? (record ? "Save" : "Create")}
        </Button>
        {props.onCancel && (
          <Button variant="secondary" onClick={props.onCancel}>
            Cancel
          </Button>
        )}
        <span className="text-xs text-slate-500">Saved on this device at once; synced when online.</span>
      </div>
    </form>
  );
}
