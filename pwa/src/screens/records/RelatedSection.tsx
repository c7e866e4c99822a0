// The records that hang off a lead, client or project (contacts, accounts, subscriptions,
// interactions, notes): listed from the device, added and edited in a dialog, offline.
// `?fix=<key>` on the page reopens a refused change of this kind of record.
import { type ReactNode, useState } from "react";
import { useSearchParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import type { TopEntity } from "../../records/paths";
import { RecordForm } from "../../records/RecordForm";
import { sortChildren, summaryOf } from "../../records/summaries";
import type { LocalStore } from "../../store/store";
import type { RecordRow } from "../../store/types";
import type { RecordEntity } from "../../sync/entities";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";

export interface Parent {
  entity: TopEntity;
  id: string;
  name: string;
  /** more links a child needs (an interaction about a project also names its client or lead) */
  links?: Record<string, string>;
}

export const parentFields = (entity: RecordEntity, parent: Parent): Record<string, string> =>
  entity === "note"
    ? { entity: parent.entity, entity_id: parent.id }
    : { ...(entity === "interaction" ? parent.links : {}), [`${parent.entity}_id`]: parent.id };

export async function childrenOf(store: LocalStore, entity: RecordEntity, parent: Parent): Promise<RecordRow[]> {
  const rows =
    entity === "note"
      ? (await store.listWhere("note", "entity_id", parent.id)).filter((n) => n.entity === parent.entity)
      : await store.listWhere(entity, `${parent.entity}_id`, parent.id);
  return sortChildren(
    entity,
    rows.filter((r) => !r.deleted_at),
  );
}

type Editing = { record?: RecordRow; fixKey?: string } | null;

export function RelatedSection({
  entity,
  parent,
  addLabel,
  actions,
}: {
  entity: RecordEntity;
  parent: Parent;
  addLabel?: string;
  /** replaces the Add button (interactions: the three-tap Log) */
  actions?: ReactNode;
}) {
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const sync = useSyncStatus();
  const [params, setParams] = useSearchParams();
  const rows = useLive(store, (s) => childrenOf(s, entity, parent), [entity, parent.entity, parent.id], ["records"]);
  const fixKey = params.get("fix");
  const fix = useLive(
    store,
    async (s) => (fixKey ? (await s.rejected()).find((r) => r.key === fixKey && r.entity === entity) : undefined),
    [fixKey, entity],
    ["outbox"],
  );
  const [editing, setEditing] = useState<Editing>(null);
  const open = editing ?? (fix ? { fixKey: fix.key } : null);
  const noun = config.noun(entity).toLowerCase();
  const close = () => {
    setEditing(null);
    if (fixKey) setParams({}, { replace: true });
  };
  const record = open?.record ?? (fix ? (rows ?? []).find((r) => r.id === fix.id) : undefined);

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <p className="mr-auto text-sm text-slate-500">
          {rows === undefined
            ? "Loading…"
            : rows.length === 0
              ? `No ${config.noun(entity, true).toLowerCase()} yet.`
              : `${rows.length} ${config.noun(entity, rows.length !== 1).toLowerCase()}`}
        </p>
        {actions ?? (
          <Button variant="secondary" onClick={() => setEditing({})}>
            {addLabel ?? `Add ${noun}`}
          </Button>
        )}
      </div>
      <ul
        className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200"
        data-testid={`${entity}-list`}
      >
        {(rows ?? []).map((row) => {
          const { title, meta } = summaryOf(entity, row, config);
          return (
            <li key={row.id} className="flex items-start gap-3 p-3">
              <div className="min-w-0 flex-1">
                <p
                  className={`text-sm font-medium ${entity === "note" ? "whitespace-pre-wrap font-normal" : "truncate"}`}
                >
                  {title}
                </p>
                {meta && <p className="text-xs text-slate-500">{meta}</p>}
              </div>
              {sync.pendingIds.has(row.id) && <Badge>Pending</Badge>}
              <Button
                variant="ghost"
                className="px-2 py-1"
                onClick={() => setEditing({ record: row })}
                aria-label={`Edit ${noun} ${title}`}
              >
                Edit
              </Button>
            </li>
          );
        })}
      </ul>
      <Dialog open={open !== null} onClose={close} title={record ? `Edit ${noun}` : `New ${noun}`}>
        {open && (
          <RecordForm
            entity={entity}
            record={record}
            fix={fix}
            fixed={parentFields(entity, parent)}
            defaults={entity === "interaction" ? { contact_date: new Date().toISOString() } : undefined}
            label={record ? `Edit ${noun}` : `New ${noun}`}
            onSaved={close}
            onCancel={close}
          />
        )}
      </Dialog>
    </div>
  );
}
