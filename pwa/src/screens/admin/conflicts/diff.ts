// One conflict as the admin compares and decides it: a row per field with both sides (the
// server's value and the device's, the base when known, what is live now), which side each field
// takes, and the resolve request that choice makes (services/conflict_queue.py: a choice names
// the side whose values are live afterwards; "custom" gives the values). Typed values are
// checked with the generated Update schema of the record's entity before anything is sent.
import type { z } from "zod";
import type { CRMConfig } from "../../../config/crmConfig";
import { humanize } from "../../../config/tenantConfig";
import {
  type ConflictDetail,
  ConflictFieldView,
  type ConflictRead,
  type ResolveRequest,
  recordSchemas,
} from "../../../contracts/zod";
import { displayValue, type Names } from "../../../records/display";
import { type FieldSpec, fieldsOf } from "../../../records/fields";
import { createPayload, type FormValues, toFormValues } from "../../../records/formValues";
import { isRecordEntity, type RecordEntity } from "../../../sync/entities";

export const DELETED_AT = "deleted_at";

export type Side = "server" | "client";
/** What a field ends up as: one of the two sides, or a value the admin typed. */
export type FieldPick = Side | "custom";
export type Picks = Record<string, FieldPick>;

export interface FieldRow {
  name: string;
  label: string;
  /** how the app edits this field; null for bookkeeping fields (Trash, conversion) */
  spec: FieldSpec | null;
  view: ConflictFieldView;
}

/** The conflict's fields in the order the entity's form shows them, bookkeeping fields last. */
export function fieldRows(detail: Pick<ConflictDetail, "entity" | "field_views">): FieldRow[] {
  const specs = isRecordEntity(detail.entity) ? fieldsOf(detail.entity) : [];
  const order = (name: string) => {
    const i = specs.findIndex((s) => s.name === name);
    return i < 0 ? specs.length : i;
  };
  return Object.entries(detail.field_views)
    .map(([name, raw]) => {
      const spec = specs.find((s) => s.name === name) ?? null;
      return { name, label: spec?.label ?? humanize(name), spec, view: ConflictFieldView.parse(raw) };
    })
    .sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
}

/** The rows of a listed conflict (its stored sides; what is live now is only in the detail). */
export function listRows(item: Pick<ConflictRead, "entity" | "fields" | "status">): FieldRow[] {
  const winner = liveSide(item.status === "resolved" ? "open" : item.status);
  const views = Object.fromEntries(
    Object.entries(item.fields).map(([name, raw]) => {
      const entry = (raw ?? {}) as Record<string, unknown>;
      const policy = typeof entry.policy === "string" ? entry.policy : null;
      return [name, { base: entry.base, server: entry.server, client: entry.client, current: null, policy, winner }];
    }),
  );
  return fieldRows({ entity: item.entity, field_views: views });
}

/** A value as people read it: tenant status labels, dates, money, user names; Trash in words. */
export function showValue(row: FieldRow, value: unknown, config: CRMConfig, names: Names): string {
  if (row.spec) return displayValue(row.spec, value, config, names);
  if (row.name === DELETED_AT) return value ? `In Trash since ${config.dateTime(value)}` : "Not in Trash";
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The side that is live while the conflict waits: the server's in an open conflict (the
 * device's value is held), the device's in an auto-resolved one (it won by last-writer-wins). */
export const liveSide = (status: ConflictDetail["status"]): Side => (status === "auto_resolved" ? "client" : "server");

/** Someone changed the field after the conflict was recorded: what is live now is neither side
 * the conflict names as live. */
export function changedSince(row: FieldRow, status: ConflictDetail["status"], recordExists: boolean): boolean {
  if (!recordExists || status === "resolved") return false;
  return !sameValue(row.view.current, row.view[liveSide(status)]);
}

/** Every field starts on the side that is live, so applying the defaults changes nothing. */
export function defaultPicks(rows: readonly FieldRow[], status: ConflictDetail["status"]): Picks {
  return Object.fromEntries(rows.map((r) => [r.name, liveSide(status)]));
}

/** Per-field custom values make sense for plain field conflicts whose fields the app can edit
 * (a held delete, re-creation or conversion is decided as a whole). */
export function canCustomize(detail: Pick<ConflictDetail, "kind" | "status" | "record">, rows: readonly FieldRow[]) {
  return (
    detail.status !== "resolved" &&
    detail.kind === "field" &&
    detail.record.exists &&
    rows.every((r) => r.spec !== null)
  );
}

/** The text a field's "another value" control starts with: the live value. */
export function customText(entity: RecordEntity, row: FieldRow): string | boolean {
  if (!row.spec) return "";
  return toFormValues(entity, [row.spec], { [row.name]: row.view.current ?? row.view.server })[row.name] ?? "";
}

/** A typed value as the API field value (dates to ISO, blanks to null). */
export function typedValue(spec: FieldSpec, raw: string | boolean | undefined): unknown {
  const values: FormValues = raw === undefined ? {} : { [spec.name]: raw };
  return createPayload([spec], values)[spec.name] ?? null;
}

/** The request for these picks: a whole side when every field takes it, else "custom" with
 * each field's value. */
export function resolveRequest(
  rows: readonly FieldRow[],
  picks: Picks,
  typed: Readonly<Record<string, unknown>>,
): ResolveRequest {
  const chosen = rows.map((r) => picks[r.name] ?? "server");
  for (const side of ["server", "client"] as const) {
    if (chosen.every((p) => p === side)) return { choice: side };
  }
  const fields: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    const pick = chosen[i];
    fields[row.name] = pick === "custom" ? typed[row.name] : row.view[pick === "client" ? "client" : "server"];
  });
  return { choice: "custom", fields };
}

/** "Restore this value" of an auto-resolved conflict: the server's losing value of one field.
 * With one field that is the whole conflict ("server" restores it, and re-does a lost delete);
 * with several, only that field is set back. */
export function restoreRequest(rows: readonly FieldRow[], name: string): ResolveRequest {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`${name} is not a field of this conflict`);
  if (rows.length === 1 || row.name === DELETED_AT) return { choice: "server" };
  return { choice: "custom", fields: { [name]: row.view.server } };
}

/** What the entity's Update schema finds wrong with custom values, by field (the first message
 * of each). An entity the app does not know is left to the server. */
export function validateFields(entity: string, fields: Record<string, unknown>): Record<string, string> {
  if (!isRecordEntity(entity)) return {};
  const schema = recordSchemas[entity].update as z.ZodType;
  const result = schema.safeParse(fields);
  const errors: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path.length ? String(issue.path[0]) : "root";
      errors[name] ??= issue.message;
    }
  }
  return errors;
}

/** Whose value won, in words, for a field row's two sides. */
export function sideNotes(status: ConflictDetail["status"], resolution: Record<string, unknown>): Record<Side, string> {
  if (status === "open") return { server: "Live now", client: "Waiting for review" };
  if (status === "auto_resolved") return { server: "Lost (can be restored)", client: "Won (later arrival)" };
  const choice = resolution.choice;
  return {
    server: choice === "server" ? "Chosen" : "",
    client: choice === "client" ? "Chosen" : "",
  };
}

/** The server's words for a choice with the field names it lists ("lead_status") in the form's
 * labels ("Status"). */
export function choiceText(text: string, rows: readonly FieldRow[]): string {
  return rows.reduce((out, row) => out.replace(new RegExp(`\\b${row.name}\\b`, "g"), row.label), text);
}
