// The state of an overview and what it asks the server: filters, the remembered view (page size,
// sort, columns), offset pages, the selection and the outcome of a bulk action. Pure functions,
// so they are tested without a browser.
import type { BulkResult, Preferences } from "../../../contracts/zod";
import type { OverviewSpec } from "./entities";

export interface OverviewFilters {
  user_id: string;
  status: string;
  created_from: string;
  created_to: string;
  updated_from: string;
  updated_to: string;
  q: string;
}

export const NO_FILTERS: OverviewFilters = {
  user_id: "",
  status: "",
  created_from: "",
  created_to: "",
  updated_from: "",
  updated_to: "",
  q: "",
};

/** What the admin's preferences remember of an overview. */
export interface ViewSettings {
  pageSize: number;
  sort: string;
  columns: string[];
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
/** The server's limit of ids per bulk call. */
export const MAX_BULK_IDS = 500;

export const defaultView = (spec: OverviewSpec, pageSize = 25): ViewSettings => ({
  pageSize,
  sort: spec.defaultSort,
  columns: spec.defaultColumns,
});

/** The filters that are set, as query parameters (blank ones are left out). */
export function filterParams(filters: OverviewFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ""),
  );
}

export const hasFilters = (filters: OverviewFilters): boolean => Object.keys(filterParams(filters)).length > 0;

/** The query string of one offset page, with its total count. */
export function listSearch(filters: OverviewFilters, view: ViewSettings, page: number): string {
  return new URLSearchParams({
    ...filterParams(filters),
    sort: view.sort,
    limit: String(view.pageSize),
    offset: String(page * view.pageSize),
    count: "true",
  }).toString();
}

/** The query string of an export: the same filters and sort, every row (no paging). */
export function exportSearch(filters: OverviewFilters, sort: string, format: "csv" | "xlsx"): string {
  return new URLSearchParams({ ...filterParams(filters), sort, format }).toString();
}

/** Why a date range cannot be right, or null. ISO dates compare as strings. */
export function rangeProblem(from: string, to: string): string | null {
  return from && to && from > to ? "The start is after the end." : null;
}

const count = new Intl.NumberFormat("en-US");

/** "1–25 of 1,234" for the rows shown on a page. */
export function pageRange(page: number, pageSize: number, shown: number, total: number | null | undefined): string {
  if (shown === 0) return total ? `0 of ${count.format(total)}` : "No records";
  const first = page * pageSize + 1;
  const last = first + shown - 1;
  return `${count.format(first)}–${count.format(last)} of ${count.format(total ?? last)}`;
}

export const lastPage = (pageSize: number, total: number): number => Math.max(0, Math.ceil(total / pageSize) - 1);

export interface SortOrder {
  column: string;
  descending: boolean;
}

export const sortOrder = (sort: string): SortOrder =>
  sort.startsWith("-") ? { column: sort.slice(1), descending: true } : { column: sort, descending: false };

export const sortValue = ({ column, descending }: SortOrder): string => (descending ? `-${column}` : column);

/** A click on a column header: sort by it ascending, or flip it if it already is the sort. */
export function nextSort(sort: string, column: string): string {
  const current = sortOrder(sort);
  return sortValue({ column, descending: current.column === column ? !current.descending : false });
}

/** aria-sort of a column header (only the sorted column has one). */
export function ariaSort(sort: string, column: string): "ascending" | "descending" | undefined {
  const current = sortOrder(sort);
  if (current.column !== column) return undefined;
  return current.descending ? "descending" : "ascending";
}

/** The overview's remembered settings from the admin's preferences; anything the overview does
 * not know (a column since removed) falls back to the defaults. A view without its own page
 * size uses the preferences' one. */
export function viewFromPrefs(spec: OverviewSpec, prefs: Preferences): ViewSettings {
  const saved = prefs.views?.[spec.view];
  const known = new Set(spec.columns.map((c) => c.name));
  const columns = (saved?.columns ?? []).filter((c) => known.has(c));
  const sort = saved?.sort && known.has(sortOrder(saved.sort).column) ? saved.sort : spec.defaultSort;
  return {
    pageSize: saved?.page_size ?? prefs.page_size ?? 25,
    sort,
    columns: columns.length > 0 ? columns : spec.defaultColumns,
  };
}

/** The preferences with this overview's view replaced (PUT replaces the whole document, so the
 * other views are carried over as they are). */
export function prefsWithView(spec: OverviewSpec, prefs: Preferences, view: ViewSettings): Preferences {
  return {
    ...prefs,
    views: {
      ...prefs.views,
      [spec.view]: { page_size: view.pageSize, sort: view.sort, columns: view.columns },
    },
  } as Preferences;
}

/** The columns in the overview's own order, with one switched on or off (never none). */
export function toggleColumn(spec: OverviewSpec, columns: string[], name: string, on: boolean): string[] {
  const chosen = new Set(columns);
  if (on) chosen.add(name);
  else if (chosen.size > 1) chosen.delete(name);
  return spec.columns.map((c) => c.name).filter((n) => chosen.has(n));
}

/** Selected ids mapped to the record's title (shown with a bulk action's results). */
export type Selection = ReadonlyMap<string, string>;

export function select(selection: Selection, rows: { id: string; title: string }[], on: boolean): Selection {
  const next = new Map(selection);
  for (const row of rows) {
    if (on) next.set(row.id, row.title);
    else next.delete(row.id);
  }
  return next;
}

/** Whether every, some or none of a page's rows are selected (the header checkbox). */
export function pageSelection(selection: Selection, ids: string[]): "all" | "some" | "none" {
  const chosen = ids.filter((id) => selection.has(id)).length;
  if (chosen === 0) return "none";
  return chosen === ids.length ? "all" : "some";
}

export function chunks<T>(items: readonly T[], size = MAX_BULK_IDS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BulkFailure {
  id: string;
  title: string;
  message: string;
}

export interface BulkOutcome {
  ok: string[];
  failed: BulkFailure[];
}

export function bulkOutcome(results: readonly BulkResult[], selection: Selection): BulkOutcome {
  const ok: string[] = [];
  const failed: BulkFailure[] = [];
  for (const r of results) {
    if (r.status === "ok") ok.push(r.id);
    else failed.push({ id: r.id, title: selection.get(r.id) || r.id, message: r.error?.error ?? "Failed" });
  }
  return { ok, failed };
}
