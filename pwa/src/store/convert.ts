// Lead -> client conversion as the device applies it before the server has (op `convert`,
// SYNC.md). The effects mirror sync_server/services/lifecycle.py::convert so the local view
// equals what the next pull brings: a new client with the lead's fields, `status: active`,
// `source_lead_id` and `converted_on`; the lead's contacts and interactions moved to it; the
// lead `converted`, pointing at the client. The server's record replaces this on the next pull.
import { recordKey } from "../sync/entities";
import type { OutboxEntry, RecordRow } from "./types";

/** The lead fields the server copies into the new client (lifecycle.CONVERTED_FIELDS). */
export const CONVERTED_FIELDS = [
  "name",
  "contact_person",
  "contact_title",
  "email",
  "phone",
  "phone_label",
  "secondary_phone",
  "secondary_phone_label",
  "address",
  "city",
  "state",
  "zip",
  "notes",
  "business_type",
  "assigned_to",
] as const;

/** Children that follow the lead to its client (lifecycle._move_children). */
export const MOVED_CHILDREN = ["contact", "interaction"] as const;

export function convertedClient(lead: RecordRow, clientId: string, at: string, userId: string): RecordRow {
  const copied = Object.fromEntries(CONVERTED_FIELDS.map((f) => [f, lead[f] ?? null]));
  return {
    ...copied,
    id: clientId,
    status: "active",
    source_lead_id: lead.id,
    converted_on: at,
    created_at: at,
    updated_at: at,
    created_by: userId,
    deleted_at: null,
    version: 0,
  };
}

export function convertedLead(lead: RecordRow, clientId: string | null, at: string): RecordRow {
  return { ...lead, lead_status: "converted", converted_client_id: clientId, converted_on: at, updated_at: at };
}

export function movedChild(child: RecordRow, leadId: string, clientId: string | null, at: string): RecordRow {
  if (child.lead_id !== leadId) return child;
  return { ...child, lead_id: null, client_id: clientId, updated_at: at };
}

/** What a convert entry does to one of the records it touches (the lead, the new client, or a
 * moved child), identified by its record key. */
export function applyConvert(row: RecordRow | null, entry: OutboxEntry, rk: string, userId: string): RecordRow | null {
  const clientId = typeof entry.fields.client_id === "string" ? entry.fields.client_id : null;
  const at = entry.client_time;
  if (rk === entry.rk) return row && convertedLead(row, clientId, at);
  if (clientId && rk === recordKey("client", clientId)) {
    // The server already holding the client means the conversion reached it: keep its record.
    if (row) return row;
    return entry.snapshot ? convertedClient(entry.snapshot, clientId, at, userId) : null;
  }
  return row && movedChild(row, entry.id, clientId, at);
}

/** Every record an outbox entry shapes: its own, plus those a conversion creates or moves. */
export const keysOf = (entry: Pick<OutboxEntry, "rk" | "also">): string[] => [entry.rk, ...(entry.also ?? [])];

/** The record id inside a record key ("lead:<uuid>" -> "<uuid>"). */
export const idOfKey = (rk: string): string => rk.slice(rk.indexOf(":") + 1);
