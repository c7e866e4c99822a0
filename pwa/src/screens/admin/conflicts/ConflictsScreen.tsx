// Admin → Conflicts: the tenant's conflict queue (open by default) and its history (resolved,
// auto-resolved), filtered by status, entity, user, device and the day pushed; cards on a phone,
// a table on a desktop; several open (or auto-resolved) conflicts resolved at once.
import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { useApp } from "../../../app/AppProvider";
import type { ConflictList, ConflictRead } from "../../../contracts/zod";
import { type CRMConfig, useCRMConfig } from "../../../hooks/useCRMConfig";
import { useDesktop } from "../../../hooks/useMediaQuery";
import type { Names } from "../../../records/display";
import { isRecordEntity } from "../../../sync/entities";
import { Button } from "../../../ui/Button";
import { relativeTime } from "../../../ui/time";
import { errorText } from "../shared/messages";
import { LoadError, NeedsConnection } from "../shared/ServerStatus";
import { useServerData } from "../shared/useServerData";
import { listConflicts } from "./api";
import { BulkBar, BulkOutcomeNote } from "./BulkBar";
import { listRows, showValue } from "./diff";
import { ConflictFiltersBar } from "./Filters";
import { STATUS_LABELS, shortId } from "./labels";
import {
  type ConflictFilters,
  filterErrors,
  filtersFromSearch,
  hasFilters,
  listPath,
  searchFromFilters,
} from "./query";
import {
  type BulkOutcome,
  bulkActions,
  pageState,
  prune,
  type Selection,
  selectable,
  toggle,
  toggleAll,
} from "./selection";
import { StatusBadge, useNames } from "./shared";

/** Every page fetched so far for these filters; "load more" follows next_cursor. */
function useConflictPages(filters: ConflictFilters, enabled: boolean) {
  const { api } = useApp();
  const key = listPath(filters);
  const first = useServerData(() => listConflicts(api, filters), [key], { enabled, clearOnChange: true });
  // Later pages belong to the first page they followed: a reload or new filters drop them.
  const [more, setMore] = useState<{ after: ConflictList | undefined; pages: ConflictList[] }>({
    after: undefined,
    pages: [],
  });
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const pages = useMemo(
    () => (first.data ? [first.data, ...(more.after === first.data ? more.pages : [])] : []),
    [first.data, more],
  );
  const items = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  // The server names the listed records: the admin may have none of them on a device.
  const titles = useMemo(
    () =>
      new Map(
        pages.flatMap((p) =>
          Object.entries(p.record_titles).flatMap(([id, title]) =>
            typeof title === "string" ? [[id, title] as const] : [],
          ),
        ),
      ),
    [pages],
  );
  const last = pages[pages.length - 1];
  const loadMore = async () => {
    if (!last?.next_cursor || !first.data) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listConflicts(api, filters, last.next_cursor);
      setMore({ after: first.data, pages: [...pages.slice(1), page] });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };
  return {
    items,
    titles,
    total: first.data?.total ?? null,
    online: first.online,
    hasMore: !!last?.next_cursor,
    loading: first.loading,
    error: first.error,
    reload: first.reload,
    loadMore,
    loadingMore,
    moreError,
  };
}

function countText(total: number | null, shown: number, filters: ConflictFilters): string {
  const n = total ?? shown;
  const status = filters.status ? `${STATUS_LABELS[filters.status].toLowerCase()} ` : "";
  const noun = n === 1 ? "conflict" : "conflicts";
  const scope = hasFilters(filters) ? " matching the filters" : "";
  return `${n} ${status}${noun}${scope}${total !== null && shown < total ? ` (${shown} shown)` : ""}`;
}

