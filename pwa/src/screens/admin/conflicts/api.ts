// The admin conflict queue over REST (SYNC.md "Conflicts for people"): an online feature, the
// whole tenant's conflicts are not on the device. Every answer is parsed with its generated
// schema and every request body checked with its own before it is sent.
import type { ApiClient } from "../../../api/http";
import {
  BulkResolveRequest,
  BulkResolveResponse,
  ConflictDetail,
  ConflictList,
  ResolveRequest,
} from "../../../contracts/zod";
import { type ConflictFilters, listPath } from "./query";

const BASE = "/api/v1/admin/conflicts";

export function listConflicts(api: ApiClient, filters: ConflictFilters, cursor: string | null = null) {
  return api.request("GET", listPath(filters, cursor), undefined, ConflictList);
}

/** How many conflicts wait for a decision (one row fetched, the total counted). */
export async function openCount(api: ApiClient): Promise<number> {
  const page = await api.request("GET", `${BASE}?status=open&limit=1&count=true`, undefined, ConflictList);
  return page.total ?? page.items.length;
}

export function getConflict(api: ApiClient, id: string) {
  return api.request("GET", `${BASE}/${encodeURIComponent(id)}`, undefined, ConflictDetail);
}

export function resolveConflict(api: ApiClient, id: string, body: ResolveRequest) {
  return api.request("POST", `${BASE}/${encodeURIComponent(id)}/resolve`, ResolveRequest.parse(body), ConflictDetail);
}

export function bulkResolve(api: ApiClient, body: BulkResolveRequest) {
  return api.request("POST", `${BASE}/resolve`, BulkResolveRequest.parse(body), BulkResolveResponse);
}
