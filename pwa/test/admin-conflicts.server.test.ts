// The conflict screens' API module against a REAL server: two devices make conflicting offline
// edits; the admin lists them with the screen's filters, reads one side by side, resolves with
// per-field values, restores an auto-resolved loser and resolves in bulk — and both devices
// converge on each decision by their next sync.
import { describe, expect, inject, it } from "vitest";
import { HttpError } from "../src/api/http";
import { serverFieldErrors } from "../src/forms/zodForm";
import {
  bulkResolve,
  getConflict,
  listConflicts,
  openCount,
  resolveConflict,
} from "../src/screens/admin/conflicts/api";
import { fieldRows, resolveRequest, restoreRequest } from "../src/screens/admin/conflicts/diff";
import { type ConflictFilters, DEFAULT_FILTERS } from "../src/screens/admin/conflicts/query";
import { bulkOutcome } from "../src/screens/admin/conflicts/selection";
import { uuid } from "../src/store/uuid";
import { type Device, device, server, serverRecord } from "./helpers";

const hasServer = inject("server") !== null;

/** The admin's device created a lead assigned to the field user; both synced, then edited it
 * offline from the same base. A syncs first; B's status change is held (open), its phone wins
 * by last-writer-wins (A's phone is the auto-resolved loser). */
async function contested(name: string) {
  const a = await device(server().admin);
  const b = await device(server().user);
  const id = uuid();
  await a.store.mutate({
    entity: "lead",
    id,
    op: "create",
    fields: { name, phone: "555-0100", assigned_to: server().user.id },
  });
  await a.client.sync();
  await b.client.pull();
  await a.store.mutate({ entity: "lead", id, op: "update", fields: { lead_status: "qualified", phone: "555-0101" } });
  await b.store.mutate({ entity: "lead", id, op: "update", fields: { lead_status: "lost", phone: "555-0202" } });
  await a.client.sync();
  await b.client.sync();
  const device_ = (await b.store.meta()).client_id;
  return { a, b, id, device: device_ };
}

const mine = (deviceId: string, patch: Partial<ConflictFilters> = {}): ConflictFilters => ({
  ...DEFAULT_FILTERS,
  device: deviceId,
  ...patch,
});

async function shows(dev: Device, id: string): Promise<Record<string, unknown> | undefined> {
  await dev.client.sync();
  return dev.store.get("lead", id);
}

