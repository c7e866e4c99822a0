// Edit one record from an overview: the record form's fields (validated with the generated
// schema), saved straight to the server with If-Match on the version shown. If someone changed
// the record meanwhile (412), the server's values are shown beside the admin's, who then
// reapplies their changes on top or starts again from the server's values.
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { HttpError } from "../../../api/http";
import { useApp, useWorkspace } from "../../../app/AppProvider";
import { serverFieldErrors } from "../../../forms/zodForm";
import { type CRMConfig, useCRMConfig } from "../../../hooks/useCRMConfig";
import { useLive } from "../../../hooks/useLive";
import { displayValue, type Names } from "../../../records/display";
import { FieldControl } from "../../../records/FieldControl";
import { fieldsOf } from "../../../records/fields";
import {
  changedFields,
  type FormValues,
  PARENT_FIELDS,
  recordResolver,
  toFormValues,
} from "../../../records/formValues";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { errorText } from "../shared/messages";
import { StaleRecord, updateRecord } from "./api";
import { staleFields } from "./edit";
import type { OverviewRow, OverviewSpec } from "./entities";
import { rowTitle } from "./OverviewTable";

export function EditDialog({
  spec,
  row,
  names,
  onClose,
  onSaved,
}: {
  spec: OverviewSpec;
  row: OverviewRow | null;
  names: Names;
  onClose(): void;
  onSaved(row: OverviewRow): void;
}) {
  return (
    <Dialog open={row !== null} onClose={onClose} title={row ? `Edit ${rowTitle(spec, row)}` : ""}>
      {row && <EditForm key={row.id} spec={spec} row={row} names={names} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

interface Stale {
  current: OverviewRow;
  mine: Record<string, unknown>;
}

function EditForm({
  spec,
  row,
  names,
  onCancel,
  onSaved,
}: {
  spec: OverviewSpec;
  row: OverviewRow;
  names: Names;
  onCancel(): void;
  onSaved(row: OverviewRow): void;
}) {
  const { api } = useApp();
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const users = useLive(store, (s) => s.users(), [], ["users"]) ?? [];
  const specs = useMemo(() => fieldsOf(spec.entity, spec.editable), [spec]);
  // The version the form edits: the row as listed, or the server's after "start again".
  const [base, setBase] = useState(row);
  const initial = useMemo(() => toFormValues(spec.entity, specs, base), [spec, specs, base]);
  const fixed = useMemo(
    () => Object.fromEntries(PARENT_FIELDS[spec.entity].map((k) => [k, base[k] ?? null])),
    [spec, base],
  );
  const form = useForm<FormValues>({ resolver: recordResolver(spec.entity, specs, fixed), defaultValues: initial });
  const [stale, setStale] = useState<Stale | null>(null);
  const [rootError, setRootError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const noun = config.noun(spec.entity).toLowerCase();

  const save = async (changes: Record<string, unknown>, version: number) => {
    setRootError(null);
    setSaving(true);
    try {
      onSaved(await updateRecord(api, spec, row.id, version, changes));
    } catch (err) {
      setSaving(false);
      if (err instanceof StaleRecord) setStale({ current: err.current, mine: changes });
      else if (err instanceof HttpError && err.status === 422) showFieldErrors(err);
      else if (err instanceof HttpError && err.status === 404)
        setRootError(`This ${noun} no longer exists: it was purged from Trash. Close this and refresh the list.`);
      else setRootError(errorText(err));
    }
  };
  const showFieldErrors = (err: HttpError) => {
    const root: string[] = [];
    for (const { field, message } of serverFieldErrors(err.body, spec.editable)) {
      if (field === "root") root.push(message);
      else form.setError(field, { type: "server", message });
    }
    setRootError(root.join(" ") || null);
  };
  const submit = form.handleSubmit(async (values) => {
    const changes = changedFields(specs, initial, values);
    if (Object.keys(changes).length === 0) onCancel();
    else await save(changes, base.version);
  });
  const startOver = (current: OverviewRow) => {
    setBase(current);
    form.reset(toFormValues(spec.entity, specs, current));
    setStale(null);
  };
  const message = rootError ?? form.formState.errors.root?.message;
  // A long form scrolls inside the dialog: bring what the server said into view.
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message || stale) notice.current?.scrollIntoView({ block: "nearest" });
  }, [message, stale]);

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={`Edit ${noun}`}>
      <div ref={notice} className="scroll-mt-4 space-y-3 empty:hidden">
        {message && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
            {message}
          </p>
        )}
        {stale && (
          <StalePanel
            {...{ config, names }}
            fields={staleFields(specs, base, stale.current, stale.mine)}
            busy={saving}
            onReapply={() => void save(stale.mine, stale.current.version)}
            onStartOver={() => startOver(stale.current)}
          />
        )}
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {specs.map((s) => (
          <FieldControl key={s.name} spec={s} form={form} config={config} users={users} />
        ))}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={saving || stale !== null}>
          Save
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function StalePanel({
  fields,
  config,
  names,
  busy,
  onReapply,
  onStartOver,
}: {
  fields: ReturnType<typeof staleFields>;
  config: CRMConfig;
  names: Names;
  busy: boolean;
  onReapply(): void;
  onStartOver(): void;
}) {
  const show = (f: (typeof fields)[number], value: unknown) => displayValue(f.spec, value, config, names);
  return (
    <div role="alert" className="space-y-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200">
      <p className="font-medium">Someone changed this record while you were editing. The server now has:</p>
      <table className="w-full text-left" data-testid="stale-fields">
        <thead>
          <tr className="text-xs text-amber-900">
            <th scope="col">Field</th>
            <th scope="col">On the server now</th>
            <th scope="col">Yours</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.spec.name}>
              <th scope="row" className="pr-2 font-normal">
                {f.spec.label}
              </th>
              <td className="pr-2">{show(f, f.server)}</td>
              <td>{f.changedByYou ? show(f, f.yours) : "(not changed by you)"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap gap-2">
        <Button disabled={busy} onClick={onReapply}>
          Reapply my changes
        </Button>
        <Button variant="secondary" onClick={onStartOver}>
          Start again from the server's values
        </Button>
      </div>
    </div>
  );
}
