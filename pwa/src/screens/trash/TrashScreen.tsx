// Trash: the leads, clients and projects in Trash on this device. Restore is an ordinary
// offline edit. Purge (admins) deletes for everyone, so it calls the server directly and needs
// a connection; offline, or while the record's trashing has not synced yet, it is disabled and
// says why.
import { useId, useState } from "react";
import { Link } from "react-router";
import { useApp, useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import { recordPath, TOP_ENTITIES, type TopEntity, titleOf } from "../../records/paths";
import type { LocalStore } from "../../store/store";
import type { RecordRow } from "../../store/types";
import { Badge } from "../../ui/Badge";
import { relativeTime } from "../../ui/time";
import { EntityFilter, type EntityFilterValue } from "./EntityFilter";
import { PurgeButton, purgeBlocker } from "./PurgeButton";

export interface TrashItem {
  entity: TopEntity;
  row: RecordRow;
}

async function trashed(store: LocalStore): Promise<TrashItem[]> {
  const groups = await Promise.all(TOP_ENTITIES.map(async (entity) => ({ entity, rows: await store.list(entity) })));
  return groups
    .flatMap(({ entity, rows }) => rows.filter((r) => r.deleted_at).map((row) => ({ entity, row })))
    .sort((a, b) => String(b.row.deleted_at).localeCompare(String(a.row.deleted_at)));
}

export function TrashScreen() {
  const { store, engine } = useWorkspace();
  const { session } = useApp();
  const config = useCRMConfig();
  const sync = useSyncStatus();
  const items = useLive(store, trashed, [], ["records"]);
  const [filter, setFilter] = useState<EntityFilterValue>("all");
  const admin = session?.user.roles.includes("admin") ?? false;
  const blockerId = useId();
  const blocker = admin ? purgeBlocker(sync) : null;
  const shown = (items ?? []).filter((i) => filter === "all" || i.entity === filter);

  return (
    <section className="space-y-4">
      <h1 className="text-lg font-semibold">Trash</h1>
      <EntityFilter value={filter} onChange={setFilter} />
      {blocker && (
        <p id={blockerId} className="text-sm text-slate-600" data-testid="purge-blocker">
          {blocker}
        </p>
      )}
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200" data-testid="trash-list">
        {items !== undefined && shown.length === 0 && <li className="p-4 text-sm text-slate-500">Trash is empty.</li>}
        {shown.map(({ entity, row }) => (
          <li key={row.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 p-3">
            <div className="min-w-[12rem] flex-1">
              <Link to={recordPath(entity, row.id)} className="block truncate text-sm font-medium hover:underline">
                {titleOf(entity, row) || "—"}
              </Link>
              <p className="text-xs text-slate-500">
                {config.noun(entity)} · trashed {relativeTime(String(row.deleted_at))}
              </p>
            </div>
            {sync.pendingIds.has(row.id) && <Badge>Pending sync</Badge>}
            <button
              type="button"
              className="rounded-lg px-2.5 py-1.5 text-sm font-medium text-brand-700 ring-1 ring-slate-300 hover:bg-slate-50"
              onClick={() => void engine.mutate({ entity, id: row.id, op: "restore" })}
            >
              Restore
            </button>
            {admin && (
              <PurgeButton entity={entity} row={row} pending={sync.pendingIds.has(row.id)} blockerId={blockerId} />
            )}
          </li>
        ))}
      </ul>
      {!admin && <p className="text-xs text-slate-500">Only an admin can delete records for good.</p>}
    </section>
  );
}
