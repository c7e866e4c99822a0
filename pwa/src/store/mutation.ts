// One local edit inside its transaction: the outbox entry (next mid, causal base_seq), the
// server state of every record it shapes kept aside as a shadow, and the new views.
import { type RecordEntity, recordKey, TABLE_OF } from "../sync/entities";
import type { Tx } from "./backend";
import { MOVED_CHILDREN } from "./convert";
import { type ApplyContext, applyMutation } from "./rebase";
import type { LocalMutation, OutboxEntry, RecordRow, Shadow, SyncMeta } from "./types";
import { writeView } from "./views";

interface Target {
  entity: RecordEntity;
  id: string;
  rk: string;
  view: RecordRow | null;
}

async function target(tx: Tx, entity: RecordEntity, id: string): Promise<Target> {
  const view = (await tx.table<RecordRow>(TABLE_OF[entity]).get(id)) ?? null;
  return { entity, id, rk: recordKey(entity, id), view };
}

/** The other records a conversion shapes: the new client and the children that move to it. */
async function conversionTargets(tx: Tx, leadId: string, clientId: string): Promise<Target[]> {
  const targets = [await target(tx, "client", clientId)];
  for (const entity of MOVED_CHILDREN) {
    for (const view of await tx.table<RecordRow>(TABLE_OF[entity]).where("lead_id", leadId)) {
      targets.push({ entity, id: view.id, rk: recordKey(entity, view.id), view });
    }
  }
  return targets;
}

export async function planMutation(
  tx: Tx,
  mutation: LocalMutation,
  meta: SyncMeta,
  clientTime: string,
  ctx: ApplyContext,
): Promise<OutboxEntry> {
  const own = await target(tx, mutation.entity, mutation.id);
  const fields = mutation.fields ?? {};
  const others = mutation.op === "convert" ? await conversionTargets(tx, mutation.id, String(fields.client_id)) : [];
  const entry: OutboxEntry = {
    mid: meta.next_mid,
    entity: mutation.entity,
    id: mutation.id,
    op: mutation.op,
    fields,
    base_seq: meta.base_seq,
    client_time: clientTime,
    rk: own.rk,
    ...(others.length > 0 ? { also: others.map((t) => t.rk) } : {}),
    ...(mutation.op === "convert" && own.view ? { snapshot: own.view } : {}),
  };
  const shadows = tx.table<Shadow>("shadows");
  for (const t of [own, ...others]) {
    // The first pending edit of a record keeps its server state aside, to rebase on later.
    if (!(await shadows.get(t.rk))) await shadows.put({ rk: t.rk, entity: t.entity, id: t.id, record: t.view });
    await writeView(tx, t.entity, t.id, applyMutation(t.view, entry, ctx, t.rk));
  }
  await tx.table<OutboxEntry>("outbox").put(entry);
  await tx.table<SyncMeta>("meta").put({ ...meta, next_mid: meta.next_mid + 1 });
  return entry;
}
