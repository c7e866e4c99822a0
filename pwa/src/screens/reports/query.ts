// A report's filters and the URL: the screen's query string holds them (so a report link is
// shareable), and they map to the API's query (`start_date`, `end_date`, `user_id`, `format`).
// Presets are kept by name in the URL ("this-month") and turned into dates when the report runs,
// so a shared "this month" link means the reader's current month.
import type { ReportResponse } from "../../contracts/zod";

export type ReportName = ReportResponse["report"];
export type ExportFormat = "csv" | "xlsx";

/** Trailing reports look back from today; forward ones (tasks, renewals) look ahead. */
export type ReportWindow = "trailing" | "forward";

export const PRESETS = ["default", "this-month", "last-30-days", "next-30-days", "this-quarter", "this-year"] as const;
export type Preset = (typeof PRESETS)[number];

export interface ReportFilters {
  /** a preset, or "custom" with start and/or end */
  range: Preset | "custom";
  start: string | null;
  end: string | null;
  /** admins: the report as this user sees it (admin-only reports: this user's activity) */
  userId: string | null;
}

export const DEFAULT_FILTERS: ReportFilters = { range: "default", start: null, end: null, userId: null };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const day = (value: string | null): string | null => (value && ISO_DAY.test(value) ? value : null);

/** The filters a screen URL carries; anything malformed is dropped (the report's default). */
export function parseFilters(search: URLSearchParams): ReportFilters {
  const start = day(search.get("start_date"));
  const end = day(search.get("end_date"));
  const user = search.get("user_id");
  const userId = user && UUID.test(user) ? user.toLowerCase() : null;
  if (start || end) return { range: "custom", start, end, userId };
  const range = search.get("range");
  const preset = PRESETS.find((p) => p === range) ?? "default";
  return { range: preset, start: null, end: null, userId };
}

/** The screen URL's query for these filters (the default range and "everyone" are left out). */
export function filtersToSearch(filters: ReportFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.range === "custom") {
    if (filters.start) search.set("start_date", filters.start);
    if (filters.end) search.set("end_date", filters.end);
  } else if (filters.range !== "default") {
    search.set("range", filters.range);
  }
  if (filters.userId) search.set("user_id", filters.userId);
  return search;
}

/** A calendar day as YYYY-MM-DD (local calendar: "this month" is the reader's month). */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const shift = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

/** The days a preset covers on `today`. Calendar periods end today in a trailing report (to
 * date) and at the period's end in a forward one (what is coming this month). */
export function presetRange(preset: Preset, today: Date, window: ReportWindow): { start: string; end: string } | null {
  const y = today.getFullYear();
  const m = today.getMonth();
  const period = (first: Date, last: Date) => ({
    start: isoDay(first),
    end: isoDay(window === "forward" ? last : today),
  });
  switch (preset) {
    case "default":
      return null;
    case "this-month":
      return period(new Date(y, m, 1), new Date(y, m + 1, 0));
    case "last-30-days":
      return { start: isoDay(shift(today, -29)), end: isoDay(today) };
    case "next-30-days":
      return { start: isoDay(today), end: isoDay(shift(today, 29)) };
    case "this-quarter": {
      const first = m - (m % 3);
      return period(new Date(y, first, 1), new Date(y, first + 3, 0));
    }
    case "this-year":
      return period(new Date(y, 0, 1), new Date(y, 11, 31));
  }
}

/** The presets offered for a report: the look-back ones or the look-ahead ones. */
export const presetsFor = (window: ReportWindow): Preset[] =>
  PRESETS.filter((p) => p !== (window === "forward" ? "last-30-days" : "next-30-days"));

/** The API's query for these filters on `today` (absent dates: the report's default window). */
export function apiQuery(
  filters: ReportFilters,
  today: Date,
  window: ReportWindow,
  format?: ExportFormat,
): URLSearchParams {
  const range =
    filters.range === "custom" ? { start: filters.start, end: filters.end } : presetRange(filters.range, today, window);
  const query = new URLSearchParams();
  if (range?.start) query.set("start_date", range.start);
  if (range?.end) query.set("end_date", range.end);
  if (filters.userId) query.set("user_id", filters.userId);
  if (format) query.set("format", format);
  return query;
}

/** `/api/v1/reports/<name>?…` (names such as "subscriptions/income" keep their slash). */
export function reportApiPath(name: ReportName, query: URLSearchParams): string {
  const qs = query.toString();
  return `/api/v1/reports/${name}${qs ? `?${qs}` : ""}`;
}

/** The screen of a report: /reports/<name>, the same path as the API's. */
export const reportScreenPath = (name: ReportName, search?: URLSearchParams): string => {
  const qs = search?.toString();
  return `/reports/${name}${qs ? `?${qs}` : ""}`;
};
