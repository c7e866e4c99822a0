// One behavioural suite for the local store, run on every backend (STYLE.md item 12).
import { beforeEach, describe, expect, it } from "vitest";
import type { StorageBackend } from "../src/store/backend";
import { LocalStore } from "../src/store/store";
import type { PullBatch, RecordRow } from "../src/store/types";

export interface BackendFactory {
  /** a new, empty backend */
  fresh(): StorageBackend;
  /** the same storage seen anew (another page load), where the backend persists */
  reopen(backend: StorageBackend): StorageBackend;
}

const USER = "5b0a3c8e-0000-4000-8000-000000000001";
const LEAD_A = "0a000000-0000-4000-8000-00000000000a";
const LEAD_B = "0b000000-0000-4000-8000-00000000000b";
const CLIENT_C = "0c000000-0000-4000-8000-00000000000c";

const serverLead = (id: string, fields: Record<string, unknown> = {}, version = 1): RecordRow => ({
  id,
  name: "Server name",
  lead_status: "new",
  phone: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  created_by: USER,
  deleted_at: null,
  version,
  ...fields,
});

const batch = (over: Partial<PullBatch>): PullBatch => ({
  fromCursor: null,
  cursor: "c1",
  reset: false,
  changes: [],
  last_mutation_id: 0,
  server_seq: 10,
  ...over,
});

