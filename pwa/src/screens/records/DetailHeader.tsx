// The top of a record's page: back link, name, state badges (Trash, pending, waiting for
// review, status) and any change of it the server refused, with the way to fix it.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import { listPath, recordPath, type TopEntity } from "../../records/paths";
import type { RecordRow } from "../../store/types";
import { Badge } from "../../ui/Badge";
import { relativeTime } from "../../ui/time";

export function RefusalNotice({ entity, id }: { entity: TopEntity; id: string }) {
  const { store } = useWorkspace();
  const rejected = useLive(store, async (s) => (await s.rejected()).filter((r) => r.id === id), [id], ["outbox"]);
  if (!rejected?.length) return null;
  const first = rejected[0];
  return (
    <div role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
      The server refused {rejected.length === 1 ? "a change" : `${rejected.length} changes`} to this record
      {first?.error ? `: ${first.error.error}` : "."}{" "}
      <Link
        className="font-medium underline"
        to={`${recordPath(entity, id)}/edit?fix=${encodeURIComponent(first?.key ?? "")}`}
      >
        Review and fix
      </Link>
    </div>
  );
}

export function DetailHeader({
  entity,
  record,
  status,
  subtitle,
}: {
  entity: TopEntity;
  record: RecordRow;
  status: ReactNode;
  subtitle?: ReactNode;
}) {
  const config = useCRMConfig();
  const sync = useSyncStatus();
  return (
    <header className="space-y-3">
      <Link to={listPath(entity)} className="text-sm text-slate-500 hover:underline">
        ← {config.noun(entity, true)}
      </Link>
      <div className="flex flex-wrap items-start gap-3">
        <div className="mr-auto min-w-0">
          <h1 className="break-words text-xl font-semibold">{String(record.name ?? "")}</h1>
          <p className="text-xs text-slate-500">
            {subtitle}
            {subtitle ? " · " : ""}Updated {relativeTime(String(record.updated_at ?? ""))}
          </p>
        </div>
        <div className="flex flex-wrap gap-2" data-testid="record-badges">
          {record.deleted_at ? <Badge tone="red">In Trash</Badge> : null}
          {sync.reviewIds.has(record.id) && <Badge tone="amber">Waiting for review</Badge>}
          {sync.pendingIds.has(record.id) && <Badge>Pending sync</Badge>}
          {status}
        </div>
      </div>
      <RefusalNotice entity={entity} id={record.id} />
    </header>
  );
}

/** A record that is not on this device: never synced here, evicted, purged, or a refused create. */
export function MissingRecord({ entity, id }: { entity: TopEntity; id: string }) {
  const config = useCRMConfig();
  return (
    <div className="space-y-3">
      <RefusalNotice entity={entity} id={id} />
      <p className="text-sm text-slate-500">
        This {config.noun(entity).toLowerCase()} is not on this device (it may have been reassigned or deleted).
      </p>
      <Link to={listPath(entity)} className="text-sm font-medium text-brand-700 underline">
        Back to {config.noun(entity, true).toLowerCase()}
      </Link>
    </div>
  );
}