describe.runIf(hasServer)("admin conflict screens' API against a real server", () => {
  it("lists with the screen's filters and shows both sides with the record's name", async () => {
    const { a, id, device: d } = await contested("Filters Lead");
    const open = await listConflicts(a.api, mine(d));
    expect(open.total).toBe(1);
    expect(open.items.map((c) => [c.record_id, c.status])).toEqual([[id, "open"]]);
    expect(open.record_titles).toEqual({ [id]: "Filters Lead" });
    expect((await listConflicts(a.api, mine(d, { status: "auto_resolved" }))).items).toHaveLength(1);
    expect((await listConflicts(a.api, mine(d, { status: "" }))).total).toBe(2);
    expect((await listConflicts(a.api, mine(d, { status: "resolved" }))).total).toBe(0);
    expect((await listConflicts(a.api, mine(d, { status: "", entity: "client" }))).total).toBe(0);
    expect((await listConflicts(a.api, mine(d, { status: "", user: server().user.id }))).total).toBe(2);
    expect((await listConflicts(a.api, mine(d, { status: "", user: server().admin.id }))).total).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listConflicts(a.api, mine(d, { status: "", from: today, to: today }))).total).toBe(2);
    expect((await listConflicts(a.api, mine(d, { status: "", from: "2001-01-01", to: "2001-01-02" }))).total).toBe(0);
    expect(await openCount(a.api)).toBeGreaterThanOrEqual(1);

    const detail = await getConflict(a.api, open.items[0]?.id ?? "");
    expect(detail.record.title).toBe("Filters Lead");
    expect(detail.user?.id).toBe(server().user.id);
    expect(detail.device?.client_id).toBe(d);
    const [status] = fieldRows(detail);
    expect(status?.name).toBe("lead_status");
    expect(status?.view).toMatchObject({ server: "qualified", client: "lost", current: "qualified", winner: "server" });
  });

  it("a per-field value reaches both devices; a refused one comes back on its field", async () => {
    const { a, b, id, device: d } = await contested("Custom Lead");
    const [item] = (await listConflicts(a.api, mine(d))).items;
    const detail = await getConflict(a.api, item?.id ?? "");
    const rows = fieldRows(detail);

    const refused = await resolveConflict(a.api, detail.id, { choice: "custom", fields: { phone: "555-0999" } }).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(HttpError);
    const error = refused as HttpError;
    expect(error.status).toBe(422);
    expect(serverFieldErrors(error.body, ["phone"])).toEqual([
      { field: "phone", message: expect.stringContaining("not part of this conflict") },
    ]);

    const body = resolveRequest(rows, { lead_status: "custom" }, { lead_status: "contacted" });
    expect(body).toEqual({ choice: "custom", fields: { lead_status: "contacted" } });
    const after = await resolveConflict(a.api, detail.id, body);
    expect(after.status).toBe("resolved");
    expect(after.resolution).toMatchObject({ choice: "custom", action: "update" });
    expect(await serverRecord(a, `leads/${id}`)).toMatchObject({ lead_status: "contacted" });
    expect(await shows(a, id)).toMatchObject({ lead_status: "contacted" });
    expect(await shows(b, id)).toMatchObject({ lead_status: "contacted" });
    const held = (await b.store.conflicts()).find((c) => c.id === detail.id);
    expect(held?.status).toBe("resolved"); // the "waiting for review" mark clears

    const again = await resolveConflict(a.api, detail.id, { choice: "server" }).catch((err: unknown) => err);
    expect((again as HttpError).status).toBe(409);
  });

  it("restores an auto-resolved loser from the history on both devices", async () => {
    const { a, b, id, device: d } = await contested("Restore Lead");
    const [item] = (await listConflicts(a.api, mine(d, { status: "auto_resolved" }))).items;
    const detail = await getConflict(a.api, item?.id ?? "");
    const rows = fieldRows(detail);
    expect(rows.map((r) => [r.name, r.view.server, r.view.client, r.view.winner])).toEqual([
      ["phone", "555-0101", "555-0202", "client"],
    ]);
    expect(await shows(a, id)).toMatchObject({ phone: "555-0202" });

    const after = await resolveConflict(a.api, detail.id, restoreRequest(rows, "phone"));
    expect(after.resolution).toMatchObject({ choice: "server", action: "restore_loser" });
    expect(await serverRecord(a, `leads/${id}`)).toMatchObject({ phone: "555-0101" });
    expect(await shows(a, id)).toMatchObject({ phone: "555-0101" });
    expect(await shows(b, id)).toMatchObject({ phone: "555-0101" });
    expect((await listConflicts(a.api, mine(d, { status: "resolved" }))).items.map((c) => c.id)).toEqual([detail.id]);
  });

  it("resolves in bulk with the devices' values, per id", async () => {
    const one = await contested("Bulk Lead 1");
    const two = await contested("Bulk Lead 2");
    const ids = await Promise.all(
      [one, two].map(async (s) => (await listConflicts(one.a.api, mine(s.device))).items[0]?.id ?? ""),
    );
    await resolveConflict(one.a.api, ids[1] ?? "", { choice: "server" });
    const outcome = bulkOutcome((await bulkResolve(one.a.api, { ids, choice: "client" })).results);
    expect(outcome.resolved).toEqual([ids[0]]);
    expect(outcome.failed).toEqual([{ id: ids[1], message: "This conflict is already resolved" }]);
    expect(await shows(one.b, one.id)).toMatchObject({ lead_status: "lost" });
    expect(await shows(one.a, one.id)).toMatchObject({ lead_status: "lost" });
    expect(await shows(two.b, two.id)).toMatchObject({ lead_status: "qualified" });
  });
});