export function defineStoreSuite(name: string, factory: BackendFactory): void {
  describe(`LocalStore on ${name}`, () => {
    let store: LocalStore;
    let clock = 0;
    const now = () => new Date(Date.UTC(2026, 0, 2, 0, 0, clock++));
    const open = (backend: StorageBackend) =>
      new LocalStore(backend, { userId: USER, now, newClientId: () => "c0ffee00-0000-4000-8000-000000000000" });

    beforeEach(() => {
      clock = 0;
      store = open(factory.fresh());
    });

    it("creates the sync metadata once, with a client id", async () => {
      const meta = await store.meta();
      expect(meta).toMatchObject({ client_id: "c0ffee00-0000-4000-8000-000000000000", next_mid: 1, cursor: null });
      expect(await store.meta()).toEqual(meta);
    });

    it("applies a local create at once and queues it with consecutive mids", async () => {
      await store.mutate({ entity: "lead", id: LEAD_A, op: "create", fields: { name: "Harbor" } });
      await store.mutate({ entity: "client", id: CLIENT_C, op: "create", fields: { name: "Bay" } });
      const lead = await store.get("lead", LEAD_A);
      expect(lead).toMatchObject({ id: LEAD_A, name: "Harbor", lead_status: "new", created_by: USER, version: 0 });
      const outbox = await store.outbox();
      expect(outbox.map((e) => [e.mid, e.entity, e.op])).toEqual([
        [1, "lead", "create"],
        [2, "client", "create"],
      ]);
      expect((await store.meta()).next_mid).toBe(3);
    });

    it("keeps the outbox and the mid counter across a reopen", async () => {
      await store.mutate({ entity: "lead", id: LEAD_A, op: "create", fields: { name: "Harbor" } });
      const reopened = open(factory.reopen(store.backend));
      expect((await reopened.outbox()).map((e) => e.mid)).toEqual([1]);
      const next = await reopened.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { phone: "555-0100" } });
      expect(next.mid).toBe(2);
    });

    it("applies a first snapshot: records, config, users and conflicts", async () => {
      await store.meta();
      const result = await store.applyPull(
        batch({
          changes: [
            { entity: "config", id: "t1", seq: 0, op: "put", record: { id: "t1", name: "Acme", config: {} } },
            {
              entity: "user",
              id: USER,
              seq: 0,
              op: "put",
              record: { id: USER, email: "a@x.io", name: "A", roles: [] },
            },
            { entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) },
            {
              entity: "conflict",
              id: "f1",
              seq: 0,
              op: "put",
              record: { id: "f1", entity: "lead", record_id: LEAD_A, kind: "field", status: "open", fields: {} },
            },
          ],
        }),
      );
      expect(result).toEqual({ applied: true, changes: 4 });
      expect(await store.get("lead", LEAD_A)).toMatchObject({ name: "Server name" });
      expect((await store.config())?.name).toBe("Acme");
      expect(await store.users()).toHaveLength(1);
      expect((await store.conflicts())[0]?.record_id).toBe(LEAD_A);
      expect(await store.meta()).toMatchObject({ cursor: "c1", base_seq: 10 });
    });

    it("records the pulled seq as the base of later mutations", async () => {
      await store.meta();
      await store.applyPull(batch({ server_seq: 42 }));
      const entry = await store.mutate({ entity: "lead", id: LEAD_A, op: "create", fields: { name: "X" } });
      expect(entry.base_seq).toBe(42);
    });

    it("rebases pending edits over pulled server state", async () => {
      await store.meta();
      await store.applyPull(
        batch({ changes: [{ entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) }] }),
      );
      await store.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { phone: "555-0100" } });
      // Another device renamed it; this device's phone edit is not pushed yet.
      await store.applyPull(
        batch({
          fromCursor: "c1",
          cursor: "c2",
          changes: [
            { entity: "lead", id: LEAD_A, seq: 11, op: "put", record: serverLead(LEAD_A, { name: "Renamed" }, 11) },
          ],
        }),
      );
      expect(await store.get("lead", LEAD_A)).toMatchObject({ name: "Renamed", phone: "555-0100", version: 11 });
      expect((await store.shadow("lead", LEAD_A))?.record).toMatchObject({ name: "Renamed", phone: null });
    });

    it("drops outbox entries the pull already contains and retires the shadow", async () => {
      await store.meta();
      await store.applyPull(batch({}));
      await store.mutate({ entity: "lead", id: LEAD_A, op: "create", fields: { name: "Mine" } });
      await store.mutate({ entity: "lead", id: LEAD_B, op: "create", fields: { name: "Later" } });
      await store.applyPull(
        batch({
          fromCursor: "c1",
          cursor: "c2",
          last_mutation_id: 1,
          changes: [
            { entity: "lead", id: LEAD_A, seq: 12, op: "put", record: serverLead(LEAD_A, { name: "Mine" }, 12) },
          ],
        }),
      );
      expect((await store.outbox()).map((e) => e.mid)).toEqual([2]);
      expect(await store.shadow("lead", LEAD_A)).toBeUndefined();
      expect(await store.get("lead", LEAD_A)).toMatchObject({ version: 12 });
      expect(await store.get("lead", LEAD_B)).toMatchObject({ name: "Later" });
      expect(await store.meta()).toMatchObject({ confirmed_upto: 1, pushed_upto: 1 });
    });

    it("on reset drops synced records but never the outbox", async () => {
      await store.meta();
      await store.applyPull(
        batch({
          changes: [
            { entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) },
            { entity: "lead", id: LEAD_B, seq: 4, op: "put", record: serverLead(LEAD_B) },
          ],
        }),
      );
      await store.mutate({ entity: "client", id: CLIENT_C, op: "create", fields: { name: "Offline client" } });
      await store.mutate({ entity: "lead", id: LEAD_B, op: "update", fields: { phone: "555-0101" } });
      await store.applyPull(
        batch({
          fromCursor: "c1",
          cursor: "c9",
          reset: true,
          changes: [{ entity: "lead", id: LEAD_B, seq: 20, op: "put", record: serverLead(LEAD_B, { name: "B2" }, 20) }],
        }),
      );
      expect(await store.get("lead", LEAD_A)).toBeUndefined();
      expect(await store.get("lead", LEAD_B)).toMatchObject({ name: "B2", phone: "555-0101" });
      expect(await store.get("client", CLIENT_C)).toMatchObject({ name: "Offline client" });
      expect((await store.outbox()).map((e) => e.mid)).toEqual([1, 2]);
    });

    it("refuses a stale pull whose starting cursor is no longer current", async () => {
      await store.meta();
      await store.applyPull(batch({ cursor: "c1" }));
      const stale = await store.applyPull(
        batch({
          fromCursor: null,
          cursor: "old",
          changes: [{ entity: "lead", id: LEAD_A, seq: 1, op: "put", record: serverLead(LEAD_A) }],
        }),
      );
      expect(stale).toEqual({ applied: false, reason: "stale" });
      expect(await store.get("lead", LEAD_A)).toBeUndefined();
      expect((await store.meta()).cursor).toBe("c1");
    });

    it("evicts a record the server deletes, pending edits or not", async () => {
      await store.meta();
      await store.applyPull(
        batch({
          changes: [
            { entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) },
            { entity: "lead", id: LEAD_B, seq: 4, op: "put", record: serverLead(LEAD_B) },
          ],
        }),
      );
      await store.mutate({ entity: "lead", id: LEAD_B, op: "update", fields: { phone: "555-0102" } });
      await store.applyPull(
        batch({
          fromCursor: "c1",
          cursor: "c2",
          changes: [
            { entity: "lead", id: LEAD_A, seq: 30, op: "delete" },
            { entity: "lead", id: LEAD_B, seq: 31, op: "delete" },
          ],
        }),
      );
      expect(await store.get("lead", LEAD_A)).toBeUndefined();
      expect(await store.get("lead", LEAD_B)).toBeUndefined();
      expect(await store.outbox()).toHaveLength(1); // still sent: the server decides (and refuses)
    });

    it("lists a refused mutation with its error and stops applying it", async () => {
      await store.meta();
      await store.applyPull(
        batch({ changes: [{ entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) }] }),
      );
      await store.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { lead_status: "won" } });
      await store.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { phone: "555-0103" } });
      const error = { error: "Invalid", code: "validation_error", details: { fields: { lead_status: ["bad"] } } };
      await store.recordPushResults(
        [
          { mid: 1, status: "rejected", seq: null, conflict_id: null, error, original_status: null },
          { mid: 2, status: "applied", seq: 40, conflict_id: null, error: null, original_status: null },
        ],
        2,
      );
      expect(await store.get("lead", LEAD_A)).toMatchObject({ lead_status: "new", phone: "555-0103" });
      const rejected = await store.rejected();
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ mid: 1, error, fields: { lead_status: "won" } });
      expect((await store.meta()).pushed_upto).toBe(2);
      expect(await store.unpushed(500)).toEqual([]);
      await store.applyPull(batch({ fromCursor: "c1", cursor: "c2", last_mutation_id: 2 }));
      expect(await store.outbox()).toEqual([]);
      expect(await store.rejected()).toHaveLength(1);
      await store.dismissRejected(rejected[0]?.key ?? "");
      expect(await store.rejected()).toEqual([]);
    });

    it("a duplicate that tells of a first-push rejection lists it (that answer was lost)", async () => {
      await store.meta();
      await store.applyPull(
        batch({ changes: [{ entity: "lead", id: LEAD_A, seq: 3, op: "put", record: serverLead(LEAD_A) }] }),
      );
      await store.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { lead_status: "won" } });
      await store.mutate({ entity: "lead", id: LEAD_A, op: "update", fields: { phone: "555-0103" } });
      const error = { error: "Invalid", code: "validation_error", details: {} };
      const replay = { status: "duplicate" as const, seq: null, conflict_id: null };
      await store.recordPushResults(
        [
          { ...replay, mid: 1, error, original_status: "rejected" },
          { ...replay, mid: 2, error: null, original_status: null }, // not remembered: as before
        ],
        2,
      );
      expect(await store.get("lead", LEAD_A)).toMatchObject({ lead_status: "new", phone: "555-0103" });
      expect(await store.rejected()).toMatchObject([{ mid: 1, error, fields: { lead_status: "won" } }]);
      expect((await store.meta()).pushed_upto).toBe(2);
    });

    it("rewinds to the server's counter and closes a hole by renumbering", async () => {
      await store.meta();
      for (const name of ["a", "b", "c"]) {
        await store.mutate({ entity: "lead", id: `${LEAD_A.slice(0, -1)}${name}`, op: "create", fields: { name } });
      }
      await store.applyPull(batch({ last_mutation_id: 1 })); // mid 1 confirmed and dropped
      await store.rewindTo(0); // the server forgot it (restored from a backup)
      expect((await store.outbox()).map((e) => e.mid)).toEqual([1, 2]);
      expect(await store.meta()).toMatchObject({ pushed_upto: 0, next_mid: 3 });
      expect((await store.unpushed(1)).map((e) => e.fields.name)).toEqual(["b"]);
    });

    it("commits a transaction entirely or not at all", async () => {
      await expect(
        store.backend.transaction("rw", ["leads", "outbox"], async (tx) => {
          await tx.table("leads").put({ id: LEAD_A, name: "half" });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store.get("lead", LEAD_A)).toBeUndefined();
    });

    it("reads the most recently updated records from the index, newest first", async () => {
      await store.meta();
      await store.applyPull(
        batch({
          changes: [1, 3, 2].map((n) => ({
            entity: "lead",
            id: `0${n}000000-0000-4000-8000-000000000000`,
            seq: n,
            op: "put" as const,
            record: serverLead(`0${n}000000-0000-4000-8000-000000000000`, { updated_at: `2026-01-0${n}T00:00:00Z` }),
          })),
        }),
      );
      const recent = await store.recent("lead", 2);
      expect(recent.map((r) => r.updated_at)).toEqual(["2026-01-03T00:00:00Z", "2026-01-02T00:00:00Z"]);
    });

    it("notifies subscribers of what changed", async () => {
      const seen: string[][] = [];
      store.subscribe((topics) => seen.push([...topics].sort()));
      await store.mutate({ entity: "lead", id: LEAD_A, op: "create", fields: { name: "N" } });
      expect(seen).toEqual([["outbox", "records"]]);
    });
  });
}
