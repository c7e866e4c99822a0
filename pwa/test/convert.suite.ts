// Local lead -> client conversion in the store, run on every backend: the same effects as the
// server's (lifecycle.convert), shown at once, kept through rebases and resets, and undone when
// the server holds or refuses the conversion.
import { beforeEach, describe, expect, it } from "vitest";
import type { StorageBackend } from "../src/store/backend";
import { LocalStore } from "../src/store/store";
import type { PullBatch, RecordRow } from "../src/store/types";

const USER = "5b0a3c8e-0000-4000-8000-000000000001";
const LEAD = "0a000000-0000-4000-8000-00000000000a";
const CLIENT = "0c000000-0000-4000-8000-00000000000c";
const CONTACT = "0d000000-0000-4000-8000-00000000000d";
const CALL = "0e000000-0000-4000-8000-00000000000e";
const OTHER = "0f000000-0000-4000-8000-00000000000f";
const T0 = "2026-01-01T00:00:00Z";

const base = { created_at: T0, updated_at: T0, created_by: USER, deleted_at: null, version: 1 };
const lead: RecordRow = {
  id: LEAD,
  ...base,
  name: "Harbor Plumbing",
  lead_status: "qualified",
  contact_person: "Dana Ruiz",
  email: "dana@harbor.example",
  phone: "555-0100",
  city: "Portland",
  lead_source: "Referral",
  notes: "Wants a quote",
  assigned_to: USER,
};
const contact: RecordRow = { id: CONTACT, ...base, first_name: "Dana", lead_id: LEAD, client_id: null };
const call: RecordRow = { id: CALL, ...base, summary: "Call", contact_date: T0, lead_id: LEAD, client_id: null };
const unrelated: RecordRow = { id: OTHER, ...base, first_name: "Sam", lead_id: "another", client_id: null };

const put = (entity: string, record: RecordRow, seq = 5) => ({
  entity,
  id: record.id,
  seq,
  op: "put" as const,
  record,
});
const snapshot = (over: Partial<PullBatch> = {}): PullBatch => ({
  fromCursor: null,
  cursor: "c1",
  reset: false,
  changes: [put("lead", lead), put("contact", contact), put("interaction", call), put("contact", unrelated)],
  last_mutation_id: 0,
  server_seq: 10,
  ...over,
});

export function defineConvertSuite(name: string, fresh: () => StorageBackend): void {
  describe(`local conversion on ${name}`, () => {
    let store: LocalStore;
    const now = () => new Date("2026-01-02T09:00:00Z");

    beforeEach(async () => {
      store = new LocalStore(fresh(), { userId: USER, now });
      await store.meta();
      await store.applyPull(snapshot());
      await store.mutate({ entity: "lead", id: LEAD, op: "convert", fields: { client_id: CLIENT } });
    });

    it("shows the new client, moves the children and converts the lead at once, in one entry", async () => {
      const client = await store.get("client", CLIENT);
      expect(client).toMatchObject({
        id: CLIENT,
        name: "Harbor Plumbing",
        contact_person: "Dana Ruiz",
        email: "dana@harbor.example",
        phone: "555-0100",
        city: "Portland",
        notes: "Wants a quote",
        assigned_to: USER,
        status: "active",
        source_lead_id: LEAD,
        converted_on: "2026-01-02T09:00:00.000Z",
        created_by: USER,
        deleted_at: null,
      });
      expect(client).not.toHaveProperty("lead_source"); // clients have no lead_source
      expect(await store.get("lead", LEAD)).toMatchObject({ lead_status: "converted", converted_client_id: CLIENT });
      expect(await store.get("contact", CONTACT)).toMatchObject({ lead_id: null, client_id: CLIENT });
      expect(await store.get("interaction", CALL)).toMatchObject({ lead_id: null, client_id: CLIENT });
      expect(await store.get("contact", OTHER)).toMatchObject({ lead_id: "another" });
      const outbox = await store.outbox();
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ op: "convert", fields: { client_id: CLIENT } });
    });

    it("keeps the conversion through a pull that brings older server state of the children", async () => {
      const edited = { ...call, summary: "Call (edited elsewhere)", version: 6 };
      await store.applyPull(snapshot({ fromCursor: "c1", cursor: "c2", changes: [put("interaction", edited, 6)] }));
      expect(await store.get("interaction", CALL)).toMatchObject({
        summary: "Call (edited elsewhere)",
        client_id: CLIENT,
        lead_id: null,
      });
      expect(await store.get("client", CLIENT)).toMatchObject({ name: "Harbor Plumbing" });
    });

    it("keeps the derived client through a reset until the server's arrives", async () => {
      await store.applyPull(snapshot({ fromCursor: "c1", cursor: "c9", reset: true }));
      expect(await store.get("client", CLIENT)).toMatchObject({ source_lead_id: LEAD, status: "active" });
      expect(await store.get("contact", CONTACT)).toMatchObject({ client_id: CLIENT });
    });

    it("replaces the local result with the server's once the pull confirms the conversion", async () => {
      const serverClient = {
        id: CLIENT,
        ...base,
        version: 11,
        name: "Harbor Plumbing",
        status: "active",
        source_lead_id: LEAD,
      };
      await store.applyPull(
        snapshot({
          fromCursor: "c1",
          cursor: "c2",
          last_mutation_id: 1,
          changes: [
            put("client", serverClient, 11),
            put("lead", { ...lead, lead_status: "converted", converted_client_id: CLIENT, version: 11 }, 11),
            put("contact", { ...contact, lead_id: null, client_id: CLIENT, version: 11 }, 11),
          ],
        }),
      );
      expect(await store.get("client", CLIENT)).toEqual(serverClient);
      expect(await store.outbox()).toHaveLength(0);
      expect(await store.shadow("client", CLIENT)).toBeUndefined();
      expect(await store.shadow("contact", CONTACT)).toBeUndefined();
    });

    it("undoes everything when the server holds the conversion in a conflict", async () => {
      await store.recordPushResults(
        [{ mid: 1, status: "conflict", seq: 12, conflict_id: null, error: null, original_status: null }],
        1,
      );
      await store.applyPull(snapshot({ fromCursor: "c1", cursor: "c2", last_mutation_id: 1, changes: [] }));
      expect(await store.get("client", CLIENT)).toBeUndefined();
      expect(await store.get("lead", LEAD)).toMatchObject({ lead_status: "qualified" });
      expect(await store.get("contact", CONTACT)).toMatchObject({ lead_id: LEAD, client_id: null });
    });

    it("undoes everything at once when the server refuses the conversion", async () => {
      const error = { error: "This lead is already converted", code: "already_converted", details: {} };
      await store.recordPushResults(
        [{ mid: 1, status: "rejected", seq: null, conflict_id: null, error, original_status: null }],
        1,
      );
      expect(await store.get("client", CLIENT)).toBeUndefined();
      expect(await store.get("interaction", CALL)).toMatchObject({ lead_id: LEAD });
      expect((await store.rejected())[0]).toMatchObject({ op: "convert", error });
    });

    it("applies a later offline edit of the new client on top of the conversion", async () => {
      await store.mutate({ entity: "client", id: CLIENT, op: "update", fields: { phone: "555-0199" } });
      await store.applyPull(snapshot({ fromCursor: "c1", cursor: "c2", reset: true }));
      expect(await store.get("client", CLIENT)).toMatchObject({ phone: "555-0199", name: "Harbor Plumbing" });
    });
  });
}
