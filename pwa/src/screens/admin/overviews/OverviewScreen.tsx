// An admin overview of the whole tenant's leads, clients, projects or accounts, read from the
// server: filters, sortable columns, a column chooser, offset pages with the total, bulk actions
// with per-record results, an edit modal and CSV/XLSX export of the filtered list. Page size, sort
// and columns are remembered in the admin's preferences. One screen for the four, driven by
// OVERVIEWS (entities.ts).
import { useCallback, useMemo, useState } from "react";
import { NavLink } from "react-router";
import { useWorkspace } from "../../../app/AppProvider";
import { useCRMConfig } from "../../../hooks/useCRMConfig";
import { useDebounced } from "../../../hooks/useDebounced";
import { useLive } from "../../../hooks/useLive";
import { useDesktop } from "../../../hooks/useMediaQuery";
import type { Names } from "../../../records/display";
import { LoadError, NeedsConnection } from "../shared/ServerStatus";
import { useConnection } from "../shared/useServerData";
import { BulkActions, type BulkResults, BulkResultsPanel } from "./BulkActions";
import { EditDialog } from "./EditDialog";
import { columnOf, OVERVIEW_ENTITIES, OVERVIEWS, type OverviewEntity, type OverviewRow } from "./entities";
import { FilterBar } from "./FilterBar";
import { useOverviewPage, useViewPrefs } from "./hooks";
import { OverviewTable, rowTitle } from "./OverviewTable";
import { Pager } from "./Pager";
import { hasFilters, lastPage, NO_FILTERS, type OverviewFilters, type Selection, select } from "./query";
import { Toolbar } from "./Toolbar";

export default function OverviewScreen({ entity }: { entity: OverviewEntity }) {
  const spec = OVERVIEWS[entity];
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const desktop = useDesktop();
  const online = useConnection() === "online";
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const { view, change, saveError } = useViewPrefs(spec, online);
  // Client names (for a client column) come from this device, read only when such a column shows.
  const clientColumn = !!view?.columns.some((c) => columnOf(spec, c)?.spec.kind === "client");
  const clients = useLive(store, async (s) => (clientColumn ? s.list("client") : []), [clientColumn], ["records"]);
  const names: Names = useMemo(
    () => ({
      users: new Map((users ?? []).map((u) => [u.id, u.name || u.email])),
      clients: new Map((clients ?? []).map((c) => [c.id, String(c.name ?? "")])),
    }),
    [users, clients],
  );
  const sortedUsers = useMemo(
    () => [...(users ?? [])].sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email)),
    [users],
  );

  const [filters, setFilters] = useState<OverviewFilters>(NO_FILTERS);
  const q = useDebounced(filters.q, 300);
  const query = useMemo(() => ({ ...filters, q }), [filters, q]);
  const [page, setPage] = useState(0);
  const fetched = useOverviewPage(spec, query, view, page);
  const { data, loading, error } = fetched;
  const [selection, setSelection] = useState<Selection>(new Map());
  const [results, setResults] = useState<BulkResults | null>(null);
  const [editing, setEditing] = useState<OverviewRow | null>(null);
  const rows = data?.items ?? [];
  const total = data?.total ?? null;
  const plural = config.noun(entity, true);

  // A page past the end (records trashed, filters narrowed elsewhere): go to the last one.
  if (data && rows.length === 0 && total && page > lastPage(view?.pageSize ?? 25, total)) {
    setPage(lastPage(view?.pageSize ?? 25, total));
  }
  const onFilters = (patch: Partial<OverviewFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(0);
    setSelection(new Map());
  };
  const onSort = (sort: string) => {
    change({ sort });
    setPage(0);
  };
  const onSelect = useCallback(
    (chosen: OverviewRow[], on: boolean) =>
      setSelection((s) =>
        select(
          s,
          chosen.map((r) => ({ id: r.id, title: rowTitle(spec, r) })),
          on,
        ),
      ),
    [spec],
  );
  const onBulkDone = (done: BulkResults) => {
    setResults(done);
    // What failed stays selected, to retry or look at; what was done is not.
    setSelection((s) => new Map([...s].filter(([id]) => done.failed.some((f) => f.id === id))));
    fetched.reload();
  };

  return (
    <section aria-labelledby="overview-title" className="space-y-3" data-testid="overview" data-entity={entity}>
      <div className="flex flex-wrap items-center gap-2">
        <h1 id="overview-title" className="mr-auto text-lg font-semibold">
          {plural} <span className="font-normal text-slate-500">· all of the company</span>
        </h1>
        <nav aria-label="Overviews" className="flex gap-1 overflow-x-auto">
          {OVERVIEW_ENTITIES.map((e) => (
            <NavLink
              key={e}
              to={`/admin/${OVERVIEWS[e].path}`}
              className={({ isActive }) =>
                `rounded-full px-3 py-1 text-sm ring-1 ${isActive ? "bg-brand-700 text-white ring-brand-700" : "bg-white text-slate-700 ring-slate-300"}`
              }
            >
              {config.noun(e, true)}
            </NavLink>
          ))}
        </nav>
      </div>
      {!online ? (
        <NeedsConnection what="The company-wide overview" />
      ) : (
        <>
          <FilterBar spec={spec} filters={filters} onChange={onFilters} users={sortedUsers} config={config} />
          {view && (
            <Toolbar
              spec={spec}
              view={view}
              filters={query}
              desktop={desktop}
              onSort={onSort}
              onColumns={(columns) => change({ columns })}
            />
          )}
          {saveError && (
            <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
              {saveError}
            </p>
          )}
          {error !== undefined && <LoadError error={error} onRetry={fetched.reload} />}
          {selection.size > 0 && (
            <BulkActions
              spec={spec}
              selection={selection}
              users={sortedUsers.filter((u) => u.is_active !== false)}
              config={config}
              onClear={() => setSelection(new Map())}
              onDone={onBulkDone}
            />
          )}
          <BulkResultsPanel results={results} onDismiss={() => setResults(null)} />
          {view && data ? (
            <>
              {rows.length === 0 && (
                <p className="rounded-xl bg-white p-6 text-center text-sm text-slate-500 ring-1 ring-slate-200">
                  {hasFilters(query)
                    ? `No ${plural.toLowerCase()} match these filters.`
                    : `No ${plural.toLowerCase()} yet.`}
                </p>
              )}
              {rows.length > 0 && (
                <OverviewTable
                  spec={spec}
                  rows={rows}
                  columns={view.columns}
                  sort={view.sort}
                  onSort={onSort}
                  selection={selection}
                  onSelect={onSelect}
                  onEdit={setEditing}
                  config={config}
                  names={names}
                  desktop={desktop}
                  busy={loading}
                  label={plural}
                />
              )}
              <Pager
                page={page}
                pageSize={view.pageSize}
                shown={rows.length}
                total={total}
                onPage={setPage}
                onPageSize={(pageSize) => {
                  change({ pageSize });
                  setPage(0);
                }}
              />
            </>
          ) : (
            error === undefined && <p className="text-sm text-slate-500">Loading…</p>
          )}
          <EditDialog
            spec={spec}
            row={editing}
            names={names}
            onClose={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              fetched.reload();
            }}
          />
        </>
      )}
    </section>
  );
}
