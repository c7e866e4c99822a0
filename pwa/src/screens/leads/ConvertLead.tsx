// Convert a lead into a client, offline too: the device picks the client's id, applies the
// conversion to its own store at once (the client appears, contacts and interactions move) and
// queues the `convert` mutation; the next pull replaces the local result with the server's.
import { useState } from "react";
import { useNavigate } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { recordPath } from "../../records/paths";
import { StorageFullError } from "../../store/errors";
import type { RecordRow } from "../../store/types";
import { uuid } from "../../store/uuid";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";

export function ConvertLead({ lead }: { lead: RecordRow }) {
  const { engine } = useWorkspace();
  const config = useCRMConfig();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const client = config.noun("client").toLowerCase();
  if (lead.lead_status === "converted" || lead.deleted_at) return null;

  const convert = async () => {
    const clientId = uuid();
    try {
      await engine.mutate({ entity: "lead", id: lead.id, op: "convert", fields: { client_id: clientId } });
      navigate(recordPath("client", clientId));
    } catch (err) {
      setError(err instanceof StorageFullError ? err.message : String(err));
    }
  };

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Convert to {client}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Convert to ${client}?`}
        description={`${String(lead.name)} becomes a ${client}: its details are copied, its contacts and interactions move to the ${client}, and the ${config.noun("lead").toLowerCase()} is marked ${config.label("lead_status", "converted").toLowerCase()}. Works offline; it syncs when you are online.`}
      >
        {error && (
          <p role="alert" className="mb-3 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button onClick={() => void convert()}>Convert</Button>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </>
  );
}
