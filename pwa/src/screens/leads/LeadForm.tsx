// Create or edit a lead. Saved to the device at once (and synced later); validated with the
// generated LeadCreate schema. An edit sends only the fields the user changed, so untouched
// fields never count as concurrent edits. `?fix=<key>` reopens a change the server refused,
// with its values and the server's field errors.
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { createSchema } from "../../contracts/refinements";
import { blankToNull, serverFieldErrors, zodResolver } from "../../forms/zodForm";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import type { RecordRow, RejectedEntry } from "../../store/types";
import { uuid } from "../../store/uuid";
import { Button } from "../../ui/Button";
import { Field, Input, Select, TextArea } from "../../ui/Field";
import { LEAD_FORM_FIELDS, LEAD_LABELS, type LeadFormValues, toFormValues } from "./leadFields";

type Mode = "create" | "edit";
type FieldName = (typeof LEAD_FORM_FIELDS)[number];

export function LeadFormScreen({ mode }: { mode: Mode }) {
  const { id: routeId } = useParams();
  const [params] = useSearchParams();
  const fixKey = params.get("fix");
  const { store } = useWorkspace();
  // undefined while reading, null when absent: the form starts only from what is stored.
  const record = useLive(store, async (s) => (routeId ? ((await s.get("lead", routeId)) ?? null) : null), [routeId]);
  const fix = useLive(
    store,
    async (s) => (fixKey ? ((await s.rejected()).find((r) => r.key === fixKey) ?? null) : null),
    [fixKey],
  );
  if (record === undefined || fix === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  return <LeadForm mode={mode} record={record ?? undefined} fix={fix ?? undefined} />;
}

function LeadForm({
  mode,
  record,
  fix,
}: {
  mode: Mode;
  record: RecordRow | undefined;
  fix: RejectedEntry | undefined;
}) {
  const { engine, store } = useWorkspace();
  const config = useCRMConfig();
  const navigate = useNavigate();
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const id = useMemo(() => record?.id ?? fix?.id ?? uuid(), [record, fix]);
  const initial = useMemo(() => toFormValues(record), [record]);
  const form = useForm<LeadFormValues>({
    resolver: zodResolver<LeadFormValues>(createSchema("lead")),
    defaultValues: fix ? { ...initial, ...toFormValues({ ...record, ...fix.fields }) } : initial,
  });
  const { errors, isSubmitting } = form.formState;
  const [rootError, setRootError] = useState<string | null>(null);

  // A refused change comes back with the server's reasons, shown on the fields they name.
  useEffect(() => {
    if (!fix) return;
    const messages: string[] = [];
    for (const { field, message } of serverFieldErrors(fix.error, LEAD_FORM_FIELDS)) {
      if (field === "root") messages.push(message);
      else form.setError(field as FieldName, { type: "server", message });
    }
    setRootError(messages.join(" ") || null);
  }, [fix, form]);

  const submit = form.handleSubmit(async () => {
    const values = blankToNull(form.getValues()) as Record<string, unknown>;
    if (mode === "create" || !record) {
      const fields = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
      await engine.mutate({ entity: "lead", id, op: "create", fields });
    } else {
      const before = blankToNull(initial) as Record<string, unknown>;
      const changed = Object.fromEntries(
        LEAD_FORM_FIELDS.filter((f) => values[f] !== before[f]).map((f) => [
          f,
          typeof values[f] === "string" ? (values[f] as string).trim() : values[f],
        ]),
      );
      if (Object.keys(changed).length > 0) await engine.mutate({ entity: "lead", id, op: "update", fields: changed });
    }
    if (fix) await store.dismissRejected(fix.key);
    navigate(`/leads/${id}`, { replace: true });
  });

  const text = (name: FieldName, props: { type?: string; autoComplete?: string; list?: string } = {}) => (
    <Field id={name} label={LEAD_LABELS[name]} error={errors[name]?.message}>
      <Input id={name} invalid={!!errors[name]} {...props} {...form.register(name)} />
    </Field>
  );
  const closed = (name: FieldName, list: "lead_status" | "phone_label", allowEmpty: boolean) => (
    <Field id={name} label={LEAD_LABELS[name]} error={errors[name]?.message}>
      <Select id={name} invalid={!!errors[name]} {...form.register(name)}>
        {allowEmpty && <option value="">—</option>}
        {config.options(list).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={mode === "create" ? "New lead" : "Edit lead"}>
      <div className="flex items-center gap-2">
        <Link to={record ? `/leads/${id}` : "/leads"} className="text-sm text-slate-500 hover:underline">
          ← Back
        </Link>
      </div>
      <h1 className="text-lg font-semibold">
        {mode === "create" ? "New lead" : `Edit ${String(record?.name ?? "lead")}`}
      </h1>
      {rootError && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
          {rootError}
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-2">
        {text("name", { autoComplete: "organization" })}
        {closed("lead_status", "lead_status", false)}
        {text("contact_person", { autoComplete: "name" })}
        {text("contact_title")}
        {text("email", { type: "email", autoComplete: "email" })}
        {text("phone", { type: "tel", autoComplete: "tel" })}
        {closed("phone_label", "phone_label", true)}
        {text("secondary_phone", { type: "tel" })}
        {closed("secondary_phone_label", "phone_label", true)}
        {text("address", { autoComplete: "street-address" })}
        {text("city")}
        {text("state")}
        {text("zip", { autoComplete: "postal-code" })}
        {text("lead_source", { list: "lead-sources" })}
        {text("business_type", { list: "business-types" })}
        <Field id="assigned_to" label={LEAD_LABELS.assigned_to} error={errors.assigned_to?.message}>
          <Select id="assigned_to" invalid={!!errors.assigned_to} {...form.register("assigned_to")}>
            <option value="">Unassigned</option>
            {(users ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name || u.email}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="notes" label={LEAD_LABELS.notes} error={errors.notes?.message} className="sm:col-span-2">
          <TextArea id="notes" rows={4} invalid={!!errors.notes} {...form.register("notes")} />
        </Field>
        <datalist id="lead-sources">
          {config.lead_sources.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <datalist id="business-types">
          {config.business_types.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {mode === "create" ? "Create lead" : "Save"}
        </Button>
        <Button variant="secondary" onClick={() => navigate(-1)}>
          Cancel
        </Button>
      </div>
      <p className="text-xs text-slate-500">Saved on this device at once; synced when you are online.</p>
    </form>
  );
}
