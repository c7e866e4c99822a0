// Always visible: online/offline, edits waiting to sync, last sync, conflicts waiting for review.
import { Link } from "react-router";
import { type SyncSummary, useSyncStatus } from "../hooks/useSyncStatus";
import { relativeTime } from "../ui/time";

function dot(summary: SyncSummary): { color: string; text: string } {
  if (summary.phase === "auth-required") return { color: "bg-amber-500", text: "Sign in to sync" };
  if (summary.phase === "update-required") return { color: "bg-red-500", text: "Update required" };
  if (!summary.online || summary.phase === "offline") return { color: "bg-slate-400", text: "Offline" };
  if (summary.phase === "syncing") return { color: "bg-sky-500 animate-pulse", text: "Syncing" };
  if (summary.phase === "retrying") return { color: "bg-amber-500", text: "Retrying" };
  return { color: "bg-green-500", text: "Online" };
}

export function SyncIndicator() {
  const summary = useSyncStatus();
  const { color, text } = dot(summary);
  return (
    <Link
      to="/sync"
      data-testid="sync-indicator"
      data-phase={summary.phase}
      data-pending={summary.pending}
      className="flex items-center gap-1.5 whitespace-nowrap rounded-lg px-1.5 py-1 text-xs text-slate-600 hover:bg-slate-100"
      title={`Last sync: ${relativeTime(summary.lastSyncAt)}`}
    >
      <span className={`h-2.5 w-2.5 rounded-full ${color}`} aria-hidden />
      <span className="font-medium text-slate-800">{text}</span>
      {summary.pending > 0 && (
        <span className="rounded-full bg-slate-200 px-1.5">
          {summary.pending}
          <span className="sr-only sm:not-sr-only"> pending</span>
        </span>
      )}
      {summary.conflicts > 0 && (
        <span className="rounded-full bg-amber-100 px-1.5 text-amber-900">
          {summary.conflicts}
          <span className="sr-only sm:not-sr-only"> in review</span>
        </span>
      )}
      {summary.rejected > 0 && (
        <span className="rounded-full bg-red-100 px-1.5 text-red-800">
          {summary.rejected}
          <span className="sr-only sm:not-sr-only"> refused</span>
        </span>
      )}
      <span className="hidden sm:inline">· {relativeTime(summary.lastSyncAt)}</span>
    </Link>
  );
}
