// A device out of storage: writes fail with QuotaExceededError (as IndexedDB reports it). The
// store must refuse the one write that did not fit as a whole, say so, and never lose or damage
// the outbox; once space is back everything carries on. Run on every backend through a wrapper
// that fails read-write transactions after their writes, so the real backend must roll back.
import { beforeEach, describe, expect, it } from "vitest";
import type { StorageBackend, TableName, Tx, TxMode } from "../src/store/backend";
import { StorageFullError } from "../src/store/errors";
import { LocalStore } from "../src/store/store";
import type { StoreTopic } from "../src/store/types";

const USER = "5b0a3c8e-0000-4000-8000-000000000001";
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A backend whose disk is full on demand. */
class FullDiskBackend implements StorageBackend {
  full = false;
  constructor(readonly inner: StorageBackend) {}
  get kind() {
    return this.inner.kind;
  }
  transaction<R>(mode: TxMode, tables: readonly TableName[], fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.inner.transaction(mode, tables, async (tx) => {
      const result = await fn(tx);
      if (this.full && mode === "rw") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return result;
    });
  }
  close(): void {
    this.inner.close();
  }
}

export function defineQuotaSuite(name: string, fresh: () => StorageBackend): void {
  describe(`storage full on ${name}`, () => {
    let disk: FullDiskBackend;
    let store: LocalStore;
    let topics: StoreTopic[];

    beforeEach(async () => {
      disk = new FullDiskBackend(fresh());
      store = new LocalStore(disk, { userId: USER });
      await store.meta();
      await store.mutate({ entity: "lead", id: id(1), op: "create", fields: { name: "Saved before" } });
      topics = [];
      store.subscribe((t) => topics.push(...t));
    });

    it("refuses an edit that does not fit, as a whole, and keeps the outbox intact", async () => {
      disk.full = true;
      const failure = await store
        .mutate({ entity: "lead", id: id(2), op: "create", fields: { name: "No room" } })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StorageFullError);
      expect(store.storageProblem?.message).toMatch(/out of storage/);
      expect(topics).toContain("storage");
      disk.full = false;
      expect((await store.outbox()).map((e) => [e.mid, e.fields.name])).toEqual([[1, "Saved before"]]);
      expect(await store.get("lead", id(2))).toBeUndefined();
      expect((await store.meta()).next_mid).toBe(2);
    });

    it("carries on once there is room again: no gap in mids, the warning cleared", async () => {
      disk.full = true;
      await store
        .mutate({ entity: "lead", id: id(2), op: "create", fields: { name: "No room" } })
        .catch(() => undefined);
      disk.full = false;
      const entry = await store.mutate({ entity: "lead", id: id(3), op: "create", fields: { name: "Room again" } });
      expect(entry.mid).toBe(2);
      expect(store.storageProblem).toBeNull();
    });

    it("a pull that does not fit applies nothing and leaves the outbox for the next try", async () => {
      disk.full = true;
      const batch = {
        fromCursor: null,
        cursor: "c1",
        reset: false,
        changes: [{ entity: "lead", id: id(9), seq: 3, op: "put" as const, record: { id: id(9), name: "Pulled" } }],
        last_mutation_id: 0,
        server_seq: 3,
      };
      await expect(store.applyPull(batch)).rejects.toBeInstanceOf(StorageFullError);
      disk.full = false;
      expect((await store.meta()).cursor).toBeNull();
      expect(await store.outbox()).toHaveLength(1);
      expect(await store.applyPull(batch)).toEqual({ applied: true, changes: 1 });
    });

    it("a push answer that does not fit is simply not recorded (the retry is a duplicate)", async () => {
      disk.full = true;
      const applied = {
        mid: 1,
        status: "applied" as const,
        seq: 4,
        conflict_id: null,
        error: null,
        original_status: null,
      };
      await expect(store.recordPushResults([applied], 1)).rejects.toBeInstanceOf(StorageFullError);
      disk.full = false;
      expect((await store.meta()).pushed_upto).toBe(0);
      expect((await store.unpushed(10)).map((e) => e.mid)).toEqual([1]);
    });
  });
}
