// The device's local store: the records the user may see (server state + pending edits), the
// outbox, refused mutations, conflicts, config and sync metadata. Reads never touch the network.
// Every operation that changes more than one table runs in one transaction of the backend, and a
// write the device has no room for (QuotaExceededError) commits nothing: see errors.ts.

import type { MutationResult } from "../contracts/zod";
import { type RecordEntity, recordKey, TABLE_OF } from "../sync/entities";
import { type StorageBackend, TABLES, type TableName, type Tx } from "./backend";
import { keysOf } from "./convert";
import { isQuotaError, StorageFullError, type StorageProblem } from "./errors";
import { planMutation } from "./mutation";
import { applyPullBatch, RECORD_TABLES } from "./pullApply";
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
import { rebaseKeys } from "./views";

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
  /** set while writes fail for lack of space; cleared by the next write that succeeds */
  storageProblem: StorageProblem | null = null;

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

  /** The most recently updated records, read from the index: the first screen of a long list
   * without reading all of it. */
  recent(entity: RecordEntity, limit: number): Promise<RecordRow[]> {
    const table = TABLE_OF[entity];
    return this.read([table], (tx) => tx.table<RecordRow>(table).top("updated_at", limit, true));
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
    return this.write(["meta"], async (tx) => {
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

  // ---- writes -----------------------------------------------------------------------------

  /** Every read-write transaction: a quota failure is remembered (the app shows a banner) and
   * surfaces as StorageFullError; the transaction itself committed nothing. */
  private async write<R>(tables: readonly TableName[], fn: (tx: Tx) => Promise<R>): Promise<R> {
    let result: R;
    try {
      result = await this.backend.transaction("rw", tables, fn);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
      const failure = new StorageFullError(err);
      this.storageProblem = { at: this.now().toISOString(), message: failure.message };
      this.emit(["storage"], false);
      throw failure;
    }
    if (this.storageProblem) {
      this.storageProblem = null;
      this.emit(["storage"], false);
    }
    return result;
  }

  /** Apply a local edit: the view changes and the outbox grows, atomically. A conversion also
   * creates the client and moves the lead's contacts and interactions locally (convert.ts). */
  async mutate(mutation: LocalMutation): Promise<OutboxEntry> {
    await this.meta();
    const local =
      mutation.op === "convert" && typeof mutation.fields?.client_id !== "string"
        ? { ...mutation, fields: { ...mutation.fields, client_id: uuid() } }
        : mutation;
    const tables: TableName[] =
      local.op === "convert"
        ? [...RECORD_TABLES, "shadows", "outbox", "meta"]
        : [TABLE_OF[local.entity], "shadows", "outbox", "meta"];
    const entry = await this.write(tables, async (tx) => {
      const meta = (await tx.table<SyncMeta>("meta").get("sync")) as SyncMeta;
      return planMutation(tx, local, meta, this.now().toISOString(), this.ctx());
    });
    this.emit(["records", "outbox"]);
    return entry;
  }

  dismissRejected(key: string): Promise<void> {
    return this.write(["rejected"], (tx) => tx.table("rejected").delete(key)).then(() => this.emit(["outbox"]));
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
    await this.write(WRITE_TABLES, async (tx) => {
      const outbox = tx.table<OutboxEntry>("outbox");
      const touched = new Set<string>();
      for (const result of results) {
        const entry = await outbox.get(result.mid);
        // A duplicate tells what the first push did (its answer may have been lost on the way).
        const status = result.status === "duplicate" ? result.original_status : result.status;
        if (!entry || !status || status === "duplicate") continue;
        const { seq, conflict_id, error } = result;
        await outbox.put({ ...entry, result: { status, seq, conflict_id, error } });
        if (status === "rejected") {
          await this.keepRejected(tx, entry, error ?? null);
          for (const rk of keysOf(entry)) touched.add(rk);
        }
      }
      await rebaseKeys(tx, touched, this.ctx());
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
    await this.write(["outbox", "meta"], async (tx) => {
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
    const applied = await this.write([...TABLES], (tx) => applyPullBatch(tx, batch, this.ctx(), this.now()));
    if (!applied) return { applied: false, reason: "stale" };
    this.emit(["records", "outbox", "meta", "conflicts", "config", "users"]);
    return { applied: true, changes: batch.changes.length };
  }

  private async updateMeta(tx: Tx, change: (meta: SyncMeta) => SyncMeta): Promise<void> {
    const table = tx.table<SyncMeta>("meta");
    const meta = await table.get("sync");
    if (meta) await table.put(change(meta));
  }
}
