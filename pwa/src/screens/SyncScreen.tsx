// What is waiting to sync, what the server refused (with its reasons), what waits for review.
import { Link } from "react-router";
import { useWorkspace } from "../app/AppProvider";
import { useLive } from "../hooks/useLive";
import { useSyncStatus } from "../hooks/useSyncStatus";
import type { OutboxEntry, RejectedEntry } from "../store/types";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { relativeTime } from "../ui/time";

const describe = (e: Pick<OutboxEntry, "op" | "entity" | "fields">): string =>
  `${e.op} ${e.entity}${typeof e.fields.name === "string" ? ` “${e.fields.name}”` : ""}`;

function RejectedItem({ entry }: { entry: RejectedEntry }) {
  const { store } = useWorkspace();
  const fields = (entry.error?.details as { fields?: Record<string, string[]> } | undefined)?.fields;
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
        {entry.entity === "lead" && (
          <Link
            className="text-sm font-medium text-brand-700 underline"
            to={`/leads/${entry.id}/edit?fix=${encodeURIComponent(entry.key)}`}
          >
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

export function SyncScreen() {
  const { store, engine } = useWorkspace();
  const status = useSyncStatus();
  const outbox = useLive(store, (s) => s.outbox(), [], ["outbox"]);
  const rejected = useLive(store, (s) => s.rejected(), [], ["outbox"]);
  const conflicts = useLive(
    store,
    async (s) => (await s.conflicts()).filter((c) => c.status === "open"),
    [],
    ["conflicts"],
  );
  const meta = useLive(store, (s) => s.meta(), [], ["meta"]);

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

      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <h2 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">
          Refused by the server ({rejected?.length ?? 0})
        </h2>
        <ul className="divide-y divide-slate-100">
          {(rejected ?? []).map((r) => (
            <RejectedItem key={r.key} entry={r} />
          ))}
        </ul>
      </div>

      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <h2 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">
          Waiting for an admin's review ({conflicts?.length ?? 0})
        </h2>
        <ul className="divide-y divide-slate-100">
          {(conflicts ?? []).map((c) => (
            <li key={c.id} className="p-3 text-sm">
              {c.entity} · {c.kind} · fields {Object.keys(c.fields).join(", ") || "—"}
            </li>
          ))}
        </ul>
      </div>

      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <h2 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">
          On this device, not yet confirmed ({outbox?.length ?? 0})
        </h2>
        <ul className="divide-y divide-slate-100">
          {(outbox ?? []).map((e) => (
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
          ))}
        </ul>
      </div>
      <p className="text-xs text-slate-400">Device {meta?.client_id}</p>
    </section>
  );
}
