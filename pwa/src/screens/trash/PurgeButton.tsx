// Purge one trashed record (admins, online only): DELETE /api/v1/trash/{entity}/{id}; the
// next pull then removes it from every device.
import { useId, useState } from "react";
import { z } from "zod";
import { HttpError, NetworkError } from "../../api/http";
import { useApp, useWorkspace } from "../../app/AppProvider";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import type { TopEntity } from "../../records/paths";
import type { RecordRow } from "../../store/types";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";

/** Why no record can be purged now (shown once, above the list), or null. */
export function purgeBlocker(status: { online: boolean; phase: string }): string | null {
  if (!status.online || status.phase === "offline")
    return "Purging needs a connection: it deletes records on the server, for everyone.";
  if (status.phase === "auth-required") return "Sign in again to purge.";
  return null;
}

export function PurgeButton({
  entity,
  row,
  pending,
  blockerId,
}: {
  entity: TopEntity;
  row: RecordRow;
  pending: boolean;
  /** the id of the note saying why purging is off for every record (offline, signed out) */
  blockerId: string;
}) {
  const { api } = useApp();
  const { engine } = useWorkspace();
  const status = useSyncStatus();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const blocked = purgeBlocker(status) !== null;

  const purge = async () => {
    setError(null);
    try {
      await api.request("DELETE", `/api/v1/trash/${entity}/${row.id}`, undefined, z.unknown());
      setConfirming(false);
      engine.request();
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) {
        setConfirming(false);
        engine.request(); // already gone: the pull will say so
        return;
      }
      setError(
        err instanceof NetworkError
          ? "No connection: nothing was deleted."
          : err instanceof Error
            ? err.message
            : String(err),
      );
    }
  };

  return (
    <>
      <Button
        variant="danger"
        className="px-2.5 py-1.5"
        disabled={blocked || pending}
        aria-describedby={blocked ? blockerId : pending ? reasonId : undefined}
        onClick={() => setConfirming(true)}
      >
        Purge
      </Button>
      {pending && !blocked && (
        <p id={reasonId} className="basis-full text-xs text-slate-500">
          Sync first: the server has not received this record's latest changes yet.
        </p>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Delete for good?"
        description={`“${String(row.name ?? "")}” and what only exists through it are deleted on the server for everyone. This cannot be undone.`}
      >
        {error && (
          <p role="alert" className="mb-3 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button variant="danger" onClick={() => void purge()}>
            Delete for good
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </>
  );
}
