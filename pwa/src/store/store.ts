// The device's local store: the records the user may see (server state + pending edits), the
// outbox, refused mutations, conflicts, config and sync metadata. Reads never touch the network.
// Every operation that changes more than one table runs in one transaction of the backend.

import type { MutationResult } from "../contracts/zod";
import { isRecordEntity, isSpecialEntity, type RecordEntity, recordKey, TABLE_OF } from "../sync/entities";
import { type StorageBackend, TABLES, type TableName, type Tx } from "./backend";
import { applyMutation, isPending, rebase } from "./rebase";
import type {
  ConfigRow,
  ConflictRow,
  LocalMutation,
  OutboxEntry,
  PullApplied,
  PullBatch,
  RecordRow,
  RejectedEntry,
  Shadow,
  StoreTopic,
  SyncMeta,
  UserRow,
} from "./types";
import { uuid } from "./uuid";

const RECORD_TABLES: TableName[] = [
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
const WRITE_TABLES: TableName[] = [...RECORD_TABLES, "shadows", "outbox", "rejected", "meta"];

export interface StoreOptions {
  userId: string;
  /** a fresh client_id for a device that has none yet */
  newClientId?: () => string;
  now?: () => Date;
}

type Listener = (topics: Set<StoreTopic>) => void;

export class LocalStore {
  private listeners = new Set<Listener>();
  private readonly now: () => Date;
  private readonly unsubscribeExternal: () => void;

  constructor(
    readonly backend: StorageBackend,
    private readonly options: StoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.unsubscribeExternal =
      backend.onExternalChange?.((topics) => this.emit(topics as StoreTopic[], false)) ?? (() => undefined);
  }

  get userId(): string {
    return this.options.userId;
  }

  // ---- change notification ----------------------------------------------------------------

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(topics: StoreTopic[], local = true): void {
    if (local) this.backend.announce?.(topics);
    const set = new Set(topics);
    for (const listener of this.listeners) listener(set);
  }

  close(): void {
    this.unsubscribeExternal();
    this.listeners.clear();
    this.backend.close();
  }

  // ---- reads ------------------------------------------------------------------------------

  private read<R>(tables: TableName[], fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.backend.transaction("r", tables, fn);
  }

  get(entity: RecordEntity, id: string): Promise<RecordRow | undefined> {
    const table = TABLE_OF[entity];
    return this.read([table], (tx) => tx.table<RecordRow>(table).get(id));
  }

  list(entity: RecordEntity): Promise<RecordRow[]> {
    const table = TABLE_OF[entity];
    return this.read([table], (tx) => tx.table<RecordRow>(table).all());
  }

  listWhere(entity: RecordEntity, index: string, value: string): Promise<RecordRow[]> {
    const table = TABLE_OF[entity];
    return this.read([table], (tx) => tx.table<RecordRow>(table).where(index, value));
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.read(["outbox"], (tx) => tx.table<OutboxEntry>("outbox").all());
  }

  rejected(): Promise<RejectedEntry[]> {
    return this.read(["rejected"], (tx) => tx.table<RejectedEntry>("rejected").all());
  }

  conflicts(): Promise<ConflictRow[]> {
    return this.read(["conflicts"], (tx) => tx.table<ConflictRow>("conflicts").all());
  }

  config(): Promise<ConfigRow | undefined> {
    return this.read(["config"], async (tx) => (await tx.table<ConfigRow>("config").all())[0]);
  }

  users(): Promise<UserRow[]> {
    return this.read(["users"], (tx) => tx.table<UserRow>("users").all());
  }

  shadow(entity: RecordEntity, id: string): Promise<Shadow | undefined> {
    return this.read(["shadows"], (tx) => tx.table<Shadow>("shadows").get(recordKey(entity, id)));
  }

  /** The sync metadata, created on first use (a new client_id for a new device). */
  async meta(): Promise<SyncMeta> {
    const existing = await this.read(["meta"], (tx) => tx.table<SyncMeta>("meta").get("sync"));
    if (existing) return existing;
    return this.backend.transaction("rw", ["meta"], async (tx) => {
      const again = await tx.table<SyncMeta>("meta").get("sync");
      if (again) return again;
      const fresh: SyncMeta = {
        key: "sync",
        client_id: (this.options.newClientId ?? uuid)(),
        user_id: this.options.userId,
        next_mid: 1,
        pushed_upto: 0,
        confirmed_upto: 0,
        cursor: null,
        base_seq: 0,
        last_sync_at: null,
      };
      await tx.table<SyncMeta>("meta").put(fresh);
      return fresh;
    });
  }

  // ---- local writes -----------------------------------------------------------------------

  /** Apply a local edit: the view changes and the outbox grows, atomically. */
  async mutate(mutation: LocalMutation): Promise<OutboxEntry> {
    await this.meta();
    const table = TABLE_OF[mutation.entity];
    const entry = await this.backend.transaction("rw", [table, "shadows", "outbox", "meta"], async (tx) => {
      const meta = (await tx.table<SyncMeta>("meta").get("sync")) as SyncMeta;
      const rk = recordKey(mutation.entity, mutation.id);
      const view = (await tx.table<RecordRow>(table).get(mutation.id)) ?? null;
      const shadows = tx.table<Shadow>("shadows");
      // The first pending edit of a record keeps its server state aside, to rebase on later.
      if (!(await shadows.get(rk))) {
        await shadows.put({ rk, entity: mutation.entity, id: mutation.id, record: view });
      }
      const next: OutboxEntry = {
        mid: meta.next_mid,
        entity: mutation.entity,
        id: mutation.id,
        op: mutation.op,
        fields: mutation.fields ?? {},
        base_seq: meta.base_seq,
        client_time: this.now().toISOString(),
        rk,
      };
      await tx.table<OutboxEntry>("outbox").put(next);
      await writeView(tx, mutation.entity, mutation.id, applyMutation(view, next, this.ctx()));
      await tx.table<SyncMeta>("meta").put({ ...meta, next_mid: meta.next_mid + 1 });
      return next;
    });
    this.emit(["records", "outbox"]);
    return entry;
  }

  dismissRejected(key: string): Promise<void> {
    return this.backend
      .transaction("rw", ["rejected"], (tx) => tx.table("rejected").delete(key))
      .then(() => this.emit(["outbox"]));
  }

  private ctx() {
    return { userId: this.options.userId };
  }

  // ---- sync writes ------------------------------------------------------------------------

  /** Entries the server has not acknowledged yet (mid > pushed_upto), oldest first. */
  async unpushed(limit: number): Promise<OutboxEntry[]> {
    const meta = await this.meta();
    return (await this.outbox()).filter((e) => e.mid > meta.pushed_upto).slice(0, limit);
  }

  /** Record a push answer. Entries stay in the outbox until a pull shows their effects; a
   * refused one stops shaping the view at once and is listed among the rejected. */
  async recordPushResults(results: MutationResult[], lastMutationId: number): Promise<void> {
    await this.backend.transaction("rw", WRITE_TABLES, async (tx) => {
      const outbox = tx.table<OutboxEntry>("outbox");
      const touched = new Set<string>();
      for (const result of results) {
        const entry = await outbox.get(result.mid);
        if (!entry || result.status === "duplicate") continue;
        const { status, seq, conflict_id, error } = result;
        await outbox.put({ ...entry, result: { status, seq, conflict_id, error } });
        if (status === "rejected") {
          await this.keepRejected(tx, entry, error ?? null);
          touched.add(entry.rk);
        }
      }
      for (const rk of touched) await this.rebaseRecord(tx, rk);
      await this.updateMeta(tx, (m) => ({ ...m, pushed_upto: Math.max(m.pushed_upto, lastMutationId) }));
    });
    this.emit(["records", "outbox", "meta"]);
  }

  private async keepRejected(tx: Tx, entry: OutboxEntry, error: RejectedEntry["error"]): Promise<void> {
    const { result: _result, ...rest } = entry;
    const key = `${entry.mid}:${entry.rk}:${entry.client_time}`;
    await tx.table<RejectedEntry>("rejected").put({ ...rest, key, error, rejected_at: this.now().toISOString() });
  }

  /** The server's counter is behind what this device believed (409 mutation_gap): resend from
   * there. Entries the server lost while this device had already dropped them (a server
   * restored from a backup) leave a hole; the pending ones are renumbered to close it. */
  async rewindTo(lastMutationId: number): Promise<void> {
    await this.backend.transaction("rw", ["outbox", "meta"], async (tx) => {
      const outbox = tx.table<OutboxEntry>("outbox");
      const pending = (await outbox.all()).filter((e) => e.mid > lastMutationId);
      const first = pending[0];
      if (first && first.mid > lastMutationId + 1) {
        for (const entry of pending) await outbox.delete(entry.mid);
        let mid = lastMutationId;
        for (const entry of pending) {
          mid += 1;
          await outbox.put({ ...entry, mid });
        }
      }
      await this.updateMeta(tx, (m) => ({
        ...m,
        pushed_upto: lastMutationId,
        next_mid: lastMutationId + 1 + pending.length,
      }));
    });
    this.emit(["outbox", "meta"]);
  }

  /** Apply a complete pull atomically. Refused as stale when another pull (another tab, a
   * reordered response) moved the cursor since this one started. */
  async applyPull(batch: PullBatch): Promise<PullApplied> {
    const result = await this.backend.transaction("rw", [...TABLES], async (tx): Promise<PullApplied> => {
      const meta = (await tx.table<SyncMeta>("meta").get("sync")) as SyncMeta | undefined;
      if (!meta || meta.cursor !== batch.fromCursor) return { applied: false, reason: "stale" };
      const outbox = tx.table<OutboxEntry>("outbox");
      const entries = await outbox.all();
      const pendingKeys = new Set(entries.map((e) => e.rk));
      const replace = batch.reset || batch.fromCursor === null;
      if (replace) await this.dropSyncedState(tx, pendingKeys);
      const rebaseKeys = new Set<string>(replace ? pendingKeys : []);
      for (const change of batch.changes) {
        const rk = await this.applyChange(tx, change, pendingKeys);
        if (rk) rebaseKeys.add(rk);
      }
      // The state pulled contains every mutation up to last_mutation_id: those leave the outbox.
      for (const entry of entries) {
        if (entry.mid > batch.last_mutation_id) continue;
        await outbox.delete(entry.mid);
        rebaseKeys.add(entry.rk);
      }
      for (const rk of rebaseKeys) await this.rebaseRecord(tx, rk);
      await this.updateMeta(tx, (m) => ({
        ...m,
        cursor: batch.cursor,
        base_seq: Math.max(batch.server_seq, replace ? 0 : m.base_seq),
        confirmed_upto: batch.last_mutation_id,
        pushed_upto: Math.max(m.pushed_upto, batch.last_mutation_id),
        last_sync_at: this.now().toISOString(),
      }));
      return { applied: true, changes: batch.changes.length };
    });
    if (result.applied) this.emit(["records", "outbox", "meta", "conflicts", "config", "users"]);
    return result;
  }

  /** A reset or first snapshot replaces the synced records; the outbox is never touched. */
  private async dropSyncedState(tx: Tx, pendingKeys: Set<string>): Promise<void> {
    for (const name of SYNCED_TABLES) await tx.table(name).clear();
    const shadows = tx.table<Shadow>("shadows");
    for (const shadow of await shadows.all()) {
      // Until the snapshot says otherwise, the server is assumed not to hold the record.
      if (pendingKeys.has(shadow.rk)) await shadows.put({ ...shadow, record: null });
      else await shadows.delete(shadow.rk);
    }
  }

  /** One pulled change; answers the record key when the record has pending edits to rebase. */
  private async applyChange(tx: Tx, change: PullBatch["changes"][number], pending: Set<string>) {
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

  /** view = server state + remaining pending entries; without any, the shadow is retired. */
  private async rebaseRecord(tx: Tx, rk: string): Promise<void> {
    const shadows = tx.table<Shadow>("shadows");
    const shadow = await shadows.get(rk);
    if (!shadow) return;
    const entries = (await tx.table<OutboxEntry>("outbox").where("rk", rk)).filter(isPending);
    await writeView(tx, shadow.entity, shadow.id, rebase(shadow.record, entries, this.ctx()));
    if (entries.length === 0) await shadows.delete(rk);
  }

  private async updateMeta(tx: Tx, change: (meta: SyncMeta) => SyncMeta): Promise<void> {
    const table = tx.table<SyncMeta>("meta");
    const meta = await table.get("sync");
    if (meta) await table.put(change(meta));
  }
}

async function writeView(tx: Tx, entity: RecordEntity, id: string, row: RecordRow | null): Promise<void> {
  const table = tx.table<RecordRow>(TABLE_OF[entity]);
  if (row) await table.put(row);
  else await table.delete(id);
}
