// Local lead -> client conversion equals the server's, field by field, on the same input: the
// device converts offline, keeps what it showed, syncs, and compares with the records the real
// server returns over REST. Only what the server alone decides may differ: its timestamps
// (created_at, updated_at, converted_on — present on both sides) and version.
import { describe, expect, inject, it } from "vitest";
import { uuid } from "../src/store/uuid";
import type { RecordEntity } from "../src/sync/entities";
import { type Device, device, rest, sameRecord, server, serverRecord } from "./helpers";

const hasServer = inject("server") !== null;
const SERVER_DECIDES = new Set(["created_at", "updated_at", "converted_on", "version"]);
const PATHS: Partial<Record<RecordEntity, string>> = {
  lead: "leads",
  client: "clients",
  contact: "contacts",
  interaction: "interactions",
};

const ISO = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/;
/** Equal values; a timestamp is equal when it names the same instant ("…00.000Z" the device
 * wrote is the server's "…00Z"). */
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b) ||
  (typeof a === "string" && typeof b === "string" && ISO.test(a) && ISO.test(b) && Date.parse(a) === Date.parse(b));

/** Every field of the server's record equals the local one, except those only it decides. */
function sameAsServer(local: Record<string, unknown> | undefined, remote: Record<string, unknown> | null): string[] {
  expect(local, "local record").toBeDefined();
  expect(remote, "server record").not.toBeNull();
  const differences: string[] = [];
  for (const [key, value] of Object.entries(remote ?? {})) {
    if (SERVER_DECIDES.has(key)) continue;
    if (!same(local?.[key], value)) {
      differences.push(`${key}: local ${JSON.stringify(local?.[key])} != server ${JSON.stringify(value)}`);
    }
  }
  return differences;
}

async function convertAndCompare(a: Device, ids: { lead: string; contact: string; interaction: string }) {
  const clientId = uuid();
  a.transport.offline = true;
  await a.store.mutate({ entity: "lead", id: ids.lead, op: "convert", fields: { client_id: clientId } });
  const shown = {
    client: await a.store.get("client", clientId),
    lead: await a.store.get("lead", ids.lead),
    contact: await a.store.get("contact", ids.contact),
    interaction: await a.store.get("interaction", ids.interaction),
  };
  a.transport.offline = false;
  await a.client.sync();
  const recordIds = { client: clientId, ...ids };
  for (const [entity, local] of Object.entries(shown) as [keyof typeof shown, Record<string, unknown>][]) {
    const remote = await serverRecord(a, `${PATHS[entity]}/${recordIds[entity]}`);
    expect(sameAsServer(local, remote), `${entity}: the local conversion differs from the server's`).toEqual([]);
    // the fields only the server decides are there on both sides
    if (entity === "client" || entity === "lead") expect(local.converted_on && remote?.converted_on).toBeTruthy();
    // after the pull the device holds exactly the server's record
    sameRecord(await a.store.get(entity, recordIds[entity]), remote);
  }
  expect(await a.store.outbox()).toEqual([]);
  return { clientId, shown };
}

const LEAD_FIELDS = {
  name: "Conversion Co",
  contact_person: "Dana Ruiz",
  contact_title: "Owner",
  email: "dana@conversion.example.com",
  phone: "555-0142",
  phone_label: "mobile",
  secondary_phone: "555-0143",
  secondary_phone_label: "work",
  address: "1 Harbor Way",
  city: "Portland",
  state: "OR",
  zip: "97201",
  notes: "Met at the trade show",
  lead_status: "qualified",
  lead_source: "Trade show",
  business_type: "Plumbing",
};

describe.runIf(hasServer)("local conversion equals the server's", () => {
  it("for a lead already on the server, with a contact and an interaction", async () => {
    const a = await device(server().user);
    const lead = await rest(a, "POST", "leads", { ...LEAD_FIELDS, assigned_to: server().user.id });
    expect(lead.status).toBe(201);
    const leadId = String(lead.json.id);
    const contact = await rest(a, "POST", "contacts", { lead_id: leadId, first_name: "Dana", is_primary: true });
    const call = await rest(a, "POST", "interactions", {
      lead_id: leadId,
      contact_date: "2026-11-20T15:00:00Z",
      type: "call",
      summary: "First call",
      follow_up: "2026-11-25T09:00:00Z",
      followup_status: "pending",
    });
    await a.client.sync();
    const { clientId } = await convertAndCompare(a, {
      lead: leadId,
      contact: String(contact.json.id),
      interaction: String(call.json.id),
    });
    expect(await serverRecord(a, `clients/${clientId}`)).toMatchObject({
      source_lead_id: leadId,
      status: "active",
      name: "Conversion Co",
    });
  });

  it("for a lead created, given a contact and an interaction, and converted all offline", async () => {
    const a = await device(server().user);
    await a.client.pull();
    a.transport.offline = true;
    const ids = { lead: uuid(), contact: uuid(), interaction: uuid() };
    await a.store.mutate({
      entity: "lead",
      id: ids.lead,
      op: "create",
      fields: { ...LEAD_FIELDS, name: "Offline Conversion Co" },
    });
    await a.store.mutate({
      entity: "contact",
      id: ids.contact,
      op: "create",
      fields: { lead_id: ids.lead, first_name: "Sam" },
    });
    await a.store.mutate({
      entity: "interaction",
      id: ids.interaction,
      op: "create",
      fields: { lead_id: ids.lead, contact_date: "2026-11-21T10:00:00.000Z", type: "visit", summary: "Site visit" },
    });
    await convertAndCompare(a, ids);
  });
});
