// A report's filters: the period (the report's default, presets, or custom dates) and, for
// admins, whose report it is. Every change goes to the URL (the screen reads its filters from
// there), so the address bar always holds a shareable link to what is on screen.
import { type FormEvent, useId, useState } from "react";
import type { UserAdminRead } from "../../contracts/zod";
import { Button } from "../../ui/Button";
import { Field, Input, Select } from "../../ui/Field";
import type { ReportMeta } from "./catalog";
import { type Preset, presetsFor, type ReportFilters } from "./query";

const PRESET_LABELS: Record<Exclude<Preset, "default">, string> = {
  "this-month": "This month",
  "last-30-days": "Last 30 days",
  "next-30-days": "Next 30 days",
  "this-quarter": "This quarter",
  "this-year": "This year",
};

/** A preset's name on screen ("Default (last 90 days)" for the report's own window). */
export const presetLabel = (preset: Preset | "custom", meta: ReportMeta): string =>
  preset === "default"
    ? `Default (${meta.defaultRange.toLowerCase()})`
    : preset === "custom"
      ? "Custom dates"
      : PRESET_LABELS[preset];

export function FilterBar({
  meta,
  filters,
  onChange,
  resolved,
  fieldErrors,
  users,
}: {
  meta: ReportMeta;
  filters: ReportFilters;
  onChange(next: ReportFilters): void;
  /** the dates the report on screen covers (to start custom dates from) */
  resolved: { start: string | null; end: string } | null;
  fieldErrors: Record<string, string>;
  /** the tenant's users (admins); null hides the user filter */
  users: UserAdminRead[] | null;
}) {
  const id = useId();
  const [editing, setEditing] = useState(filters.range === "custom");
  const custom = editing || filters.range === "custom";
  const [start, setStart] = useState(filters.start ?? resolved?.start ?? "");
  const [end, setEnd] = useState(filters.end ?? resolved?.end ?? "");
  const [orderError, setOrderError] = useState<string | null>(null);

  const choose = (value: string) => {
    if (value === "custom") {
      setStart(filters.start ?? resolved?.start ?? "");
      setEnd(filters.end ?? resolved?.end ?? "");
      setEditing(true);
      return;
    }
    setEditing(false);
    setOrderError(null);
    onChange({ ...filters, range: value as Preset, start: null, end: null });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (start && end && end < start) {
      setOrderError("The end date must not be before the start date.");
      return;
    }
    setOrderError(null);
    onChange({ ...filters, range: "custom", start: start || null, end: end || null });
  };

  const startError = fieldErrors.start_date;
  const endError = orderError ?? fieldErrors.end_date;
  return (
    <form
      onSubmit={apply}
      aria-label="Report filters"
      className="flex flex-wrap items-end gap-3 rounded-xl bg-white p-3 ring-1 ring-slate-200"
    >
      <Field id={`${id}-range`} label="Period" className="min-w-[11rem] flex-1 sm:flex-none">
        <Select
          id={`${id}-range`}
          value={custom ? "custom" : filters.range}
          onChange={(e) => choose(e.target.value)}
          data-testid="report-range"
        >
          {presetsFor(meta.window).map((p) => (
            <option key={p} value={p}>
              {presetLabel(p, meta)}
            </option>
          ))}
          <option value="custom">{presetLabel("custom", meta)}</option>
        </Select>
      </Field>
      {custom && (
        <>
          <Field id={`${id}-start`} label="From" error={startError} className="min-w-[9rem] flex-1 sm:flex-none">
            <Input
              id={`${id}-start`}
              type="date"
              value={start}
              onChange={(e) => setStart(e.target.value)}
              invalid={!!startError}
            />
          </Field>
          <Field id={`${id}-end`} label="To" error={endError} className="min-w-[9rem] flex-1 sm:flex-none">
            <Input
              id={`${id}-end`}
              type="date"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              invalid={!!endError}
            />
          </Field>
          <Button type="submit" variant="secondary">
            Apply dates
          </Button>
        </>
      )}
      {users && (
        <Field
          id={`${id}-user`}
          label={meta.admin ? "User" : "As seen by"}
          error={fieldErrors.user_id}
          className="min-w-[11rem] flex-1 sm:flex-none"
        >
          <Select
            id={`${id}-user`}
            value={filters.userId ?? ""}
            onChange={(e) => onChange({ ...filters, userId: e.target.value || null })}
            invalid={!!fieldErrors.user_id}
            data-testid="report-user"
          >
            <option value="">{meta.admin ? "Everyone" : "Everyone (whole tenant)"}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name ? `${u.name} (${u.email})` : u.email}
                {u.is_active ? "" : " — deactivated"}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </form>
  );
}
