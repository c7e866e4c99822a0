// The overview's filters: text, user (created by or assigned to), status (the closed list, with
// the tenant's labels), created and updated date ranges. On a phone they fold behind a button.
import { useId, useState } from "react";
import type { CRMConfig } from "../../../hooks/useCRMConfig";
import type { UserRow } from "../../../store/types";
import { Button } from "../../../ui/Button";
import { Field, Input, Select } from "../../../ui/Field";
import type { OverviewSpec } from "./entities";
import { filterParams, NO_FILTERS, type OverviewFilters, rangeProblem } from "./query";

export interface FilterBarProps {
  spec: OverviewSpec;
  filters: OverviewFilters;
  onChange(patch: Partial<OverviewFilters>): void;
  users: readonly UserRow[];
  config: CRMConfig;
}

export const userLabel = (u: UserRow): string => `${u.name || u.email}${u.is_active === false ? " (deactivated)" : ""}`;

export function FilterBar({ spec, filters, onChange, users, config }: FilterBarProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const active = Object.keys(filterParams(filters)).length;
  const plural = config.noun(spec.entity, true).toLowerCase();

  return (
    <div className="rounded-xl bg-white p-3 ring-1 ring-slate-200">
      <Button
        variant="secondary"
        className="w-full sm:hidden"
        aria-expanded={open}
        aria-controls={`${id}-filters`}
        onClick={() => setOpen(!open)}
      >
        Filters{active > 0 ? ` (${active})` : ""}
      </Button>
      <search
        id={`${id}-filters`}
        aria-label={`Filter ${plural}`}
        className={`${open ? "grid" : "hidden"} mt-3 grid-cols-2 gap-3 sm:mt-0 sm:grid sm:grid-cols-4 lg:grid-cols-8`}
      >
        <Field id={`${id}-q`} label="Search" className="col-span-2">
          <Input
            id={`${id}-q`}
            type="search"
            maxLength={200}
            placeholder="Name, contact, email…"
            value={filters.q}
            onChange={(e) => onChange({ q: e.target.value })}
          />
        </Field>
        <Field id={`${id}-user`} label="User" hint="Created by or assigned to" className="col-span-2 sm:col-span-1">
          <Select id={`${id}-user`} value={filters.user_id} onChange={(e) => onChange({ user_id: e.target.value })}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {userLabel(u)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id={`${id}-status`} label="Status" className="col-span-2 sm:col-span-1">
          <Select id={`${id}-status`} value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
            <option value="">Any status</option>
            {config.options(spec.status.list).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <DateRange
          id={`${id}-created`}
          label="Created"
          from="created_from"
          to="created_to"
          {...{ filters, onChange }}
        />
        <DateRange
          id={`${id}-updated`}
          label="Updated"
          from="updated_from"
          to="updated_to"
          {...{ filters, onChange }}
        />
        <div className="col-span-2 flex items-end sm:col-span-4 lg:col-span-8">
          <Button variant="ghost" className="px-2 py-1" disabled={active === 0} onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </Button>
        </div>
      </search>
    </div>
  );
}

function DateRange({
  id,
  label,
  from,
  to,
  filters,
  onChange,
}: {
  id: string;
  label: string;
  from: "created_from" | "updated_from";
  to: "created_to" | "updated_to";
  filters: OverviewFilters;
  onChange(patch: Partial<OverviewFilters>): void;
}) {
  const problem = rangeProblem(filters[from], filters[to]) ?? undefined;
  return (
    <>
      <Field id={`${id}-from`} label={`${label} from`} error={problem}>
        <Input
          id={`${id}-from`}
          type="date"
          invalid={!!problem}
          value={filters[from]}
          onChange={(e) => onChange({ [from]: e.target.value })}
        />
      </Field>
      <Field id={`${id}-to`} label={`${label} to`}>
        <Input id={`${id}-to`} type="date" value={filters[to]} onChange={(e) => onChange({ [to]: e.target.value })} />
      </Field>
    </>
  );
}
