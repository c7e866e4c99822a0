// Applying a complete pull inside one transaction (LocalStore.applyPull): records without
// pending edits take the server's state; those with pending edits update their shadow and are
// rebased; entries the pull confirms leave the outbox.
import { isRecordEntity, isSpecialEntity, recordKey, TABLE_OF } from "../sync/entities";
import type { TableName, Tx } from "./backend";
import { keysOf } from "./convert";
import type { ApplyContext } from "./rebase";
import type { OutboxEntry, PullBatch, RecordRow, Shadow, SyncMeta } from "./types";
import { rebaseKeys, writeView } from "./views";

export const RECORD_TABLES: TableName[] = [
  "leads",
  "clients",
  "projects",
  "accounts",
  "subscriptions",
  "contacts",
  "interactions",
  "notes",
];
const SYNCED_TABLES: TableName[] = [...RECORD_TABLES, "users", "config", "conflicts"];

/** Answers false (nothing written) when the stored cursor moved since the pull started. */
export async function applyPullBatch(tx: Tx, batch: PullBatch, ctx: ApplyContext, now: Date): Promise<boolean> {
  const meta = (await tx.table<SyncMeta>("meta").get("sync")) as SyncMeta | undefined;
  if (!meta || meta.cursor !== batch.fromCursor) return false;
  const outbox = tx.table<OutboxEntry>("outbox");
  const entries = await outbox.all();
  const pendingKeys = new Set(entries.flatMap(keysOf));
  const replace = batch.reset || batch.fromCursor === null;
  if (replace) await dropSyncedState(tx, pendingKeys);
  const rebaseSet = new Set<string>(replace ? pendingKeys : []);
  for (const change of batch.changes) {
    const rk = await applyChange(tx, change, pendingKeys);
    if (rk) rebaseSet.add(rk);
  }
  // The state pulled contains every mutation up to last_mutation_id: those leave the outbox.
  for (const entry of entries) {
    if (entry.mid > batch.last_mutation_id) continue;
    await outbox.delete(entry.mid);
    for (const rk of keysOf(entry)) rebaseSet.add(rk);
  }
  await rebaseKeys(tx, rebaseSet, ctx);
  await tx.table<SyncMeta>("meta").put({
    ...meta,
    cursor: batch.cursor,
    base_seq: Math.max(batch.server_seq, replace ? 0 : meta.base_seq),
    confirmed_upto: batch.last_mutation_id,
    pushed_upto: Math.max(meta.pushed_upto, batch.last_mutation_id),
    last_sync_at: now.toISOString(),
  });
  return true;
}

/** A reset or first snapshot replaces the synced records; the outbox is never touched. */
async function dropSyncedState(tx: Tx, pendingKeys: Set<string>): Promise<void> {
  for (const name of SYNCED_TABLES) await tx.table(name).clear();
  const shadows = tx.table<Shadow>("shadows");
  for (const shadow of await shadows.all()) {
    // Until the snapshot says otherwise, the server is assumed not to hold the record.
    if (pendingKeys.has(shadow.rk)) await shadows.put({ ...shadow, record: null });
    else await shadows.delete(shadow.rk);
  }
}

/** One pulled change; answers the record key when the record has pending edits to rebase. */
async function applyChange(tx: Tx, change: PullBatch["changes"][number], pending: Set<string>) {
  const record = change.op === "put" ? ((change.record ?? null) as RecordRow | null) : null;
  if (isSpecialEntity(change.entity)) {
    const table = tx.table(TABLE_OF[change.entity]);
    if (record) await table.put(record);
    else await table.delete(change.id);
    return null;
  }
  if (!isRecordEntity(change.entity)) return null; // an entity this app version does not know
  const rk = recordKey(change.entity, change.id);
  if (pending.has(rk)) {
    await tx.table<Shadow>("shadows").put({ rk, entity: change.entity, id: change.id, record });
    return rk;
  }
  await writeView(tx, change.entity, change.id, record);
  return null;
}
