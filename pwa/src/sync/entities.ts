// The entities a device holds, and the local table each one lives in.
import type { MutationResult } from "../contracts/zod";

export const RECORD_ENTITIES = [
  "lead",
  "client",
  "project",
  "account",
  "subscription",
  "contact",
  "interaction",
  "note",
] as const;
export type RecordEntity = (typeof RECORD_ENTITIES)[number];

/** Pulled alongside the records, never pushed. */
export const SPECIAL_ENTITIES = ["config", "user", "conflict"] as const;
export type SpecialEntity = (typeof SPECIAL_ENTITIES)[number];
export type SyncedEntity = RecordEntity | SpecialEntity;

export const TABLE_OF = {
  lead: "leads",
  client: "clients",
  project: "projects",
  account: "accounts",
  subscription: "subscriptions",
  contact: "contacts",
  interaction: "interactions",
  note: "notes",
  user: "users",
  config: "config",
  conflict: "conflicts",
} as const satisfies Record<SyncedEntity, string>;
export type EntityTable = (typeof TABLE_OF)[SyncedEntity];

export const isRecordEntity = (name: string): name is RecordEntity =>
  (RECORD_ENTITIES as readonly string[]).includes(name);
export const isSpecialEntity = (name: string): name is SpecialEntity =>
  (SPECIAL_ENTITIES as readonly string[]).includes(name);

export const MUTATION_OPS = ["create", "update", "delete", "restore", "convert"] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];
export type MutationStatus = MutationResult["status"];

/** One key for "this record" across entities: outbox entries and shadows are indexed by it. */
export const recordKey = (entity: RecordEntity, id: string): string => `${entity}:${id}`;
