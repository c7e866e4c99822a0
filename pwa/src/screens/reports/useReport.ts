// A report from the server (reports are online: the whole tenant is not on the device). While
// offline nothing is requested and the screen says so; back online, the report loads again.
// A report already on screen stays there, marked as being updated, while new filters load.
import { useCallback, useEffect, useState } from "react";
import { HttpError, NetworkError } from "../../api/http";
import { useApp } from "../../app/AppProvider";
import { ReportResponse } from "../../contracts/zod";
import { serverFieldErrors } from "../../forms/zodForm";
import { useSyncStatus } from "../../hooks/useSyncStatus";

export const FILTER_FIELDS = ["start_date", "end_date", "user_id"] as const;

export interface ReportProblem {
  message: string;
  /** a 422's messages by query parameter (start_date, end_date, user_id) */
  fields: Record<string, string>;
}

export interface ReportState {
  phase: "loading" | "ready" | "offline" | "error";
  /** the last report received for this screen (possibly for other filters while loading) */
  report: ReportResponse | null;
  problem: ReportProblem | null;
  retry(): void;
}

/** A failed request in words; a 422's field messages kept apart for the filters. */
export function describeFailure(err: unknown): ReportProblem {
  if (err instanceof NetworkError) return { message: "No connection to the server.", fields: {} };
  if (err instanceof HttpError) {
    if (err.status === 403) return { message: "This report is not available to you.", fields: {} };
    const fields: Record<string, string> = {};
    let message = err.message;
    for (const e of serverFieldErrors(err.body, FILTER_FIELDS)) {
      if (e.field === "root") message = e.message;
      else fields[e.field] = e.message;
    }
    return { message, fields };
  }
  return { message: err instanceof Error ? err.message : String(err), fields: {} };
}

export function useReport(path: string): ReportState {
  const { api } = useApp();
  const { online } = useSyncStatus();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<ReportState, "retry">>({ phase: "loading", report: null, problem: null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how retry() asks again
  useEffect(() => {
    if (!online) {
      setState((s) => ({ ...s, phase: "offline", problem: null }));
      return;
    }
    let current = true;
    setState((s) => ({ ...s, phase: "loading", problem: null }));
    api.request("GET", path, undefined, ReportResponse).then(
      (report) => current && setState({ phase: "ready", report, problem: null }),
      (err: unknown) => {
        if (!current) return;
        const offline = err instanceof NetworkError;
        setState((s) => ({ ...s, phase: offline ? "offline" : "error", problem: describeFailure(err) }));
      },
    );
    return () => {
      current = false;
    };
  }, [api, path, online, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