export default function ConflictsScreen() {
  const config = useCRMConfig();
  const names = useNames();
  const desktop = useDesktop();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const errors = filterErrors(filters);
  const valid = Object.keys(errors).length === 0;
  const list = useConflictPages(filters, valid);
  const [selection, setSelection] = useState<Selection>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const actions = bulkActions(filters.status);
  const { items } = list;

  useEffect(() => setSelection((s) => prune(s, items)), [items]);
  const update = (patch: Partial<ConflictFilters>) => {
    setSelection(new Set());
    setOutcome(null);
    setParams(searchFromFilters({ ...filters, ...patch }), { replace: true });
  };

  const row: RowProps = {
    config,
    names,
    titles: list.titles,
    search: location.search,
    selection: actions.length ? selection : null,
    onToggle: (id) => setSelection((s) => toggle(s, id)),
    onDevice: (device) => update({ device }),
  };

  return (
    <section aria-labelledby="conflicts-title" className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 id="conflicts-title" className="mr-auto text-xl font-semibold">
          Conflicts
        </h1>
        {list.online && (
          <Button variant="secondary" onClick={list.reload} disabled={list.loading}>
            Refresh
          </Button>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Changes two people made to the same record while apart. Open ones wait for your decision; auto-resolved ones
        were settled by the latest edit and can be undone.
      </p>
      <ConflictFiltersBar
        filters={filters}
        errors={errors}
        users={names.userList}
        devices={[...new Set(items.flatMap((c) => (c.client_id ? [c.client_id] : [])))]}
        onChange={update}
      />
      {!list.online ? (
        <NeedsConnection what="Conflict review" />
      ) : list.error !== undefined && !list.loading ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : (
        <>
          <p className="text-sm text-slate-600" aria-live="polite" data-testid="conflicts-count">
            {!valid
              ? "Fix the filters to see conflicts."
              : list.loading
                ? "Loading…"
                : countText(list.total, items.length, filters)}
          </p>
          {actions.length > 0 && items.length > 0 && (
            <BulkBar
              actions={actions}
              selection={selection}
              state={pageState(selection, items)}
              onToggleAll={() => setSelection((s) => toggleAll(s, items))}
              onDone={(done) => {
                setOutcome(done);
                setSelection(new Set());
                list.reload();
              }}
            />
          )}
          <BulkOutcomeNote outcome={outcome} />
          {!list.loading && valid && items.length === 0 ? (
            <p className="rounded-xl bg-white p-6 text-center text-sm text-slate-500 ring-1 ring-slate-200">
              {filters.status === "open" && !hasFilters(filters)
                ? "No conflicts wait for review. Devices agree."
                : "No conflict matches these filters."}
            </p>
          ) : desktop ? (
            <ConflictTable items={items} row={row} />
          ) : (
            <ul className="space-y-2" aria-label="Conflicts" data-testid="conflicts-list">
              {items.map((c) => (
                <ConflictCard key={c.id} conflict={c} row={row} />
              ))}
            </ul>
          )}
          {list.hasMore && (
            <div className="flex flex-col items-center gap-2">
              <Button variant="secondary" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
                {list.loadingMore ? "Loading…" : "Show more"}
              </Button>
              {list.moreError !== null && (
                <p role="alert" className="text-sm text-red-700">
                  {errorText(list.moreError)}
                </p>
              )}
            </div>
          )}
          {actions.length === 0 && filters.status === "" && items.some(selectable) && (
            <p className="text-xs text-slate-500">
              Show only open or only auto-resolved conflicts to resolve several at once.
            </p>
          )}
        </>
      )}
    </section>
  );
}

interface RowProps {
  config: CRMConfig;
  names: Names;
  titles: ReadonlyMap<string, string>;
  /** the list's filters, so the detail can link back to the same list */
  search: string;
  /** null: this list offers no bulk resolution */
  selection: Selection | null;
  onToggle(id: string): void;
  onDevice(clientId: string): void;
}

/** The record's name (the server's; its short id when it has none or is gone) and noun. */
function recordName(c: ConflictRead, row: RowProps): { title: string; noun: string } {
  const noun = isRecordEntity(c.entity) ? row.config.noun(c.entity) : c.entity;
  return { title: row.titles.get(c.record_id) ?? `${noun} ${shortId(c.record_id)}`, noun };
}

/** "Status: Qualified / Lost" per field: the server's side, then the device's. */
function FieldSummary({ conflict, row }: { conflict: ConflictRead; row: RowProps }) {
  return (
    <ul className="space-y-0.5 text-sm">
      {listRows(conflict).map((f) => (
        <li key={f.name} className="truncate">
          <span className="text-slate-500">{f.label}: </span>
          <span title="Server">{showValue(f, f.view.server, row.config, row.names)}</span>
          <span className="text-slate-400"> vs </span>
          <span title="Device">{showValue(f, f.view.client, row.config, row.names)}</span>
        </li>
      ))}
    </ul>
  );
}

function RowCheckbox({ conflict, row, label }: { conflict: ConflictRead; row: RowProps; label: string }) {
  if (!row.selection || !selectable(conflict)) return null;
  return (
    <input
      type="checkbox"
      className="h-4 w-4 rounded border-slate-300 accent-brand-700"
      checked={row.selection.has(conflict.id)}
      onChange={() => row.onToggle(conflict.id)}
      aria-label={`Select the conflict on ${label}`}
    />
  );
}

function Who({ conflict, row }: { conflict: ConflictRead; row: RowProps }) {
  return <>{conflict.user_id ? (row.names.users.get(conflict.user_id) ?? "A user not on this device") : "—"}</>;
}

function DeviceButton({ conflict, row }: { conflict: ConflictRead; row: RowProps }) {
  if (!conflict.client_id) return <>—</>;
  const id = conflict.client_id;
  return (
    <button
      type="button"
      className="font-mono text-xs text-brand-700 underline decoration-dotted"
      title="Show only this device's conflicts"
      onClick={() => row.onDevice(id)}
    >
      {shortId(id)}
    </button>
  );
}

const detailLink = (c: ConflictRead, row: RowProps) => ({
  to: `/admin/conflicts/${c.id}`,
  state: { search: row.search },
});

function ConflictCard({ conflict, row }: { conflict: ConflictRead; row: RowProps }) {
  const { title, noun } = recordName(conflict, row);
  return (
    <li className="flex gap-3 rounded-xl bg-white p-3 ring-1 ring-slate-200" data-testid="conflict-row">
      <div className="pt-0.5">
        <RowCheckbox conflict={conflict} row={row} label={title} />
      </div>
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex items-start gap-2">
          <Link {...detailLink(conflict, row)} className="mr-auto min-w-0 truncate font-medium hover:underline">
            {title}
          </Link>
          <StatusBadge status={conflict.status} />
        </div>
        <FieldSummary conflict={conflict} row={row} />
        <p className="text-xs text-slate-500">
          {noun} · <Who conflict={conflict} row={row} /> · device <DeviceButton conflict={conflict} row={row} /> ·
          pushed {relativeTime(conflict.created_at)}
        </p>
      </div>
    </li>
  );
}

function ConflictTable({ items, row }: { items: readonly ConflictRead[]; row: RowProps }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
      <table className="w-full text-left text-sm" aria-label="Conflicts" data-testid="conflicts-list">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            {row.selection && (
              <th scope="col" className="w-10 px-3 py-2">
                <span className="sr-only">Select</span>
              </th>
            )}
            <th scope="col" className="px-3 py-2">
              Record
            </th>
            <th scope="col" className="px-3 py-2">
              Server vs device
            </th>
            <th scope="col" className="px-3 py-2">
              Edited by
            </th>
            <th scope="col" className="px-3 py-2">
              Device
            </th>
            <th scope="col" className="px-3 py-2">
              Pushed
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((c) => {
            const { title, noun } = recordName(c, row);
            return (
              <tr key={c.id} className="align-top hover:bg-slate-50" data-testid="conflict-row">
                {row.selection && (
                  <td className="px-3 py-2">
                    <RowCheckbox conflict={c} row={row} label={title} />
                  </td>
                )}
                <td className="max-w-[16rem] px-3 py-2">
                  <Link {...detailLink(c, row)} className="block truncate font-medium text-slate-900 hover:underline">
                    {title}
                  </Link>
                  <span className="text-xs text-slate-500">{noun}</span>
                </td>
                <td className="max-w-[22rem] px-3 py-2">
                  <FieldSummary conflict={c} row={row} />
                </td>
                <td className="px-3 py-2 text-slate-600">
                  <Who conflict={c} row={row} />
                </td>
                <td className="px-3 py-2">
                  <DeviceButton conflict={c} row={row} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600" title={row.config.dateTime(c.created_at)}>
                  {relativeTime(c.created_at)}
                </td>
                <td className="px-3 py-2">
                  <StatusBadge status={c.status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
