// What the sync indicator shows: connectivity, pending edits, last sync, conflicts, refusals.
import { useEffect, useState } from "react";
import { useWorkspace } from "../app/AppProvider";
import { idOfKey, keysOf } from "../store/convert";
import type { SyncStatus } from "../sync/engine";
import { useLive } from "./useLive";

export interface SyncSummary extends SyncStatus {
  pending: number;
  lastSyncAt: string | null;
  conflicts: number;
  rejected: number;
  /** ids of records with edits not yet confirmed by the server */
  pendingIds: Set<string>;
  /** ids of records with a change held for an admin's review */
  reviewIds: Set<string>;
}

export function useSyncStatus(): SyncSummary {
  const { store, engine } = useWorkspace();
  const [status, setStatus] = useState<SyncStatus>(engine.getStatus());
  useEffect(() => {
    setStatus(engine.getStatus());
    return engine.subscribe(setStatus);
  }, [engine]);

  const data = useLive(
    store,
    async (s) => {
      const [outbox, meta, conflicts, rejected] = await Promise.all([
        s.outbox(),
        s.meta(),
        s.conflicts(),
        s.rejected(),
      ]);
      const waiting = outbox.filter((e) => e.result?.status === "conflict").map((e) => e.id);
      const open = conflicts.filter((c) => c.status === "open").map((c) => c.record_id);
      return {
        pending: outbox.filter((e) => e.mid > meta.pushed_upto).length,
        pendingIds: new Set(
          outbox.filter((e) => e.result?.status !== "rejected").flatMap((e) => keysOf(e).map(idOfKey)),
        ),
        reviewIds: new Set([...waiting, ...open]),
        lastSyncAt: meta.last_sync_at,
        conflicts: new Set([...waiting, ...open]).size,
        rejected: rejected.length,
      };
    },
    [],
    ["outbox", "meta", "conflicts"],
  );

  return {
    ...status,
    pending: data?.pending ?? 0,
    pendingIds: data?.pendingIds ?? new Set(),
    reviewIds: data?.reviewIds ?? new Set(),
    lastSyncAt: data?.lastSyncAt ?? null,
    conflicts: data?.conflicts ?? 0,
    rejected: data?.rejected ?? 0,
  };
}
