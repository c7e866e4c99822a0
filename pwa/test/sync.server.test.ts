// The TypeScript sync client against a REAL server (started by global-setup.ts): the device
// behaviour SYNC.md requires, end to end through HTTP, on fake-indexeddb.
import { describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { type HttpError, NetworkError } from "../src/api/http";
import { websocketUrl } from "../src/config/env";
import type { SyncMeta } from "../src/store/types";
import { uuid } from "../src/store/uuid";
import { isAuthError, isUpgradeRequired } from "../src/sync/client";
import { PokeSocket } from "../src/sync/pokes";
import { SYNC_PATHS } from "../src/sync/protocol";
import { deferred, device, rest, sameRecord, server, serverRecord } from "./helpers";

const hasServer = inject("server") !== null;

describe.runIf(hasServer)("sync client against a real server", () => {
  it("pulls a first snapshot with config, users and records", async () => {
    const a = await device(server().admin);
    const id = uuid();
    expect((await rest(a, "POST", "leads", { name: "Snapshot lead" })).status).toBe(201);
    await a.client.pull();
    expect((await a.store.config())?.name).toBe("PWA Test Co");
    expect((await a.store.users()).map((u) => u.email)).toContain(server().admin.email);
    const leads = await a.store.list("lead");
    expect(leads.map((l) => l.name)).toContain("Snapshot lead");
    expect((await a.store.meta()).cursor).not.toBeNull();
    expect(await a.store.get("lead", id)).toBeUndefined();
  });

  it("keeps offline edits, then syncs them and converges on the server's state", async () => {
    const a = await device(server().user);
    await a.client.pull();
    a.transport.offline = true;
    const leadId = uuid();
    const clientId = uuid();
    await a.store.mutate({
      entity: "lead",
      id: leadId,
      op: "create",
      fields: { name: "Offline lead", phone: "555-0100" },
    });
    await a.store.mutate({ entity: "lead", id: leadId, op: "update", fields: { lead_status: "contacted" } });
    await a.store.mutate({ entity: "client", id: clientId, op: "create", fields: { name: "Offline client" } });
    await expect(a.client.sync()).rejects.toBeInstanceOf(NetworkError);
    expect(await a.store.get("lead", leadId)).toMatchObject({ name: "Offline lead", lead_status: "contacted" });
    expect((await a.store.outbox()).map((e) => e.mid)).toEqual([1, 2, 3]);

    a.transport.offline = false;
    const { push, pull } = await a.client.sync();
    expect(push).toEqual({ sent: 3, pushes: 1 });
    expect(pull.applied).toBe(true);
    expect(await a.store.outbox()).toEqual([]);
    const remote = await serverRecord(a, `leads/${leadId}`);
    expect(remote).toMatchObject({ name: "Offline lead", phone: "555-0100", lead_status: "contacted" });
    sameRecord(await a.store.get("lead", leadId), remote);
    sameRecord(await a.store.get("client", clientId), await serverRecord(a, `clients/${clientId}`));
  });

  it("pushes at most the limit per request, in mid order", async () => {
    const a = await device(server().user, { pushLimit: 2 });
    await a.client.pull();
    for (let i = 0; i < 5; i += 1) {
      await a.store.mutate({ entity: "lead", id: uuid(), op: "create", fields: { name: `Batch ${i}` } });
    }
    const { push } = await a.client.sync();
    expect(push).toEqual({ sent: 5, pushes: 3 });
    expect(a.transport.pushes.map((p) => p.mutations.map((m) => m.mid))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("survives a lost push response: the retry is a duplicate, applied once", async () => {
    const a = await device(server().user);
    await a.client.pull();
    const id = uuid();
    const name = `Once ${id}`;
    await a.store.mutate({ entity: "lead", id, op: "create", fields: { name } });
    a.transport.loseNextPushResponse = true;
    await expect(a.client.push()).rejects.toBeInstanceOf(NetworkError);
    expect((await a.store.outbox())[0]?.result).toBeUndefined();

    await a.client.sync();
    expect(a.transport.pushes).toHaveLength(2);
    expect(a.transport.pushes[1]?.mutations.map((m) => m.mid)).toEqual([1]);
    expect(await a.store.outbox()).toEqual([]);
    const list = await rest(a, "GET", `leads?q=${encodeURIComponent(name)}`);
    expect((list.json.items as unknown[]).length).toBe(1);
    sameRecord(await a.store.get("lead", id), await serverRecord(a, `leads/${id}`));
  });

  it("refuses a reordered (stale) pull response and keeps the newer state", async () => {
    const a = await device(server().admin);
    const b = await device(server().admin);
    const id = uuid();
    await b.store.mutate({ entity: "lead", id, op: "create", fields: { name: "v1" } });
    await b.client.sync();
    await a.client.pull();
    await b.store.mutate({ entity: "lead", id, op: "update", fields: { name: "v2" } });
    await b.client.sync();

    // Pull 1 is answered (v2) but its response is held back ...
    const meta = await a.store.meta();
    const early = await a.transport.inner.pull({
      client_id: meta.client_id,
      schema_version: 1,
      cursor: meta.cursor,
      limit: 500,
    });
    // ... while B writes v3 and pull 2 brings it.
    await b.store.mutate({ entity: "lead", id, op: "update", fields: { name: "v3" } });
    await b.client.sync();
    expect((await a.client.pull()).applied).toBe(true);
    const late = await a.store.applyPull({
      fromCursor: meta.cursor,
      cursor: early.cursor,
      reset: early.reset,
      changes: early.changes.map((c) => ({ ...c, record: c.record ?? null })),
      last_mutation_id: early.last_mutation_id,
      server_seq: early.server_seq,
    });
    expect(late).toEqual({ applied: false, reason: "stale" });
    expect(await a.store.get("lead", id)).toMatchObject({ name: "v3" });
    sameRecord(await a.store.get("lead", id), await serverRecord(a, `leads/${id}`));
  });

  it("assembles a multi-page snapshot and applies it only when complete", async () => {
    const a = await device(server().admin, { pullLimit: 3 });
    for (let i = 0; i < 4; i += 1) await rest(a, "POST", "leads", { name: `Paged ${i}` });
    let pages = 0;
    const inner = a.transport.inner;
    a.transport.pull = async (request) => {
      pages += 1;
      const response = await inner.pull(request);
      // Nothing is applied while pages are still coming.
      if (response.has_more) expect((await a.store.meta()).cursor).toBeNull();
      return response;
    };
    await a.client.pull();
    expect(pages).toBeGreaterThan(2);
    const remote = await rest(a, "GET", "leads?limit=100");
    const names = (remote.json.items as { name: string }[]).map((l) => l.name).sort();
    expect((await a.store.list("lead")).map((l) => l.name).sort()).toEqual(names);
  });

  it("on reset drops synced records but keeps and later pushes the outbox", async () => {
    const a = await device(server().user);
    await a.client.pull();
    const pending = uuid();
    await a.store.mutate({ entity: "lead", id: pending, op: "create", fields: { name: "Pending through reset" } });
    // A record the server no longer has (as after tombstone expiry), and an unusable cursor.
    const ghost = uuid();
    await a.store.backend.transaction("rw", ["leads", "meta"], async (tx) => {
      await tx.table("leads").put({ id: ghost, name: "Ghost" });
      const meta = (await tx.table<SyncMeta>("meta").get("sync")) as SyncMeta;
      await tx.table("meta").put({ ...meta, cursor: "not-a-cursor" });
    });
    await a.client.pull();
    expect(await a.store.get("lead", ghost)).toBeUndefined();
    expect(await a.store.get("lead", pending)).toMatchObject({ name: "Pending through reset" });
    expect((await a.store.outbox()).map((e) => e.id)).toEqual([pending]);
    await a.client.sync();
    expect(await serverRecord(a, `leads/${pending}`)).toMatchObject({ name: "Pending through reset" });
  });

  it("evicts a record reassigned away, and the edit made before is held for an admin, not lost", async () => {
    const admin = await device(server().admin);
    const field = await device(server().user);
    const id = uuid();
    await admin.store.mutate({
      entity: "lead",
      id,
      op: "create",
      fields: { name: "Handed over", assigned_to: field.userId },
    });
    await admin.client.sync();
    await field.client.pull();
    expect(await field.store.get("lead", id)).toMatchObject({ name: "Handed over" });

    await field.store.mutate({ entity: "lead", id, op: "update", fields: { phone: "555-0199" } });
    await admin.store.mutate({ entity: "lead", id, op: "update", fields: { assigned_to: admin.userId } });
    await admin.client.sync();

    await field.client.pull();
    expect(await field.store.get("lead", id)).toBeUndefined();
    await field.client.sync();
    expect(await field.store.get("lead", id)).toBeUndefined();
    expect(await field.store.rejected()).toEqual([]);
    const held = (await field.store.conflicts()).filter((c) => c.record_id === id);
    expect(held.map((c) => [c.kind, c.status])).toEqual([["access", "open"]]);
    expect(held[0]?.fields).toMatchObject({ phone: { client: "555-0199", server: null } });
    await field.client.sync();
    expect(await field.store.outbox()).toEqual([]);
  });

  it("holds a concurrent status edit as a conflict waiting for review", async () => {
    const a = await device(server().admin);
    const b = await device(server().admin);
    const id = uuid();
    await a.store.mutate({ entity: "lead", id, op: "create", fields: { name: "Contested" } });
    await a.client.sync();
    await b.client.pull();
    await a.store.mutate({ entity: "lead", id, op: "update", fields: { lead_status: "qualified" } });
    await b.store.mutate({ entity: "lead", id, op: "update", fields: { lead_status: "lost" } });
    await a.client.sync();
    await b.client.push();
    const entry = (await b.store.outbox())[0];
    expect(entry?.result?.status).toBe("conflict");
    await b.client.pull();
    const open = (await b.store.conflicts()).filter((c) => c.record_id === id && c.status === "open");
    expect(open).toHaveLength(1);
    expect(await b.store.get("lead", id)).toMatchObject({ lead_status: "qualified" });
  });

  it("resends from the server's counter after a 409 mutation_gap", async () => {
    const a = await device(server().user);
    await a.client.pull();
    const id = uuid();
    await a.store.mutate({ entity: "lead", id, op: "create", fields: { name: "After a gap" } });
    await a.store.mutate({ entity: "lead", id, op: "update", fields: { city: "Portland" } });
    // The device wrongly believes the server holds mid 1: it would send mid 2 alone.
    await a.store.recordPushResults([], 1);
    await a.client.sync();
    expect(a.transport.pushes.map((p) => p.mutations.map((m) => m.mid))).toEqual([[2], [1, 2]]);
    expect(await serverRecord(a, `leads/${id}`)).toMatchObject({ name: "After a gap", city: "Portland" });
  });

  it("keeps the queue on 426 upgrade_required", async () => {
    const a = await device(server().user, { schemaVersion: 99 });
    await a.store.mutate({ entity: "lead", id: uuid(), op: "create", fields: { name: "Needs update" } });
    const err = await a.client.push().catch((e: unknown) => e);
    expect(isUpgradeRequired(err)).toBe(true);
    expect((err as HttpError).status).toBe(426);
    expect(await a.store.outbox()).toHaveLength(1);
  });

  it("keeps the queue on 401 and resumes after signing in again", async () => {
    const a = await device(server().user);
    await a.client.pull();
    const good = a.token;
    a.token = "expired.token.value";
    const id = uuid();
    await a.store.mutate({ entity: "lead", id, op: "create", fields: { name: "Across a re-login" } });
    const err = await a.client.sync().catch((e: unknown) => e);
    expect(isAuthError(err)).toBe(true);
    expect(await a.store.outbox()).toHaveLength(1);
    a.token = good;
    await a.client.sync();
    expect(await a.store.outbox()).toEqual([]);
    expect(await serverRecord(a, `leads/${id}`)).toMatchObject({ name: "Across a re-login" });
  });

  it("lists a mutation the server rejects as invalid, and later ones still apply", async () => {
    const a = await device(server().user);
    await a.client.pull();
    const bad = uuid();
    const good = uuid();
    await a.store.mutate({ entity: "lead", id: bad, op: "create", fields: { name: "Bad", lead_status: "won" } });
    await a.store.mutate({ entity: "lead", id: good, op: "create", fields: { name: "Good" } });
    await a.client.sync();
    const rejected = await a.store.rejected();
    expect(rejected.map((r) => r.id)).toEqual([bad]);
    expect(rejected[0]?.error).toMatchObject({ code: "validation_error" });
    expect(rejected[0]?.error?.details.fields).toHaveProperty("lead_status");
    expect(await a.store.get("lead", bad)).toBeUndefined();
    expect(await serverRecord(a, `leads/${good}`)).toMatchObject({ name: "Good" });
  });

  it("receives a ready message and a poke after another device's push", async () => {
    const watcher = await device(server().user);
    const writer = await device(server().user);
    const events: string[] = [];
    const ready = deferred<void>();
    const poked = deferred<number>();
    const socket = new PokeSocket(
      websocketUrl(SYNC_PATHS.ws, server().url),
      {
        onReady: () => {
          events.push("ready");
          ready.resolve();
        },
        onPoke: (seq) => poked.resolve(seq),
        onAuthError: () => events.push("auth"),
        onClosed: () => events.push("closed"),
      },
      (url, protocols) => new WebSocket(url, protocols) as unknown as globalThis.WebSocket,
    );
    socket.open(watcher.token);
    await ready.promise;
    await writer.store.mutate({ entity: "lead", id: uuid(), op: "create", fields: { name: "Poke me" } });
    const { push } = await writer.client.sync();
    expect(push.sent).toBe(1);
    expect(await poked.promise).toBeGreaterThan(0);
    socket.close();
    expect(events).toEqual(["ready"]);
  });

  it("closes the poke socket with 4401 for a bad token", async () => {
    const result = await new Promise<string>((resolve) => {
      const socket = new PokeSocket(
        websocketUrl(SYNC_PATHS.ws, server().url),
        {
          onReady: () => resolve("ready"),
          onPoke: () => undefined,
          onAuthError: () => resolve("auth"),
          onClosed: () => resolve("closed"),
        },
        (url, protocols) => new WebSocket(url, protocols) as unknown as globalThis.WebSocket,
      );
      socket.open("not-a-token");
    });
    expect(result).toBe("auth");
  });
});
