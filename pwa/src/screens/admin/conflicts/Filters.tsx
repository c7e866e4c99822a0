// The conflict queue's filters: status (the queue or the history), entity, who pushed, which
// device, and the days pushed. A value the API would refuse is explained on its field.
import { type ReactNode, useId, useState } from "react";
import { useCRMConfig } from "../../../hooks/useCRMConfig";
import { useDesktop } from "../../../hooks/useMediaQuery";
import type { UserRow } from "../../../store/types";
import { RECORD_ENTITIES } from "../../../sync/entities";
import { Button } from "../../../ui/Button";
import { Field, Input, Select } from "../../../ui/Field";
import { STATUS_LABELS, shortId } from "./labels";
import { type ConflictFilters, DEFAULT_FILTERS, type FilterName, hasFilters, STATUSES } from "./query";

export function ConflictFiltersBar({
  filters,
  errors,
  users,
  devices,
  onChange,
}: {
  filters: ConflictFilters;
  errors: Partial<Record<FilterName, string>>;
  users: readonly UserRow[];
  /** devices seen in the list, offered as suggestions */
  devices: readonly string[];
  onChange(patch: Partial<ConflictFilters>): void;
}) {
  const config = useCRMConfig();
  const id = useId();
  const field = (name: FilterName) => `${id}-${name}`;
  const statuses = [...STATUSES, ""] as const;
  const desktop = useDesktop();
  // On a phone the filters beyond status fold away, open at first when some are set.
  const [unfolded] = useState(() => hasFilters(filters));
  const active = (["entity", "user", "device", "from", "to"] as const).filter((n) => filters[n].trim()).length;

  return (
    <div className="space-y-3 rounded-xl bg-white p-3 ring-1 ring-slate-200" data-testid="conflict-filters">
      <fieldset>
        <legend className="sr-only">Status</legend>
        <div className="flex flex-wrap gap-1">
          {statuses.map((status) => (
            <button
              key={status || "all"}
              type="button"
              aria-pressed={filters.status === status}
              onClick={() => onChange({ status })}
              className={`rounded-full px-3 py-1 text-sm ring-1 ${filters.status === status ? "bg-brand-700 text-white ring-brand-700" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
            >
              {status ? STATUS_LABELS[status] : "All"}
            </button>
          ))}
        </div>
      </fieldset>
      <Fold desktop={desktop} open={unfolded} label={`More filters${active ? ` · ${active} set` : ""}`}>
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          <Field id={field("entity")} label="Record type">
            <Select
              id={field("entity")}
              value={filters.entity}
              onChange={(e) => onChange({ entity: e.target.value as ConflictFilters["entity"] })}
            >
              <option value="">All types</option>
              {RECORD_ENTITIES.map((entity) => (
                <option key={entity} value={entity}>
                  {config.noun(entity, true)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id={field("user")} label="Edited by" error={errors.user}>
            <Select
              id={field("user")}
              value={filters.user}
              invalid={!!errors.user}
              onChange={(e) => onChange({ user: e.target.value })}
            >
              <option value="">Everyone</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name || u.email}
                </option>
              ))}
              {filters.user && !users.some((u) => u.id === filters.user) && (
                <option value={filters.user}>{shortId(filters.user)}</option>
              )}
            </Select>
          </Field>
          <Field id={field("device")} label="Device id" error={errors.device} className="col-span-2 lg:col-span-1">
            <Input
              id={field("device")}
              value={filters.device}
              invalid={!!errors.device}
              placeholder="Any device"
              spellCheck={false}
              autoComplete="off"
              list={`${field("device")}-seen`}
              onChange={(e) => onChange({ device: e.target.value })}
            />
            <datalist id={`${field("device")}-seen`}>
              {devices.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </Field>
          <Field id={field("from")} label="Pushed from" error={errors.from}>
            <Input
              id={field("from")}
              type="date"
              value={filters.from}
              invalid={!!errors.from}
              onChange={(e) => onChange({ from: e.target.value })}
            />
          </Field>
          <Field id={field("to")} label="Pushed until" error={errors.to}>
            <Input
              id={field("to")}
              type="date"
              value={filters.to}
              invalid={!!errors.to}
              onChange={(e) => onChange({ to: e.target.value })}
            />
          </Field>
        </div>
      </Fold>
      {hasFilters(filters) && (
        <Button
          variant="ghost"
          className="px-2 py-1"
          onClick={() => onChange({ ...DEFAULT_FILTERS, status: filters.status })}
        >
          Clear filters
        </Button>
      )}
    </div>
  );
}

function Fold({
  desktop,
  open,
  label,
  children,
}: {
  desktop: boolean;
  open: boolean;
  label: string;
  children: ReactNode;
}) {
  if (desktop) return <>{children}</>;
  return (
    <details open={open} className="group">
      <summary className="cursor-pointer text-sm font-medium text-brand-700">{label}</summary>
      <div className="pt-3">{children}</div>
    </details>
  );
}
