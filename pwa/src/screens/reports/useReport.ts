// A report from the server (reports are online: the whole tenant is not on the device). While
// offline nothing is requested and the screen says so; back online, the report loads again.
// A report already on screen stays there, marked as being updated, while new filters load.
import { HttpError } from "../../api/http";
import { useApp } from "../../app/AppProvider";
import { ReportResponse } from "../../contracts/zod";
import { serverFieldErrors } from "../../forms/zodForm";
import { useServerData } from "../admin/shared/useServerData";

export const FILTER_FIELDS = ["start_date", "end_date", "user_id"] as const;

export interface ReportState {
  phase: "loading" | "ready" | "offline" | "error";
  /** the last report received for this screen (possibly for other filters while loading) */
  report: ReportResponse | null;
  /** why the last run failed (in words: errorText), undefined when it did not */
  error: unknown;
  /** a 422's messages by query parameter (start_date, end_date, user_id), for the filters */
  fieldErrors: Record<string, string>;
  retry(): void;
}

/** A 422's messages on the filters they are about (the alert words the whole failure). */
export function filterErrors(err: unknown): Record<string, string> {
  if (!(err instanceof HttpError) || err.status !== 422) return {};
  const onFilters = serverFieldErrors(err.body, FILTER_FIELDS).filter((e) => e.field !== "root");
  return Object.fromEntries(onFilters.map((e) => [e.field, e.message]));
}

export function useReport(path: string): ReportState {
  const { api } = useApp();
  const run = useServerData(() => api.request("GET", path, undefined, ReportResponse), [api, path]);
  const phase = !run.online ? "offline" : run.loading ? "loading" : run.error !== undefined ? "error" : "ready";
  return {
    phase,
    report: run.data ?? null,
    error: run.error,
    fieldErrors: filterErrors(run.error),
    retry: run.reload,
  };
}
