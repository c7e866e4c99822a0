// Writing the visible rows: a record's view is its server state (shadow) with the pending
// outbox entries that shape it applied in mid order (rebase.ts).
import type { RecordEntity } from "../sync/entities";
import { TABLE_OF } from "../sync/entities";
import type { Tx } from "./backend";
import { type ApplyContext, entriesFor, rebase } from "./rebase";
import type { OutboxEntry, RecordRow, Shadow } from "./types";

export async function writeView(tx: Tx, entity: RecordEntity, id: string, row: RecordRow | null): Promise<void> {
  const table = tx.table<RecordRow>(TABLE_OF[entity]);
  if (row) await table.put(row);
  else await table.delete(id);
}

/** Recompute the views of these records; a record without pending entries retires its shadow. */
export async function rebaseKeys(tx: Tx, keys: Iterable<string>, ctx: ApplyContext): Promise<void> {
  const shadows = tx.table<Shadow>("shadows");
  const outbox = await tx.table<OutboxEntry>("outbox").all();
  for (const rk of new Set(keys)) {
    const shadow = await shadows.get(rk);
    if (!shadow) continue;
    const entries = entriesFor(outbox, rk);
    await writeView(tx, shadow.entity, shadow.id, rebase(shadow.record, entries, ctx, rk));
    if (entries.length === 0) await shadows.delete(rk);
  }
}
