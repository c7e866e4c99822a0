// Decide field by field: the server's value, the device's, or another value typed here (checked
// with the entity's generated Update schema; the server's 422 lands on the same fields).
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { ConflictDetail, ErrorBody, ResolveRequest } from "../../../contracts/zod";
import { serverFieldErrors } from "../../../forms/zodForm";
import type { CRMConfig } from "../../../hooks/useCRMConfig";
import type { Names } from "../../../records/display";
import { FieldControl } from "../../../records/FieldControl";
import type { FormValues } from "../../../records/formValues";
import type { UserRow } from "../../../store/types";
import type { RecordEntity } from "../../../sync/entities";
import { Button } from "../../../ui/Button";
import {
  customText,
  defaultPicks,
  type FieldPick,
  type FieldRow,
  type Picks,
  resolveRequest,
  showValue,
  typedValue,
  validateFields,
} from "./diff";

/** Resolves; answers with the server's validation refusal for the form to show, else null
 * (other errors are the caller's to show). */
export type Submit = (body: ResolveRequest) => Promise<ErrorBody | null>;

const PICK_LABELS: Record<FieldPick, string> = { server: "Server", client: "Device", custom: "Another value" };

export function CustomResolution({
  detail,
  entity,
  rows,
  config,
  names,
  users,
  busy,
  onSubmit,
}: {
  detail: ConflictDetail;
  entity: RecordEntity;
  rows: FieldRow[];
  config: CRMConfig;
  names: Names;
  users: UserRow[];
  busy: boolean;
  onSubmit: Submit;
}) {
  const [picks, setPicks] = useState<Picks>(() => defaultPicks(rows, detail.status));
  const [rootError, setRootError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    defaultValues: Object.fromEntries(rows.map((r) => [r.name, customText(entity, r)])),
  });
  const pick = (name: string, value: FieldPick) => setPicks((p) => ({ ...p, [name]: value }));

  const submit = form.handleSubmit(async (values) => {
    setRootError(null);
    form.clearErrors();
    const typed: Record<string, unknown> = {};
    for (const row of rows) {
      if (picks[row.name] === "custom" && row.spec) typed[row.name] = typedValue(row.spec, values[row.name]);
    }
    const invalid = validateFields(entity, typed);
    for (const [name, message] of Object.entries(invalid)) form.setError(name, { message });
    if (Object.keys(invalid).length) return;
    const refusal = await onSubmit(resolveRequest(rows, picks, typed));
    if (!refusal) return;
    for (const { field, message } of serverFieldErrors(
      refusal,
      rows.map((r) => r.name),
    )) {
      if (field === "root") setRootError(message);
      else form.setError(field, { message });
    }
  });

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Choose per field"
      className="space-y-3"
      data-testid="custom-resolution"
    >
      {rows.map((row) => (
        <fieldset
          key={row.name}
          className="space-y-2 rounded-xl bg-white p-3 ring-1 ring-slate-200"
          data-pick={row.name}
        >
          <legend className="px-1 text-sm font-medium text-slate-800">{row.label}</legend>
          {(["server", "client"] as const).map((side) => (
            <label key={side} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${row.name}-pick`}
                value={side}
                checked={picks[row.name] === side}
                onChange={() => pick(row.name, side)}
                className="mt-0.5 accent-brand-700"
              />
              <span>
                <span className="text-slate-500">{PICK_LABELS[side]}: </span>
                {showValue(row, row.view[side], config, names)}
              </span>
            </label>
          ))}
          {row.spec && (
            <div className="space-y-2">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${row.name}-pick`}
                  value="custom"
                  checked={picks[row.name] === "custom"}
                  onChange={() => pick(row.name, "custom")}
                  className="accent-brand-700"
                />
                <span className="text-slate-500">{PICK_LABELS.custom}</span>
              </label>
              {/* Typing or choosing in the control picks "another value" for this field. */}
              <div className="pl-6 sm:max-w-md" onFocusCapture={() => pick(row.name, "custom")}>
                <FieldControl
                  spec={{ ...row.spec, label: `New ${row.label.toLowerCase()}`, wide: false }}
                  form={form}
                  config={config}
                  users={users}
                />
              </div>
            </div>
          )}
        </fieldset>
      ))}
      {rootError && (
        <p role="alert" className="text-sm text-red-700">
          {rootError}
        </p>
      )}
      <Button type="submit" disabled={busy}>
        {busy ? "Resolving…" : "Apply these values"}
      </Button>
    </form>
  );
}
