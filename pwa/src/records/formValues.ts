// Form values <-> API fields. Inputs hold strings ("" for nothing), checkboxes booleans, and
// date-times the browser's local "yyyy-MM-ddTHH:mm"; the API wants null, booleans and ISO UTC.
import type { FieldErrors, Resolver } from "react-hook-form";
import { createSchema } from "../contracts/refinements";
import { createDefaults } from "../contracts/zod";
import type { RecordEntity } from "../sync/entities";
import type { FieldSpec } from "./fields";

export type FormValues = Record<string, string | boolean>;

/** The fields that tie a record to its parent; never edited on its form, always sent along. */
export const PARENT_FIELDS: Record<RecordEntity, string[]> = {
  lead: [],
  client: [],
  project: ["lead_id"],
  contact: ["client_id", "lead_id"],
  account: ["client_id"],
  subscription: ["client_id"],
  interaction: ["client_id", "lead_id", "project_id"],
  note: ["entity", "entity_id"],
};

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO timestamp as a datetime-local value in the device's time zone. */
export function toLocalInput(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function toFormValues(
  entity: RecordEntity,
  specs: readonly FieldSpec[],
  record: Record<string, unknown> | undefined,
): FormValues {
  const defaults = createDefaults[entity] as Record<string, unknown>;
  const values: FormValues = {};
  for (const spec of specs) {
    const v = record?.[spec.name] ?? defaults[spec.name];
    if (spec.kind === "bool") values[spec.name] = v === true;
    else if (v === null || v === undefined) values[spec.name] = "";
    else if (spec.kind === "datetime") values[spec.name] = toLocalInput(String(v));
    else values[spec.name] = String(v);
  }
  return values;
}

/** One form value as the API field value. */
function toField(spec: FieldSpec, value: string | boolean | undefined): unknown {
  if (spec.kind === "bool") return value === true;
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") return null;
  if (spec.kind === "datetime") {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? text : d.toISOString();
  }
  return text;
}

/** The body of a create: every filled field plus the fixed ones (parent ids); empty fields are
 * left out so the server's defaults apply, as the contract says. */
export function createPayload(
  specs: readonly FieldSpec[],
  values: FormValues,
  fixed: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const v = toField(spec, values[spec.name]);
    if (v !== null) out[spec.name] = v;
  }
  const shown = new Set(specs.map((s) => s.name));
  for (const [k, v] of Object.entries(fixed)) if (v !== null && v !== undefined && !shown.has(k)) out[k] = v;
  return out;
}

/** The fields the user changed (compared as the form shows them, so a timestamp that only
 * round-trips through the local time zone is not a change): untouched fields are never sent,
 * and never count as concurrent edits. */
export function changedFields(
  specs: readonly FieldSpec[],
  before: FormValues,
  after: FormValues,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const a = after[spec.name];
    const b = before[spec.name];
    if ((typeof a === "string" ? a.trim() : a) !== (typeof b === "string" ? b.trim() : b)) {
      out[spec.name] = toField(spec, a);
    }
  }
  return out;
}

/** react-hook-form validation with the generated Create schema and the cross-field rules, run on
 * what would be sent; each error lands on the field Zod names. */
export function recordResolver(
  entity: RecordEntity,
  specs: readonly FieldSpec[],
  fixed: Record<string, unknown>,
): Resolver<FormValues> {
  const schema = createSchema(entity);
  return async (values) => {
    const result = schema.safeParse(createPayload(specs, values, fixed));
    if (result.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const name = issue.path.length ? String(issue.path[0]) : "root";
      errors[name] ??= { type: issue.code, message: issue.message };
    }
    return { values: {}, errors: errors as FieldErrors<FormValues> };
  };
}
