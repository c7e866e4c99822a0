// What is waiting to sync, what the server refused (with its reasons and a way to fix it), what
// waits for an admin's review (both values of each held field), and this device's details.
import { Link } from "react-router";
import { useWorkspace } from "../app/AppProvider";
import { APP_VERSION } from "../app/updates";
import { useLive } from "../hooks/useLive";
import { useSyncStatus } from "../hooks/useSyncStatus";
import { pagePath, recordPath, titleOf } from "../records/paths";
import type { LocalStore } from "../store/store";
import type { ConflictRow, OutboxEntry, RejectedEntry } from "../store/types";
import { isRecordEntity, type RecordEntity } from "../sync/entities";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { relativeTime } from "../ui/time";

const describe = (e: Pick<OutboxEntry, "op" | "entity" | "fields">): string =>
  `${e.op} ${e.entity}${typeof e.fields.name === "string" ? ` “${e.fields.name}”` : ""}`;

const show = (v: unknown): string =>
  v === null || v === undefined || v === "" ? "—" : typeof v === "string" ? v : JSON.stringify(v);

function fixHref(entry: RejectedEntry, row: Record<string, unknown> | undefined): string | null {
  const key = encodeURIComponent(entry.key);
  if (entry.entity === "lead" || entry.entity === "client" || entry.entity === "project") {
    return `${recordPath(entry.entity, entry.id)}/edit?fix=${key}`;
  }
  const page = pagePath(entry.entity, { ...row, ...entry.fields, id: entry.id });
  return page && `${page}?fix=${key}`;
}

function RejectedItem({ entry }: { entry: RejectedEntry }) {
  const { store } = useWorkspace();
  const row = useLive(store, (s) => s.get(entry.entity, entry.id), [entry.entity, entry.id], ["records"]);
  const fields = (entry.error?.details as { fields?: Record<string, string[]> } | undefined)?.fields;
  const href = fixHref(entry, row);
  return (
    <li className="space-y-1 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{describe(entry)}</span>
        <Badge tone="red">{entry.error?.code ?? "refused"}</Badge>
        <span className="text-xs text-slate-500">edited {relativeTime(entry.client_time)}</span>
      </div>
      <p className="text-sm text-slate-700">{entry.error?.error ?? "The server refused this change."}</p>
      {fields && (
        <ul className="list-inside list-disc text-xs text-slate-600">
          {Object.entries(fields).map(([f, msgs]) => (
            <li key={f}>
              {f}: {msgs.join("; ")}
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2 pt-1">
        {href && (
          <Link className="text-sm font-medium text-brand-700 underline" to={href}>
            Fix and resend
          </Link>
        )}
        <button
          type="button"
          className="text-sm text-slate-600 underline"
          onClick={() => void store.dismissRejected(entry.key)}
        >
          Discard
        </button>
      </div>
    </li>
  );
}

async function openConflicts(store: LocalStore) {
  const open = (await store.conflicts()).filter((c) => c.status === "open");
  return Promise.all(
    open.map(async (c) => ({
      conflict: c,
      row: isRecordEntity(c.entity) ? await store.get(c.entity, c.record_id) : undefined,
    })),
  );
}

function ConflictItem({ conflict, row }: { conflict: ConflictRow; row: Record<string, unknown> | undefined }) {
  const entity = conflict.entity as RecordEntity;
  const href = row && isRecordEntity(entity) ? pagePath(entity, { ...row, id: conflict.record_id }) : null;
  const name = row ? titleOf(entity, row) : conflict.record_id.slice(0, 8);
  return (
    <li className="space-y-1 p-3 text-sm" data-testid="conflict">
      <div className="flex flex-wrap items-center gap-2">
        {href ? (
          <Link to={href} className="font-medium underline">
            {name}
          </Link>
        ) : (
          <span className="font-medium">{name}</span>
        )}
        <span className="text-slate-500">
          {conflict.entity} · {conflict.kind.replace(/_/g, " ")}
        </span>
        <Badge tone="amber">Waiting for review</Badge>
      </div>
      <ul className="text-xs text-slate-600">
        {Object.entries(conflict.fields).map(([field, v]) => {
          const sides = (v ?? {}) as { server?: unknown; client?: unknown };
          return (
            <li key={field}>
              <span className="font-medium">{field}</span>: your value {show(sides.client)} · kept for now{" "}
              {show(sides.server)}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

export function SyncScreen() {
  const { store, engine } = useWorkspace();
  const status = useSyncStatus();
  const outbox = useLive(store, (s) => s.outbox(), [], ["outbox"]);
  const rejected = useLive(store, (s) => s.rejected(), [], ["outbox"]);
  const conflicts = useLive(store, openConflicts, [], ["conflicts", "records"]);
  const meta = useLive(store, (s) => s.meta(), [], ["meta"]);

  const panel = (title: string, count: number, children: React.ReactNode, testId: string) => (
    <div className="rounded-xl bg-white ring-1 ring-slate-200" data-testid={testId}>
      <h2 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">
        {title} ({count})
      </h2>
      <ul className="divide-y divide-slate-100">{children}</ul>
    </div>
  );

  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-lg font-semibold">Sync</h1>
        <span className="text-sm text-slate-600">Last sync {relativeTime(status.lastSyncAt)}</span>
        <Button variant="secondary" onClick={() => engine.request()}>
          Sync now
        </Button>
      </div>
      {status.lastError && status.phase !== "idle" && <p className="text-sm text-amber-800">{status.lastError}</p>}
      {panel(
        "Refused by the server",
        rejected?.length ?? 0,
        (rejected ?? []).map((r) => <RejectedItem key={r.key} entry={r} />),
        "sync-rejected",
      )}
      {panel(
        "Waiting for an admin's review",
        conflicts?.length ?? 0,
        (conflicts ?? []).map(({ conflict, row }) => <ConflictItem key={conflict.id} conflict={conflict} row={row} />),
        "sync-conflicts",
      )}
      {panel(
        "On this device, not yet confirmed",
        outbox?.length ?? 0,
        (outbox ?? []).map((e) => (
          <li key={e.mid} className="flex flex-wrap items-center gap-2 p-3 text-sm">
            <span className="text-slate-400">#{e.mid}</span>
            <span>{describe(e)}</span>
            {e.result ? (
              <Badge tone={e.result.status === "conflict" ? "amber" : "green"}>{e.result.status}</Badge>
            ) : (
              <Badge>queued</Badge>
            )}
            <span className="text-xs text-slate-500">{relativeTime(e.client_time)}</span>
          </li>
        )),
        "sync-outbox",
      )}
      <p className="text-xs text-slate-400" data-testid="app-version">
        App {APP_VERSION} · device {meta?.client_id}
      </p>
    </section>
  );
}
