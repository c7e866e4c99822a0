// What the overviews ask the server (they read it directly: the whole tenant is not on the
// device). Every response is parsed with the generated schemas; errors stay the API's HttpError /
// NetworkError, except a stale edit, which becomes a StaleRecord carrying the server's values.
import { type ApiClient, type Download, HttpError } from "../../../api/http";
import { type BulkRequest, BulkResponse, type BulkResult, Preferences, recordSchemas } from "../../../contracts/zod";
import { errorText } from "../shared/messages";
import type { OverviewPage, OverviewRow, OverviewSpec } from "./entities";
import { chunks, exportSearch, listSearch, type OverviewFilters, prefsWithView, type ViewSettings } from "./query";

const API = "/api/v1";

export function fetchPage(
  api: ApiClient,
  spec: OverviewSpec,
  filters: OverviewFilters,
  view: ViewSettings,
  page: number,
): Promise<OverviewPage> {
  return api.request("GET", `${API}/admin/${spec.path}?${listSearch(filters, view, page)}`, undefined, spec.list);
}

export type BulkAction = BulkRequest["action"];

/** One bulk action over any number of ids, in calls of at most 500. A refusal of the whole
 * request (a status outside the list, an inactive user) is thrown as it is; a call that fails
 * after others went through marks its ids (and those not sent yet) failed with its reason, so
 * the results still say exactly what was done. */
export async function runBulk(
  api: ApiClient,
  spec: OverviewSpec,
  action: BulkAction,
  ids: readonly string[],
  value?: string | null,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  const batches = chunks(ids);
  for (const [i, batch] of batches.entries()) {
    const body: BulkRequest = action === "delete" ? { action, ids: batch } : { action, ids: batch, value };
    try {
      const response = await api.request("POST", `${API}/admin/${spec.path}/bulk`, body, BulkResponse);
      results.push(...response.results);
    } catch (err) {
      if (i === 0) throw err;
      const error = err instanceof HttpError ? err.body : { error: errorText(err), code: "not_sent", details: {} };
      for (const id of batches.slice(i).flat()) results.push({ id, status: "failed", error });
      break;
    }
  }
  return results;
}

export function exportFile(
  api: ApiClient,
  spec: OverviewSpec,
  filters: OverviewFilters,
  sort: string,
  format: "csv" | "xlsx",
): Promise<Download> {
  return api.download(
    `${API}/admin/${spec.path}/export?${exportSearch(filters, sort, format)}`,
    `${spec.path}.${format}`,
  );
}

export function loadPreferences(api: ApiClient): Promise<Preferences> {
  return api.request("GET", `${API}/preferences`, undefined, Preferences);
}

/** Remember an overview's view. PUT replaces all preferences, so the other views are read
 * fresh just before (another tab or screen may have changed them since this one loaded). */
export async function saveView(api: ApiClient, spec: OverviewSpec, view: ViewSettings): Promise<Preferences> {
  const current = await loadPreferences(api);
  return api.request("PUT", `${API}/preferences`, prefsWithView(spec, current, view), Preferences);
}

/** Someone changed the record since it was read: `current` is what the server has now. */
export class StaleRecord extends Error {
  constructor(readonly current: OverviewRow) {
    super("The record was changed by someone else.");
    this.name = "StaleRecord";
  }
}

/** PATCH the changed fields, If-Match the version that was shown. */
export async function updateRecord(
  api: ApiClient,
  spec: OverviewSpec,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<OverviewRow> {
  const read = recordSchemas[spec.entity].read;
  try {
    return await api.request("PATCH", `${API}/admin/${spec.path}/${id}`, changes, read, { "If-Match": `"${version}"` });
  } catch (err) {
    if (err instanceof HttpError && err.status === 412) {
      const current = read.safeParse(err.details.current);
      if (current.success) throw new StaleRecord(current.data);
    }
    throw err;
  }
}
