// The conflict queue's filters: kept in the page's URL (so a visit to a conflict and back, a
// reload or a shared link keeps them) and turned into the query string of
// GET /api/v1/admin/conflicts, checked first with the generated ConflictListQuery schema so a
// mistyped device id or date is explained on its field instead of coming back as a 422.
import { ConflictListQuery } from "../../../contracts/zod";
import { RECORD_ENTITIES, type RecordEntity } from "../../../sync/entities";

export const STATUSES = ["open", "auto_resolved", "resolved"] as const;
export type ConflictStatus = (typeof STATUSES)[number];

/** What the filters hold, as typed ("" = not filtered). */
export interface ConflictFilters {
  /** "" = every status (the whole history) */
  status: ConflictStatus | "";
  entity: RecordEntity | "";
  user: string;
  device: string;
  from: string;
  to: string;
}

export type FilterName = keyof ConflictFilters;

/** The queue opens on what needs a decision. */
export const DEFAULT_FILTERS: ConflictFilters = { status: "open", entity: "", user: "", device: "", from: "", to: "" };

export const PAGE_SIZE = 25;

/** Filter names in the page URL and the API's names for them. */
const API_NAMES: Record<Exclude<FilterName, "status" | "entity">, keyof ConflictListQuery> = {
  user: "user_id",
  device: "client_id",
  from: "created_from",
  to: "created_to",
};
const ALL_STATUSES = "all";

const isStatus = (v: string): v is ConflictStatus => (STATUSES as readonly string[]).includes(v);
const isEntity = (v: string): v is RecordEntity => (RECORD_ENTITIES as readonly string[]).includes(v);

export function filtersFromSearch(params: URLSearchParams): ConflictFilters {
  const status = params.get("status");
  const entity = params.get("entity") ?? "";
  const text = (name: string) => (params.get(name) ?? "").trim();
  return {
    status: status === null ? DEFAULT_FILTERS.status : isStatus(status) ? status : "",
    entity: isEntity(entity) ? entity : "",
    user: text("user"),
    device: text("device"),
    from: text("from"),
    to: text("to"),
  };
}

/** The URL's search params for these filters: defaults left out, "every status" spelled out. */
export function searchFromFilters(filters: ConflictFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== DEFAULT_FILTERS.status) params.set("status", filters.status || ALL_STATUSES);
  for (const name of ["entity", "user", "device", "from", "to"] as const) {
    const value = filters[name].trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** The API's query parameters for these filters (before validation). */
function apiParams(filters: ConflictFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.status) out.status = filters.status;
  if (filters.entity) out.entity = filters.entity;
  for (const [name, api] of Object.entries(API_NAMES) as [keyof typeof API_NAMES, string][]) {
    const value = filters[name].trim();
    if (value) out[api] = value;
  }
  return out;
}

const FILTER_OF: Record<string, FilterName> = Object.fromEntries(
  Object.entries(API_NAMES).map(([filter, api]) => [api, filter as FilterName]),
);

/** What is wrong with the typed filters, by filter name (empty when they can be sent). */
export function filterErrors(filters: ConflictFilters): Partial<Record<FilterName, string>> {
  const errors: Partial<Record<FilterName, string>> = {};
  const result = ConflictListQuery.safeParse(apiParams(filters));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = FILTER_OF[String(issue.path[0])] ?? (String(issue.path[0]) as FilterName);
      errors[name] ??= MESSAGES[name] ?? issue.message;
    }
  }
  if (!errors.from && !errors.to && filters.from && filters.to && filters.to < filters.from) {
    errors.to = "Must not be before the start date.";
  }
  return errors;
}

const MESSAGES: Partial<Record<FilterName, string>> = {
  user: "Not a user id.",
  device: "Not a device id (a device's id looks like 3f2a9c1e-…).",
  from: "Not a date.",
  to: "Not a date.",
};

/** GET /api/v1/admin/conflicts?… for one page (newest first), with the total. */
export function listPath(filters: ConflictFilters, cursor: string | null = null, limit = PAGE_SIZE): string {
  const params = new URLSearchParams(apiParams(filters));
  params.set("limit", String(limit));
  params.set("count", "true");
  if (cursor) params.set("cursor", cursor);
  return `/api/v1/admin/conflicts?${params}`;
}

export const hasFilters = (filters: ConflictFilters): boolean =>
  (["entity", "user", "device", "from", "to"] as const).some((name) => filters[name].trim() !== "");
