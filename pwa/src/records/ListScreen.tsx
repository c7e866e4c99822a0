// The list page of a top-level entity: search, filters and sort on the device, a virtualised
// list (cards on a phone, a table on a desktop), and the "New" button. Filters survive a visit
// to a record and back (sessionStorage).
import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { useWorkspace } from "../app/AppProvider";
import { useCRMConfig } from "../hooks/useCRMConfig";
import { useSyncStatus } from "../hooks/useSyncStatus";
import type { RecordRow } from "../store/types";
import { Badge } from "../ui/Badge";
import { buttonClass } from "../ui/Button";
import { Input, Select } from "../ui/Field";
import { filterPrepared, prepare, SORTS, type SortKey, sortPrepared } from "./listQuery";
import { listPath, recordPath, type TopEntity } from "./paths";
import { type Column, RecordList } from "./RecordList";
import { useRecordRows } from "./useRecordRows";

export interface ListFilter {
  field: string;
  label: string;
  options(rows: RecordRow[]): { value: string; label: string }[];
}

export interface ListScreenProps {
  entity: TopEntity;
  searched: readonly string[];
  searchHint: string;
  filters: ListFilter[];
  columns: Column[];
  subtitle(row: RecordRow): string;
  status(row: RecordRow): ReactNode;
}

interface State {
  q: string;
  sort: SortKey;
  filters: Record<string, string>;
}

function useListState(entity: string): [State, (patch: Partial<State>) => void] {
  const key = `pathsix.list.${entity}`;
  const [state, setState] = useState<State>(() => {
    try {
      return { q: "", sort: "updated", filters: {}, ...JSON.parse(sessionStorage.getItem(key) ?? "{}") };
    } catch {
      return { q: "", sort: "updated", filters: {} };
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(state));
    } catch {
      // storage unavailable: filters just reset on the next visit
    }
  }, [key, state]);
  return [state, (patch) => setState((s) => ({ ...s, ...patch }))];
}

export function ListScreen(props: ListScreenProps) {
  const { entity } = props;
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const sync = useSyncStatus();
  const [state, update] = useListState(entity);
  const { rows, complete } = useRecordRows(store, entity);
  const prepared = useMemo(() => prepare(rows ?? [], props.searched), [rows, props.searched]);
  const sorted = useMemo(() => sortPrepared(prepared, state.sort), [prepared, state.sort]);
  const visible = useMemo(
    () => filterPrepared(sorted, { q: state.q, filters: state.filters }),
    [sorted, state.q, state.filters],
  );
  const plural = config.noun(entity, true);
  // Filtering 10,000 rows costs a few ms, so it runs in the keystroke's own render (a deferred
  // render measured slower under load: see README "Measured"). Stable props keep the list's
  // rows from re-rendering for anything but a new result.
  const filterOptions = useMemo(() => props.filters.map((f) => f.options(rows ?? [])), [props.filters, rows]);
  const href = useCallback((row: RecordRow) => recordPath(entity, row.id), [entity]);
  const title = useCallback((row: RecordRow) => String(row.name ?? ""), []);
  const onFirstRows = useCallback(() => performance.mark(`pathsix:${entity}s-list-usable`), [entity]);
  useEffect(() => {
    if (complete) performance.mark(`pathsix:${entity}s-list-complete`);
  }, [complete, entity]);
  const { reviewIds, pendingIds } = sync;
  const { status } = props;
  const badges = useCallback(
    (row: RecordRow) => (
      <>
        {reviewIds.has(row.id) && <Badge tone="amber">Waiting for review</Badge>}
        {pendingIds.has(row.id) && <Badge title="Saved on this device, not yet synced">Pending</Badge>}
        {status(row)}
      </>
    ),
    [reviewIds, pendingIds, status],
  );

  return (
    <section className="flex h-[calc(100dvh-9.5rem)] flex-col gap-3 sm:h-[calc(100dvh-7rem)]">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">{plural}</h1>
        <Link to={`${listPath(entity)}/new`} className={buttonClass("primary")}>
          New {config.noun(entity).toLowerCase()}
        </Link>
      </div>
      <div className="grid grid-cols-[repeat(auto-fit,minmax(6.5rem,1fr))] gap-2 sm:flex">
        <Input
          type="search"
          placeholder={props.searchHint}
          value={state.q}
          onChange={(e) => update({ q: e.target.value })}
          aria-label={`Search ${plural.toLowerCase()}`}
          className="col-span-full sm:flex-1"
        />
        {props.filters.map((f, i) => (
          <Select
            key={f.field}
            value={state.filters[f.field] ?? ""}
            onChange={(e) => update({ filters: { ...state.filters, [f.field]: e.target.value } })}
            aria-label={`Filter by ${f.label.toLowerCase()}`}
            className="sm:w-44"
          >
            <option value="">All {f.label.toLowerCase()}</option>
            {(filterOptions[i] ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        ))}
        <Select
          value={state.sort}
          onChange={(e) => update({ sort: e.target.value as SortKey })}
          aria-label="Sort"
          className="sm:w-44"
        >
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <p
        className="text-xs text-slate-500"
        aria-live="polite"
        data-testid="list-count"
        data-q={state.q}
        data-filters={JSON.stringify(state.filters)}
      >
        {rows === undefined
          ? "Loading…"
          : complete
            ? `${visible.length} of ${prepared.length} ${plural.toLowerCase()}`
            : `The most recent ${plural.toLowerCase()}; loading all…`}
      </p>
      <RecordList
        rows={visible}
        label={plural}
        testId={`${entity}s-list`}
        href={href}
        title={title}
        subtitle={props.subtitle}
        columns={props.columns}
        onFirstRows={onFirstRows}
        empty={prepared.length ? `No ${config.noun(entity).toLowerCase()} matches.` : `No ${plural.toLowerCase()} yet.`}
        badges={badges}
      />
    </section>
  );
}
