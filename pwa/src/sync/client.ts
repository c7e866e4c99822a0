// The sync protocol from the device's side (SYNC.md): push the outbox in order, pull until
// has_more is false and apply the whole result at once. One SyncClient per signed-in user.
import { HttpError } from "../api/http";
import type { Mutation, PullResponse } from "../contracts/zod";
import type { LocalStore } from "../store/store";
import type { OutboxEntry, PullApplied, PulledChange } from "../store/types";
import { MAX_PUSH_MUTATIONS, PULL_PAGE_LIMIT, SCHEMA_VERSION } from "./protocol";
import type { SyncTransport } from "./transport";

export interface PushSummary {
  sent: number;
  pushes: number;
}

export interface SyncClientOptions {
  schemaVersion?: number;
  pushLimit?: number;
  pullLimit?: number;
}

/** The server keeps protocol versions it supports; an older app is told to update (426). */
export const isUpgradeRequired = (err: unknown): boolean =>
  err instanceof HttpError && (err.status === 426 || err.code === "upgrade_required");
export const isAuthError = (err: unknown): boolean => err instanceof HttpError && err.status === 401;

const toWire = (entry: OutboxEntry): Mutation => ({
  mid: entry.mid,
  entity: entry.entity,
  id: entry.id,
  op: entry.op,
  base_seq: entry.base_seq,
  fields: entry.fields,
  client_time: entry.client_time,
});

// A 409 mutation_gap can repeat only if the server's counter moves under us; a few rounds are
// plenty, and a loop that never ends would wedge sync.
const MAX_GAP_ROUNDS = 3;

export class SyncClient {
  private readonly schemaVersion: number;
  private readonly pushLimit: number;
  private readonly pullLimit: number;

  constructor(
    readonly store: LocalStore,
    private readonly transport: SyncTransport,
    options: SyncClientOptions = {},
  ) {
    this.schemaVersion = options.schemaVersion ?? SCHEMA_VERSION;
    this.pushLimit = Math.min(options.pushLimit ?? MAX_PUSH_MUTATIONS, MAX_PUSH_MUTATIONS);
    this.pullLimit = options.pullLimit ?? PULL_PAGE_LIMIT;
  }

  /** One full round: push what is queued, then pull (which confirms what was pushed). */
  async sync(): Promise<{ push: PushSummary; pull: PullApplied }> {
    const push = await this.push();
    const pull = await this.pull();
    return { push, pull };
  }

  /** Push every unacknowledged outbox entry, in mid order, at most pushLimit per request. */
  async push(): Promise<PushSummary> {
    const { client_id } = await this.store.meta();
    const summary: PushSummary = { sent: 0, pushes: 0 };
    let gapRounds = 0;
    for (;;) {
      const batch = await this.store.unpushed(this.pushLimit);
      if (batch.length === 0) return summary;
      try {
        const response = await this.transport.push({
          client_id,
          schema_version: this.schemaVersion,
          mutations: batch.map(toWire),
        });
        summary.pushes += 1;
        summary.sent += batch.length;
        await this.store.recordPushResults(response.results, response.last_mutation_id);
      } catch (err) {
        const last = gapFrom(err);
        if (last === null || ++gapRounds > MAX_GAP_ROUNDS) throw err;
        await this.store.rewindTo(last);
      }
    }
  }

  /** Pull every page, then apply them in one transaction. A reset page restarts the snapshot. */
  async pull(): Promise<PullApplied> {
    const { client_id, cursor: fromCursor } = await this.store.meta();
    let cursor = fromCursor;
    let reset = false;
    let changes: PulledChange[] = [];
    let last: PullResponse;
    do {
      last = await this.transport.pull({
        client_id,
        schema_version: this.schemaVersion,
        cursor,
        limit: this.pullLimit,
      });
      if (last.reset) {
        reset = true;
        changes = [];
      }
      for (const change of last.changes) changes.push(change as PulledChange);
      cursor = last.cursor;
    } while (last.has_more);
    return this.store.applyPull({
      fromCursor,
      cursor: last.cursor,
      reset,
      changes,
      last_mutation_id: last.last_mutation_id,
      server_seq: last.server_seq,
    });
  }
}

function gapFrom(err: unknown): number | null {
  if (!(err instanceof HttpError) || err.code !== "mutation_gap") return null;
  const last = err.details.last_mutation_id;
  return typeof last === "number" && Number.isInteger(last) && last >= 0 ? last : null;
}
