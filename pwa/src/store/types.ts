// What the local store holds and the interface every backend (IndexedDB, memory) offers.
import type { ConflictRead, ErrorBody, MutationResult } from "../contracts/zod";
import type { MutationOp, RecordEntity, SyncedEntity } from "../sync/entities";

/** A record as the app shows it: the server's Read shape with pending local edits applied. */
export type RecordRow = { id: string } & Record<string, unknown>;

export interface OutboxEntry {
  mid: number;
  entity: RecordEntity;
  id: string;
  op: MutationOp;
  fields: Record<string, unknown>;
  base_seq: number;
  client_time: string;
  /** recordKey(entity, id), indexed */
  rk: string;
  /** Local only (never sent): other records this entry shapes on the device — a conversion's
   * new client and the contacts and interactions it moves. */
  also?: string[];
  /** Local only: the lead as it was converted, so the new client can be derived again on any
   * rebase until the server's version arrives. */
  snapshot?: RecordRow;
  /** What the server answered, once it did. The entry stays until a pull confirms it. */
  result?: Pick<MutationResult, "status" | "seq" | "conflict_id" | "error">;
}

/** A mutation the server refused: kept, visible, with its error, until the user dismisses it. */
export interface RejectedEntry extends Omit<OutboxEntry, "result"> {
  key: string;
  error: ErrorBody | null;
  rejected_at: string;
}

/** The server state of a record that has pending local edits (null: the server lacks it). */
export interface Shadow {
  rk: string;
  entity: RecordEntity;
  id: string;
  record: RecordRow | null;
}

export interface SyncMeta {
  key: "sync";
  client_id: string;
  user_id: string;
  /** the mid the next local mutation gets (mids are consecutive per client_id) */
  next_mid: number;
  /** the server's last_mutation_id as last heard (push or pull): everything <= was received */
  pushed_upto: number;
  /** the last_mutation_id whose effects the local server state is known to contain */
  confirmed_upto: number;
  cursor: string | null;
  /** the highest server seq pulled completely: the causal context of new mutations */
  base_seq: number;
  last_sync_at: string | null;
}

/** A conflict as pulled (entity `conflict`): the contract's ConflictRead. */
export type ConflictRow = ConflictRead;

export interface ConfigRow {
  id: string;
  name: string;
  config: Record<string, unknown>;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: string[];
  is_active?: boolean;
}

export interface LocalMutation {
  entity: RecordEntity;
  id: string;
  op: MutationOp;
  fields?: Record<string, unknown>;
}

export interface PulledChange {
  entity: string;
  id: string;
  seq: number;
  op: "put" | "delete";
  record?: Record<string, unknown> | null;
}

/** A complete pull (every page up to has_more=false), applied in one transaction. */
export interface PullBatch {
  /** the cursor the pull started from: a batch that no longer follows the stored one is stale */
  fromCursor: string | null;
  cursor: string;
  reset: boolean;
  changes: PulledChange[];
  last_mutation_id: number;
  server_seq: number;
}

export type PullApplied = { applied: true; changes: number } | { applied: false; reason: "stale" };

export type StoreTopic = "records" | "outbox" | "meta" | "conflicts" | "config" | "users" | "storage";

export type { SyncedEntity };
