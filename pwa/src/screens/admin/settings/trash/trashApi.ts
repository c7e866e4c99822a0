// The tenant-wide Trash on the server (REST, admin): pages of every user's trashed leads, clients
// and projects (/admin/trash), bulk restore and bulk purge (≤ 500 per call), each with a result
// per record.
import type { ApiClient } from "../../../../api/http";
import { BulkTrashResponse, ClientList, LeadList, ProjectList } from "../../../../contracts/zod";
import type { TopEntity } from "../../../../records/paths";
import { errorText } from "../../shared/messages";
import { type Outcome, outcomeOf } from "../shared/outcomes";

const TRASH = "/api/v1/trash";
const ADMIN_TRASH = "/api/v1/admin/trash";
const LISTS = { lead: LeadList, client: ClientList, project: ProjectList } as const;
export const BATCH = 500;

export interface TrashItem {
  entity: TopEntity;
  id: string;
  name: string;
  deleted_at: string;
  /** who it belongs to: its assignee, else its creator */
  owner: string | null;
}

export interface TrashPage {
  items: TrashItem[];
  next_cursor: string | null;
  total: number;
}

export const itemKey = (item: { entity: string; id: string }): string => `${item.entity}:${item.id}`;

export async function trashPage(
  api: ApiClient,
  entity: TopEntity,
  cursor: string | null = null,
  limit = 100,
): Promise<TrashPage> {
  const params = new URLSearchParams({ entity, limit: String(limit), count: "true" });
  if (cursor) params.set("cursor", cursor);
  const page = await api.request("GET", `${ADMIN_TRASH}?${params}`, undefined, LISTS[entity]);
  return {
    items: page.items.map((r) => ({
      entity,
      id: r.id,
      name: r.name,
      deleted_at: r.deleted_at ?? "",
      owner: r.assigned_to ?? r.created_by,
    })),
    next_cursor: page.next_cursor,
    total: page.total ?? page.items.length,
  };
}

const result = (item: TrashItem, error: string | null): Outcome => ({
  entity: item.entity,
  id: item.id,
  ok: error === null,
  error,
  name: item.name,
});

/** Restore, in batches of at most 500; every record gets its result. */
export const restoreItems = (api: ApiClient, items: readonly TrashItem[]): Promise<Outcome[]> =>
  inBatches(api, `${ADMIN_TRASH}/restore`, items);

/** Delete for good, in batches of at most 500; every record gets its result. */
export const purgeItems = (api: ApiClient, items: readonly TrashItem[]): Promise<Outcome[]> =>
  inBatches(api, `${TRASH}/purge`, items);

async function inBatches(api: ApiClient, path: string, items: readonly TrashItem[]): Promise<Outcome[]> {
  const names = new Map(items.map((i) => [itemKey(i), i.name]));
  const out: Outcome[] = [];
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH);
    const body = { items: batch.map((i) => ({ entity: i.entity, id: i.id })) };
    try {
      const response = await api.request("POST", path, body, BulkTrashResponse);
      out.push(...response.results.map((r) => outcomeOf(r, names.get(itemKey(r)))));
    } catch (err) {
      // This batch was not applied (the server does a batch or answers an error): say so for
      // each of its records, and keep the results of the batches before it.
      out.push(...batch.map((i) => result(i, errorText(err))));
    }
  }
  return out;
}
