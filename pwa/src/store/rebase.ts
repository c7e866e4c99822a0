// The local view of a record = its server state with the pending outbox applied in mid order.
// These pure functions compute it; the store calls them whenever either side changes.
import { createDefaults } from "../contracts/zod";
import type { OutboxEntry, RecordRow } from "./types";

export interface ApplyContext {
  userId: string;
}

/** What one mutation does to a record locally (the server's answer may differ; the next pull
 * brings its version and the pending rest is re-applied on top). */
export function applyMutation(row: RecordRow | null, entry: OutboxEntry, ctx: ApplyContext): RecordRow | null {
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
      // The new client (and the moved contacts and interactions) arrive with the next pull.
      return (
        row && {
          ...row,
          lead_status: "converted",
          converted_client_id: entry.fields.client_id ?? null,
          converted_on: at,
          updated_at: at,
        }
      );
  }
}

/** Entries that still shape the local view: a refused mutation no longer does. */
export const isPending = (entry: OutboxEntry): boolean => entry.result?.status !== "rejected";

export function rebase(server: RecordRow | null, entries: readonly OutboxEntry[], ctx: ApplyContext): RecordRow | null {
  return [...entries]
    .filter(isPending)
    .sort((a, b) => a.mid - b.mid)
    .reduce<RecordRow | null>((row, entry) => applyMutation(row, entry, ctx), server);
}
