// One page of an overview: a table with sortable headers on a desktop, cards on a phone; both
// with a checkbox per record and one to select the whole page, and an Edit button per record.
import { useEffect, useId, useRef } from "react";
import type { CRMConfig } from "../../../hooks/useCRMConfig";
import { displayValue, type Names } from "../../../records/display";
import { Badge, statusTone } from "../../../ui/Badge";
import { columnOf, type OverviewRow, type OverviewSpec } from "./entities";
import { ariaSort, nextSort, pageSelection, type Selection, sortOrder } from "./query";

export interface OverviewTableProps {
  spec: OverviewSpec;
  rows: OverviewRow[];
  columns: string[];
  sort: string;
  onSort(sort: string): void;
  selection: Selection;
  onSelect(rows: OverviewRow[], on: boolean): void;
  onEdit(row: OverviewRow): void;
  config: CRMConfig;
  names: Names;
  desktop: boolean;
  busy: boolean;
  label: string;
}

export const rowTitle = (spec: OverviewSpec, row: OverviewRow): string => String(row[spec.title] ?? "") || "—";

export function OverviewTable(props: OverviewTableProps) {
  const { spec, rows, selection, onSelect } = props;
  const ids = rows.map((r) => r.id);
  const state = pageSelection(selection, ids);
  const allId = useId();
  const all = (
    <PageCheckbox
      id={allId}
      state={state}
      disabled={rows.length === 0}
      onChange={(on) => onSelect(rows, on)}
      label="Select all on this page"
    />
  );
  const checkbox = (row: OverviewRow) => (
    <input
      type="checkbox"
      className="h-4 w-4 accent-brand-700"
      aria-label={`Select ${rowTitle(spec, row)}`}
      checked={selection.has(row.id)}
      onChange={(e) => onSelect([row], e.target.checked)}
    />
  );
  const edit = (row: OverviewRow) => (
    <button
      type="button"
      className="rounded-lg px-2.5 py-1 text-sm font-medium text-brand-700 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
      onClick={() => props.onEdit(row)}
    >
      Edit<span className="sr-only"> {rowTitle(spec, row)}</span>
    </button>
  );
  if (!props.desktop) {
    return (
      <div className="space-y-2" aria-busy={props.busy}>
        <div className="flex items-center gap-2 px-1 text-sm text-slate-700">
          {all}
          <label htmlFor={allId}>Select all on this page</label>
        </div>
        <ul aria-label={props.label} className="space-y-2" data-testid="overview-cards">
          {rows.map((row) => (
            <li key={row.id} className="flex gap-3 rounded-xl bg-white p-3 ring-1 ring-slate-200">
              <div className="pt-0.5">{checkbox(row)}</div>
              <Card {...props} row={row} />
              <div className="shrink-0">{edit(row)}</div>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
      <table aria-label={props.label} aria-busy={props.busy} className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="w-10 px-3 py-2">
              {all}
            </th>
            {props.columns.map((name) => (
              <th key={name} scope="col" aria-sort={ariaSort(props.sort, name)} className="px-3 py-2 whitespace-nowrap">
                <SortButton name={name} {...props} />
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              aria-selected={selection.has(row.id)}
              className="border-t border-slate-100 aria-selected:bg-brand-50"
            >
              <td className="px-3 py-2">{checkbox(row)}</td>
              {props.columns.map((name) => (
                <td key={name} className={`max-w-64 truncate px-3 py-2 ${name === spec.title ? "font-medium" : ""}`}>
                  <Value {...props} row={row} name={name} />
                </td>
              ))}
              <td className="px-3 py-1 text-right">{edit(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortButton({ name, spec, sort, onSort }: OverviewTableProps & { name: string }) {
  const order = sortOrder(sort);
  const arrow = order.column !== name ? "" : order.descending ? " ↓" : " ↑";
  return (
    <button
      type="button"
      className="uppercase hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
      onClick={() => onSort(nextSort(sort, name))}
    >
      {columnOf(spec, name)?.spec.label ?? name}
      <span aria-hidden="true">{arrow}</span>
    </button>
  );
}

function Value({ spec, row, name, config, names }: OverviewTableProps & { row: OverviewRow; name: string }) {
  const value = row[name];
  if (name === spec.status.field && typeof value === "string") {
    return <Badge tone={statusTone(value)}>{config.label(spec.status.list, value)}</Badge>;
  }
  const column = columnOf(spec, name);
  return <>{column ? displayValue(column.spec, value, config, names) : String(value ?? "—")}</>;
}

function Card(props: OverviewTableProps & { row: OverviewRow }) {
  const { spec, row, columns } = props;
  const shown = (name: string) => <Value {...props} name={name} />;
  const details = columns.filter((c) => c !== spec.title && c !== spec.status.field);
  return (
    <div className="min-w-0 flex-1">
      <div className="flex flex-wrap items-center gap-2">
        <span className="truncate font-medium text-slate-900">{rowTitle(spec, row)}</span>
        {shown(spec.status.field)}
      </div>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-600">
        {details.map((name) => (
          <div key={name} className="contents">
            <dt className="text-slate-500">{columnOf(spec, name)?.spec.label ?? name}</dt>
            <dd className="truncate">{shown(name)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function PageCheckbox({
  id,
  state,
  disabled,
  onChange,
  label,
}: {
  id: string;
  state: "all" | "some" | "none";
  disabled: boolean;
  onChange(on: boolean): void;
  label: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === "some";
  }, [state]);
  return (
    <input
      ref={ref}
      id={id}
      type="checkbox"
      className="h-4 w-4 accent-brand-700"
      aria-label={label}
      disabled={disabled}
      checked={state === "all"}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}
