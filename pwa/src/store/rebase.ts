// The local view of a record = its server state with the pending outbox applied in mid order.
// These pure functions compute it; the store calls them whenever either side changes.
import { createDefaults } from "../contracts/zod";
import { applyConvert, keysOf } from "./convert";
import type { OutboxEntry, RecordRow } from "./types";

export interface ApplyContext {
  userId: string;
}

/** What one mutation does locally to the record `rk` (its own record unless the entry shapes
 * others too, as a conversion does). The server's answer may differ; the next pull brings its
 * version and the pending rest is re-applied on top. */
export function applyMutation(
  row: RecordRow | null,
  entry: OutboxEntry,
  ctx: ApplyContext,
  rk: string = entry.rk,
): RecordRow | null {
  const at = entry.client_time;
  switch (entry.op) {
    case "create":
      if (row) return { ...row, ...entry.fields, updated_at: at };
      return {
        ...createDefaults[entry.entity],
        ...entry.fields,
        id: entry.id,
        created_at: at,
        updated_at: at,
        created_by: ctx.userId,
        deleted_at: null,
        version: 0,
      };
    case "update":
      return row && { ...row, ...entry.fields, updated_at: at };
    case "delete":
      return row && { ...row, deleted_at: at, updated_at: at };
    case "restore":
      return row && { ...row, deleted_at: null, updated_at: at };
    case "convert":
      return applyConvert(row, entry, rk, ctx.userId);
  }
}

/** Entries that still shape the local view: a refused mutation no longer does. */
export const isPending = (entry: OutboxEntry): boolean => entry.result?.status !== "rejected";

/** The pending entries that shape the record `rk`, in mid order. */
export const entriesFor = (entries: readonly OutboxEntry[], rk: string): OutboxEntry[] =>
  entries.filter((e) => isPending(e) && keysOf(e).includes(rk)).sort((a, b) => a.mid - b.mid);

export function rebase(
  server: RecordRow | null,
  entries: readonly OutboxEntry[],
  ctx: ApplyContext,
  rk?: string,
): RecordRow | null {
  const key = rk ?? entries[0]?.rk ?? "";
  return entriesFor(entries, key).reduce<RecordRow | null>((row, entry) => applyMutation(row, entry, ctx, key), server);
}
